/*
 * smccc.c - a test guest's firmware calls (SMC Calling Convention 1.1, Arm DEN 0028):
 * HVC #0 and SMC #0 both trap to the hypervisor, which answers as the firmware.
 */
#include <arm64.h>

#define SMCCC_CALL(insn)                                                                   \
	register u64 x0 __asm__("x0") = fid;                                               \
	register u64 x1 __asm__("x1") = a1;                                                \
	register u64 x2 __asm__("x2") = a2;                                                \
	register u64 x3 __asm__("x3") = a3;                                                \
	__asm__ volatile(insn : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");      \
	return (struct smccc_res){(long)x0, (long)x1, (long)x2, (long)x3}

struct smccc_res smccc_hvc(u32 fid, u64 a1, u64 a2, u64 a3)
{
	SMCCC_CALL("hvc #0");
}

struct smccc_res smccc_smc(u32 fid, u64 a1, u64 a2, u64 a3)
{
	SMCCC_CALL("smc #0");
}

void guest_putc(char c)
{
	smccc_hvc(HVLAB_CONSOLE_PUTC, (unsigned char)c, 0, 0);
}

/* Success: PSCI SYSTEM_OFF; a failure: hvlab's shutdown with a status. */
void guest_shutdown(int status)
{
	if (status == 0)
		smccc_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	else
		smccc_hvc(HVLAB_SHUTDOWN, (u32)status, 0, 0);
	guest_puts("hvtest: shutdown returned; spinning\n");
	for (;;)
		__asm__ volatile("wfi");
}
