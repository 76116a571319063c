#include "rom.h"
void case_coverage(void) { report_skip("not written yet"); }
