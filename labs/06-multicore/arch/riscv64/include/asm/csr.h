/* asm/csr.h - RISC-V control and status registers: accessors and the bits hvlab uses. */
#ifndef ASM_CSR_H
#define ASM_CSR_H

/* sstatus (RISC-V Privileged Spec v1.12, section 4.1.1) */
#define SSTATUS_SIE	   (1UL << 1)
#define SSTATUS_SPIE	   (1UL << 5)
#define SSTATUS_SPP	   (1UL << 8)
#define SSTATUS_SUM	   (1UL << 18)
#define SSTATUS_FS_MASK	   (3UL << 13) /* floating-point state: Off, Initial, Clean, Dirty */
#define SSTATUS_FS_INITIAL (1UL << 13)

/* sie / sip: the supervisor's own interrupts (section 4.1.3) */
#define SIE_SSIE    (1UL << 1)
#define SIE_STIE    (1UL << 5)
#define SIE_SEIE    (1UL << 9)
#define IRQ_S_SOFT  1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT   9

/* hstatus (section 8.2.1) */
#define HSTATUS_SPV	  (1UL << 7)
#define HSTATUS_SPVP	  (1UL << 8)
#define HSTATUS_VTW	  (1UL << 21)
#define HSTATUS_VSXL_MASK (3UL << 32)

/* Interrupts a guest sees as its own (section 8.2.3): delegated with hideleg; their
 * bits in hvip, hip and hie. */
#define IRQ_VS_SOFT  2
#define IRQ_VS_TIMER 6
#define IRQ_VS_EXT   10

/* hcounteren: which counters VS/VU-mode may read (section 8.2.6) */
#define HCOUNTEREN_CY (1UL << 0)
#define HCOUNTEREN_TM (1UL << 1)
#define HCOUNTEREN_IR (1UL << 2)

/* hgatp (section 8.2.10): MODE in 63:60, VMID in 57:44, the root table's PPN below. */
#define HGATP_MODE_SV39X4 (8UL << 60)
#define HGATP_VMID_SHIFT  44
#define HGATP_VMID_MASK	  (0x3fffUL << HGATP_VMID_SHIFT)

/* The WFI instruction's encoding, to recognize it in a virtual-instruction exit. */
#define INSN_WFI 0x10500073UL

/* scause: the top bit tells interrupts from exceptions (section 4.1.8) */
#define CAUSE_INTERRUPT (1UL << 63)

#define EXC_INST_MISALIGNED	   0
#define EXC_INST_ACCESS		   1
#define EXC_ILLEGAL_INST	   2
#define EXC_BREAKPOINT		   3
#define EXC_LOAD_MISALIGNED	   4
#define EXC_LOAD_ACCESS		   5
#define EXC_STORE_MISALIGNED	   6
#define EXC_STORE_ACCESS	   7
#define EXC_ECALL_U		   8
#define EXC_ECALL_S		   9
#define EXC_ECALL_VS		   10
#define EXC_ECALL_M		   11
#define EXC_INST_PAGE_FAULT	   12
#define EXC_LOAD_PAGE_FAULT	   13
#define EXC_STORE_PAGE_FAULT	   15
#define EXC_INST_GUEST_PAGE_FAULT  20
#define EXC_LOAD_GUEST_PAGE_FAULT  21
#define EXC_VIRTUAL_INST	   22
#define EXC_STORE_GUEST_PAGE_FAULT 23

#ifndef __ASSEMBLER__

#define csr_read(csr)                                                                              \
	({                                                                                         \
		unsigned long __v;                                                                 \
		__asm__ volatile("csrr %0, " #csr : "=r"(__v) : : "memory");                       \
		__v;                                                                               \
	})

#define csr_write(csr, val)                                                                        \
	({                                                                                         \
		unsigned long __v = (unsigned long)(val);                                          \
		__asm__ volatile("csrw " #csr ", %0" : : "rK"(__v) : "memory");                    \
	})

#define csr_set(csr, val)                                                                          \
	({                                                                                         \
		unsigned long __v = (unsigned long)(val);                                          \
		__asm__ volatile("csrs " #csr ", %0" : : "rK"(__v) : "memory");                    \
	})

#define csr_clear(csr, val)                                                                        \
	({                                                                                         \
		unsigned long __v = (unsigned long)(val);                                          \
		__asm__ volatile("csrc " #csr ", %0" : : "rK"(__v) : "memory");                    \
	})

#endif /* __ASSEMBLER__ */
#endif
