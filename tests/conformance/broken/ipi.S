/* A broken test ROM: see body.inc. */
#define BROKEN_IPI 1
#define BROKEN_NAME "broken-ipi"
#include "body.inc"
