/*
 * smp_crash.c - a misbehaving SMP guest: vCPU 1 loads from a guest-physical address the
 * VM has nothing at (a guest-page fault the hypervisor cannot satisfy) while vCPU 0 spins
 * on another hart and never traps on its own. The hypervisor must stop the whole VM with
 * a report - taking vCPU 0 off its hart too - and go on running the other VMs.
 */
#include <hvtest.h>
#include <smp.h>

#define NOWHERE 0x40000000UL /* below the VM's RAM, and no device there */

static volatile unsigned long spins;

static void stray(unsigned long hart, unsigned long arg)
{
	(void)*(volatile unsigned long *)arg;
	guest_printf("smp_crash: vCPU %lu survived a load from nowhere\n", hart);
}

int main(unsigned long hart, unsigned long dtb)
{
	int err = smp_start(1, stray, NOWHERE);

	guest_printf("smp_crash: vCPU 1 started (error %d); vCPU 0 spins\n", err);
	for (;;)
		spins++;
}
