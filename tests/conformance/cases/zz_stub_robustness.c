#include "rom.h"
void case_robustness(void) { report_skip("not written yet"); }
