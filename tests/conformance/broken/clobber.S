/* A broken test ROM: see body.inc. */
#define BROKEN_CLOBBER 1
#define BROKEN_NAME "broken-clobber"
#include "body.inc"
