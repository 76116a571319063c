/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The program fork_exec runs: exit(0) and nothing else, without libc, so
 * the benchmark measures fork and exec rather than a C runtime's start-up.
 */
void _start(void);

void _start(void)
{
	__asm__ volatile("mov $60, %%eax; xor %%edi, %%edi; syscall" : : : "rax", "rdi", "rcx", "r11", "memory");
	for (;;)
		;
}
