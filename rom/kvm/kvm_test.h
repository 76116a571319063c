/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The KVM ROM's host unit tests (kvm_*_test.c): one "ok" or "not ok" line
 * per check, then the counts; the exit status says whether all passed.
 */
#ifndef KVM_TEST_H
#define KVM_TEST_H

#include <stdio.h>

static int passed, failed;

static void check(int ok, const char *what)
{
	printf("%s - %s\n", ok ? "ok" : "not ok", what);
	if (ok)
		passed++;
	else
		failed++;
}

static int check_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}

#endif /* KVM_TEST_H */
