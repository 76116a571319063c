/* A broken test ROM: see body.inc. */
#define BROKEN_FAULT 1
#define BROKEN_NAME "broken-fault"
#include "body.inc"
