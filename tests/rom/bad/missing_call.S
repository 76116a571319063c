/* Must not assemble: the halt call is neither implemented nor UNSUPPORTED. */
#include "native_with.h"

.purgem vmi_native_halt
.macro vmi_native_halt
.endm

NATIVE_ROM_BODY("vmi-pv")
