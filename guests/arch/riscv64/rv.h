/* rv.h - small RISC-V helpers for test guests: CSR access, the time, interrupts on/off. */
#ifndef GUEST_RV_H
#define GUEST_RV_H

#include <guest.h>

#define csr_read(csr)                                                                      \
	({                                                                                 \
		unsigned long __v;                                                         \
		__asm__ volatile("csrr %0, " #csr : "=r"(__v) : : "memory");               \
		__v;                                                                       \
	})
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" : : "r"((unsigned long)(v)) : "memory")
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" : : "r"((unsigned long)(v)) : "memory")
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" : : "r"((unsigned long)(v)) : "memory")

#define SSTATUS_SIE (1UL << 1)
#define SSTATUS_SPP (1UL << 8)
#define EXC_ILLEGAL_INST 2
#define EXC_ECALL_U 8
#define INSN_WFI 0x10500073U
#define SIE_SSIE (1UL << 1)
#define SIE_STIE (1UL << 5)
#define SIE_SEIE (1UL << 9)
#define CAUSE_IRQ (1UL << 63)
#define IRQ_SOFT 1
#define IRQ_TIMER 5
#define IRQ_EXT 9

/* Sv39 page-table entry bits and satp's mode (Privileged Spec, sections 4.3.1, 4.4.1). */
#define PTE_V	  (1UL << 0)
#define PTE_R	  (1UL << 1)
#define PTE_W	  (1UL << 2)
#define PTE_X	  (1UL << 3)
#define PTE_A	  (1UL << 6)
#define PTE_D	  (1UL << 7)
#define SATP_SV39 (8UL << 60)

/* QEMU's virt machine counts time at 10 MHz (its device tree's timebase-frequency). */
#define TIMEBASE_HZ 10000000UL
#define TICKS_PER_MS (TIMEBASE_HZ / 1000)

/* Calls fn in U-mode (the guest's user mode) and returns when fn has (user.S). */
void run_user(void (*fn)(void));

static inline unsigned long rdtime(void)
{
	unsigned long t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

/* The PLIC the hypervisor gives every VM, where QEMU's virt has the host's. */
#define PLIC_BASE 0x0c000000UL
#define PLIC_S_CONTEXT 1 /* vCPU 0's S-mode context: contexts are M, S per hart */
#define PLIC_PRIORITY(src) (PLIC_BASE + 4 * (src))
#define PLIC_PENDING (PLIC_BASE + 0x1000)
#define PLIC_ENABLE(ctx) (PLIC_BASE + 0x2000 + 0x80 * (ctx))
#define PLIC_THRESHOLD(ctx) (PLIC_BASE + 0x200000 + 0x1000 * (ctx))
#define PLIC_CLAIM(ctx) (PLIC_BASE + 0x200004 + 0x1000 * (ctx))

/*
 * Takes interrupts from PLIC source `source` (below 32) on vCPU 0's S-mode context:
 * priority 1, enabled, threshold 0, external interrupts on; handler gets each one.
 */
void plic_irq_on(u32 source, void (*handler)(unsigned long cause));

static inline void mmio_write32(unsigned long addr, u32 v)
{
	*(volatile u32 *)addr = v;
}

static inline u32 mmio_read32(unsigned long addr)
{
	return *(volatile u32 *)addr;
}

#endif
