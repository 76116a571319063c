/* A broken test ROM: see body.inc. */
#define BROKEN_CR3 1
#define BROKEN_NAME "broken-cr3"
#include "body.inc"
