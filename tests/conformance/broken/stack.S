/* A broken test ROM: see body.inc. */
#define BROKEN_STACK 1
#define BROKEN_NAME "broken-stack"
#include "body.inc"
