/*
 * Compiled by `make check-abi` hosted and -ffreestanding with -pedantic:
 * proves the generated headers stand alone and the X-macro lists expand.
 */
#include <vmi/vmi_abi.h>
#include <vmi/vmi_hypercall.h>
#include <vmi/vmi_platform.h>

#define CALL_NAME(nr, name, NAME, group, conv, since, defer) [nr] = #name,
static const char *const call_names[] = { VMI_CALLS(CALL_NAME) };
_Static_assert(sizeof(call_names) / sizeof(call_names[0]) == VMI_NR_CALLS,
	       "VMI_CALLS lists every call");

#define CALL_CHECK(nr, name, NAME, group, conv, since, defer)                 \
	_Static_assert(VMI_CALL_##NAME == nr && VMI_CALL_NR_##NAME == nr,      \
		       #name " number");                                       \
	_Static_assert(VMI_GROUP_##group >= 0 && VMI_CONV_##conv >= 0 &&       \
			       since <= VMI_ABI_MINOR,                         \
		       #name " attributes");
VMI_CALLS(CALL_CHECK)

#define HC_NAME(nr, NAME, nargs) [nr] = #NAME,
static const char *const hypercall_names[] = { VMI_HYPERCALLS(HC_NAME) };
_Static_assert(sizeof(hypercall_names) / sizeof(hypercall_names[0]) == VMI_NR_HYPERCALLS,
	       "VMI_HYPERCALLS lists every hypercall");

static vmi_fn_set_pte *const set_pte_type_check = 0;

_Static_assert(VMI_PLATFORM_SHIM_ROM_GPA >= VMI_SCAN_START &&
		       VMI_PLATFORM_SHIM_ROM_GPA < VMI_SCAN_END &&
		       VMI_PLATFORM_SHIM_ROM_GPA % VMI_SCAN_STEP == 0,
	       "the shim maps its ROM where guests scan");

const char *vmi_header_use(unsigned int nr);
const char *vmi_header_use(unsigned int nr)
{
	(void)set_pte_type_check;
	if (nr < VMI_NR_CALLS)
		return call_names[nr];
	return nr - VMI_NR_CALLS < VMI_NR_HYPERCALLS ? hypercall_names[nr - VMI_NR_CALLS] : 0;
}

#define FEATURE_NAME(bit, NAME) [bit] = #NAME,
static const char *const feature_names[] = { VMI_FEATURES(FEATURE_NAME) };
#define ANNOT_CHECK(value, NAME) _Static_assert(VMI_ANNOT_##NAME == value, #NAME);
VMI_ANNOTATIONS(ANNOT_CHECK)
#define FLAG_CHECK(bit, NAME)                                                  \
	_Static_assert((VMI_ENTRY_F_KNOWN_MASK & VMI_ENTRY_F_##NAME) != 0, #NAME);
VMI_ENTRY_FLAGS(FLAG_CHECK)

const char *vmi_feature_name(unsigned int bit);
const char *vmi_feature_name(unsigned int bit)
{
	if (bit >= sizeof(feature_names) / sizeof(feature_names[0]))
		return 0;
	return feature_names[bit];
}
