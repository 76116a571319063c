/*
 * Host unit test of the suite's freestanding printf (lib/print.c): the
 * formats the TAP lines use, field widths, and truncation.
 */
#include <stdio.h>
#include <string.h>

#include "conf.h"

static unsigned passed, failed;

/* lib/print.c's conf_printf writes through this; the test never calls it. */
void serial_putc(char c)
{
	(void)c;
}

static void expect(const char *want, const char *got, const char *what)
{
	bool ok = strcmp(want, got) == 0;

	printf("%s %u - print: %s (\"%s\")\n", ok ? "ok" : "not ok", passed + failed + 1, what, got);
	if (ok)
		passed++;
	else
		failed++;
}

int main(void)
{
	char buf[64];
	int n;

	conf_snprintf(buf, sizeof(buf), "%d %d %u", -42, 7, 4000000000u);
	expect("-42 7 4000000000", buf, "signed and unsigned decimals");
	conf_snprintf(buf, sizeof(buf), "%lx %016lx %x", 0xdeadbeefcafeUL, 0x1fUL, 0xabu);
	expect("deadbeefcafe 000000000000001f ab", buf, "hex with zero padding");
	conf_snprintf(buf, sizeof(buf), "[%-5s][%5s][%c]", "ab", "cd", 'z');
	expect("[ab   ][   cd][z]", buf, "string widths and a char");
	conf_snprintf(buf, sizeof(buf), "%zu %ld %lu %%", (size_t)12, (long)-9, 18446744073709551615UL);
	expect("12 -9 18446744073709551615 %", buf, "size_t, long and a literal percent");
	conf_snprintf(buf, sizeof(buf), "%p %s", (void *)0x1000, (const char *)NULL);
	expect("0x1000 (null)", buf, "pointer and a null string");
	n = conf_snprintf(buf, 6, "%s", "truncated");
	expect("trunc", buf, "output is cut to the buffer and terminated");
	printf("%s %u - print: the return value counts the whole output (%d)\n",
	       n == 9 ? "ok" : "not ok", passed + failed + 1, n);
	if (n == 9)
		passed++;
	else
		failed++;
	printf("%u passed, %u failed\n", passed, failed);
	return failed != 0;
}
