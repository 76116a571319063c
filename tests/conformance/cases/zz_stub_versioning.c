#include "rom.h"
void case_versioning(void) { report_skip("not written yet"); }
