// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * SIGTERM, SIGINT and SIGHUP end the VM in order instead of killing the
 * process: a test runner that gives up on a hung guest gets the statistics,
 * the audit summary and each vCPU's state (vcpu_dump.c), and status
 * SHIM_EXIT_STOPPED. One thread waits for them; every other thread blocks them.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "exit_status.h"
#include "shim.h"

static sigset_t stop_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	return set;
}

static void *signal_thread(void *arg)
{
	static char reason[64];
	struct shim_vm *vm = arg;
	sigset_t set = stop_signals();
	int signal;

	if (sigwait(&set, &signal) != 0)
		return NULL;
	snprintf(reason, sizeof(reason), "stopped by %s", strsignal(signal));
	vm_request_exit(vm, SHIM_EXIT_STOPPED, reason);
	return NULL;
}

/* Call before any other thread starts: they inherit the blocked mask. */
void signals_start(struct shim_vm *vm)
{
	sigset_t set = stop_signals();
	pthread_t thread;

	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (pthread_create(&thread, NULL, signal_thread, vm) != 0)
		shim_fatal("cannot start the signal thread");
	pthread_detach(thread);
}
