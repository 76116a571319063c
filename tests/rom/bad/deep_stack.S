/* Must not link: an entry that reserves 512 bytes of stack. */
#include "native_with.h"

.purgem vmi_native_get_cycle_counter
.macro vmi_native_get_cycle_counter
	VMI_ENTRY get_cycle_counter, VMI_ANNOT_CALL
	sub $512, %rsp
	add $512, %rsp
	rdtsc
	ret
	VMI_END get_cycle_counter
.endm

NATIVE_ROM_BODY("vmi-pv")
