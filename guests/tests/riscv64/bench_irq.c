/*
 * bench_irq.c - instructions from a device raising its interrupt to the guest's handler,
 * counted with rdinstret (exact under QEMU's -icount). The device is the emulated test
 * device: the count covers the trapped MMIO store, the virtual PLIC and the injection.
 */
#include <hvtest.h>
#include <rv.h>

#define TESTDEV 0x10010000UL
#define SOURCE 5
#define ROUNDS 100

static volatile unsigned long entered;

static unsigned long instret(void)
{
	unsigned long n;

	__asm__ volatile("rdinstret %0" : "=r"(n));
	return n;
}

static void on_irq(unsigned long cause)
{
	entered = instret();
	mmio_read32(PLIC_CLAIM(PLIC_S_CONTEXT));
	*(volatile u64 *)(TESTDEV + 0x50) = SOURCE; /* lower */
	mmio_write32(PLIC_CLAIM(PLIC_S_CONTEXT), SOURCE);
}

int main(unsigned long hart, unsigned long dtb)
{
	unsigned long total = 0;

	mmio_write32(PLIC_PRIORITY(SOURCE), 1);
	mmio_write32(PLIC_ENABLE(PLIC_S_CONTEXT), 1U << SOURCE);
	irq_handler = on_irq;
	csr_set(sie, SIE_SEIE);
	csr_set(sstatus, SSTATUS_SIE);
	for (int i = 0; i < ROUNDS; i++) {
		unsigned long start;

		entered = 0;
		start = instret();
		*(volatile u64 *)(TESTDEV + 0x48) = SOURCE; /* raise */
		while (!entered)
			;
		total += entered - start;
	}
	guest_printf("bench: device_irq %lu instructions from raise to handler (%d rounds; exact "
		     "only under QEMU -icount)\n", total / ROUNDS, ROUNDS);
	hvtest_finish();
}
