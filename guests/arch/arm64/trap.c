/*
 * trap.c - the test guest's own exception handler, at EL1. Exceptions the hypervisor
 * leaves to the guest, or injects, land here (vectors.S).
 */
#include <arm64.h>

volatile struct guest_trap trap_seen;
static volatile bool trap_armed;
void (*volatile irq_handler)(unsigned long cause);

struct guest_frame {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 pad;
};

void trap_expect(void)
{
	trap_seen.count = 0;
	trap_seen.cause = ~0UL;
	trap_armed = true;
}

/* kind: the vector, (source) * 4 + (0 sync, 1 IRQ, 2 FIQ, 3 SError). */
void guest_trap(struct guest_frame *f, unsigned long kind)
{
	unsigned long esr = read_sysreg(esr_el1), far = read_sysreg(far_el1);

	if ((kind & 3) == 1 && irq_handler) {
		irq_handler(kind);
		return;
	}
	if ((kind & 3) != 0 || !trap_armed) {
		guest_printf("hvtest: guest FAIL unexpected exception: vector %lu, ESR_EL1 0x%lx, "
			     "ELR_EL1 0x%lx, FAR_EL1 0x%lx\n",
			     kind, esr, f->elr, far);
		guest_shutdown(1);
	}
	trap_seen.cause = esr;
	trap_seen.epc = f->elr;
	trap_seen.tval = far;
	trap_seen.count++;
	trap_armed = false;
	/*
	 * Resume after the instruction (4 bytes in A64) - which ELR_EL1 points past already
	 * for the exception-generating SVC, HVC and SMC (Arm ARM D1.10.4, preferred return
	 * addresses).
	 */
	if (ESR_EC(esr) < 0x15 || ESR_EC(esr) > 0x17)
		f->elr += 4;
}
