/*
 * wfi.c - WFI traps to the hypervisor (hstatus.VTW), which lets the guest go on; from the
 * guest's user mode (VU-mode) WFI is illegal, as on a real hart (Privileged Spec 3.1.6.5),
 * and the guest's own handler must see an illegal-instruction exception.
 */
#include <hvtest.h>
#include <rv.h>

static void user_wfi(void)
{
	__asm__ volatile("wfi");
}

int main(unsigned long hart, unsigned long dtb)
{
	for (int i = 0; i < 5; i++)
		__asm__ volatile("wfi");
	hvtest_pass("wfi.returns");

	trap_expect();
	run_user(user_wfi);
	hvtest_check(trap_seen.count == 1 && trap_seen.cause == EXC_ILLEGAL_INST &&
			     trap_seen.tval == INSN_WFI,
		     "wfi.user_mode_illegal",
		     "%lu trap(s) in the guest, scause %ld, stval 0x%lx (expected an illegal "
		     "instruction with stval 0x%x)",
		     trap_seen.count, (long)trap_seen.cause, trap_seen.tval, INSN_WFI);
	hvtest_finish();
}
