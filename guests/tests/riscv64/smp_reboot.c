/*
 * smp_reboot.c - a reboot asked for by vCPU 1 on one hart while vCPU 0 spins on another,
 * never trapping on its own: the hypervisor must take vCPU 0 off its hart, reload the
 * image and start vCPU 0 alone (vCPU 1 STOPPED again). It reboots forever; every boot
 * prints what it finds.
 */
#include <hvtest.h>
#include <sbi.h>
#include <smp.h>

static int boots; /* zero again after every reboot: .bss is fresh */
static volatile unsigned long spins;

static void reboot_soon(unsigned long hart, unsigned long arg)
{
	for (unsigned long i = 0; i < arg; i++)
		spins++;
	sbi_call(SBI_EXT_SRST, SBI_SRST_RESET, SBI_SRST_COLD_REBOOT, SBI_SRST_REASON_NONE, 0, 0);
	guest_printf("smp_reboot: the reboot call returned\n");
}

int main(unsigned long hart, unsigned long dtb)
{
	struct sbiret status = sbi_hart_get_status(1);
	int err;

	boots++;
	err = smp_start(1, reboot_soon, 100000);
	guest_printf("smp_reboot: boot %d, vCPU 1 was in state %ld (error %ld), start error %d\n",
		     boots, status.value, status.error, err);
	for (;;)
		spins++;
}
