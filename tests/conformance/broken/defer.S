/* A broken test ROM: see body.inc. */
#define BROKEN_DEFER 1
#define BROKEN_NAME "broken-defer"
#include "body.inc"
