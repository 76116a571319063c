/* The control for the broken ROMs: deferral done right (see body.inc). */
#define GOOD_DEFER 1
#define BROKEN_NAME "good-defer"
#include "body.inc"
