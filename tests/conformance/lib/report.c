/*
 * TAP output: "ok N - case: what" / "not ok N - case: what" /
 * "ok N - case: what # SKIP", then "1..N" and the final
 * "N passed, N failed, N skipped". A run without that last line crashed.
 */
#include <vmi/vmi_platform.h>

#include "conf.h"
#include "cpu.h"

/* Status bytes on the debug-exit port: the host exits with (byte << 1) | 1. */
#define EXIT_PASS 0
#define EXIT_FAIL 1

static unsigned tap_number, passed, failed, skipped;
static const char *current_case = "setup";

static void emit(const char *verdict, const char *fmt, va_list ap, const char *suffix)
{
	char what[400];

	conf_vsnprintf(what, sizeof(what), fmt, ap);
	conf_printf("%s %u - %s: %s%s\n", verdict, ++tap_number, current_case, what, suffix);
}

bool report(bool cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit(cond ? "ok" : "not ok", fmt, ap, "");
	va_end(ap);
	if (cond)
		passed++;
	else
		failed++;
	return cond;
}

void report_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("ok", fmt, ap, " # SKIP");
	va_end(ap);
	skipped++;
}

void report_info(const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	conf_vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	conf_printf("# %s\n", what);
}

void report_begin_case(const char *name, const char *title)
{
	current_case = name;
	conf_printf("# case %s: %s\n", name, title);
}

unsigned report_failures(void)
{
	return failed;
}

void report_summary(void)
{
	conf_printf("1..%u\n", tap_number);
	conf_printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
}

NORETURN void conf_exit(bool success)
{
	outl(VMI_PLATFORM_DEBUG_EXIT_PORT, success ? EXIT_PASS : EXIT_FAIL);
	/* No debug-exit device: stop here; the host's timeout ends the run. */
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* The environment broke (not the ROM): say so, and end without a summary. */
NORETURN void conf_abort(const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	conf_vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	conf_printf("Bail out! %s: %s\n", current_case, what);
	conf_exit(false);
}
