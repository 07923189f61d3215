/*
 * trap.c - the test guest's own trap handler (VS-mode: its stvec is the hypervisor's
 * vstvec). Exceptions the hypervisor delegates land here.
 */
#include <guest.h>
#include <rv.h>

volatile struct guest_trap trap_seen;
void run_user_return(void);
static volatile bool trap_armed;
void (*volatile irq_handler)(unsigned long cause);

void plic_irq_on(u32 source, void (*handler)(unsigned long cause))
{
	mmio_write32(PLIC_PRIORITY(source), 1);
	mmio_write32(PLIC_ENABLE(PLIC_S_CONTEXT), 1U << source);
	mmio_write32(PLIC_THRESHOLD(PLIC_S_CONTEXT), 0);
	irq_handler = handler;
	csr_set(sie, SIE_SEIE);
	csr_set(sstatus, SSTATUS_SIE);
}

void trap_expect(void)
{
	trap_seen.count = 0;
	trap_seen.cause = ~0UL;
	trap_armed = true;
}

/* Length of the instruction at epc: 16-bit if its low two bits are not 11. */
static unsigned long insn_length(unsigned long epc)
{
	return (*(volatile u16 *)epc & 3) == 3 ? 4 : 2;
}

/* GCC saves every register it uses and returns with sret. */
__attribute__((interrupt("supervisor"), aligned(4))) void guest_trap_vector(void)
{
	unsigned long cause, epc, tval;

	cause = csr_read(scause);
	epc = csr_read(sepc);
	tval = csr_read(stval);
	if ((long)cause < 0 && irq_handler) {
		irq_handler(cause);
		return;
	}
	/* run_user()'s function has returned to its ecall: back to S-mode (user.S). */
	if (cause == EXC_ECALL_U) {
		csr_write(sepc, (unsigned long)run_user_return);
		csr_set(sstatus, SSTATUS_SPP);
		return;
	}
	if (!trap_armed) {
		guest_printf("hvtest: guest FAIL unexpected trap: scause 0x%lx sepc 0x%lx "
			     "stval 0x%lx\n", cause, epc, tval);
		guest_shutdown(1);
	}
	trap_seen.cause = cause;
	trap_seen.epc = epc;
	trap_seen.tval = tval;
	trap_seen.count++;
	trap_armed = false;
	epc += insn_length(epc);
	csr_write(sepc, epc);
}
