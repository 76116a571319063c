/* Assembled by `make check-abi`: the headers are usable from assembly. */
#include <vmi/vmi_abi.h>
#include <vmi/vmi_hypercall.h>
#include <vmi/vmi_platform.h>
	.text
	movl $VMI_HC_PORT, %edx
	movl $VMI_CALL_NR_SET_PTE, %eax
	movq %gs:VMI_PERCPU_GS_SLOT, %rax
	movq $(VMI_FEATURE_DEFERRED_MMU | VMI_FEATURE_PT_NOTIFY), %rax
	addq $VMI_MMU_RECORD_SIZE, %rax
	movl $VMI_PLATFORM_DEBUG_EXIT_PORT, %edx
