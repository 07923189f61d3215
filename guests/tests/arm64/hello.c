/* hello.c - output through both of hvlab's console calls: a character, and a buffer. */
#include <arm64.h>
#include <hvtest.h>

static const char text[] = "hello from the console write call\n";

int main(unsigned long cpu, unsigned long dtb)
{
	struct smccc_res r;

	guest_puts("hello from the console putc call\n");
	hvtest_pass("hello.putc");

	/* The write call takes the text's guest-physical address (the MMU is off). */
	r = smccc_hvc(HVLAB_CONSOLE_WRITE, (unsigned long)text, sizeof(text) - 1, 0);
	hvtest_check(r.a0 == sizeof(text) - 1, "hello.write", "returned %ld", r.a0);
	/* The same through SMC, which the hypervisor traps (HCR_EL2.TSC). */
	r = smccc_smc(HVLAB_CONSOLE_PUTC, '!', 0, 0);
	guest_putc('\n');
	hvtest_check(r.a0 == 0, "hello.smc", "returned %ld", r.a0);
	hvtest_finish();
}
