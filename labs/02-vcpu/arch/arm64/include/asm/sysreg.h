/*
 * asm/sysreg.h - AArch64 system registers: accessors and the bits hvlab uses.
 * Names and bit positions: Arm Architecture Reference Manual for A-profile (DDI 0487),
 * chapter D17 (AArch64 system register descriptions); section numbers refer to it.
 */
#ifndef ASM_SYSREG_H
#define ASM_SYSREG_H

/* CurrentEL (D17.2.30): the exception level in bits 3:2. */
#define CURRENTEL_EL1 (1 << 2)
#define CURRENTEL_EL2 (2 << 2)

/* MPIDR_EL1 (D17.2.101): the affinity fields Aff3 (39:32) and Aff2..Aff0 (23:0). */
#define MPIDR_HWID_MASK 0xff00ffffffUL

/* SCTLR_EL2 (D17.2.119) with only its RES1 bits: MMU, caches and alignment checks off. */
#define SCTLR_EL2_RES1 0x30c50830UL

/*
 * HCR_EL2 (D17.2.48): what the hypervisor traps and routes while a guest runs at EL1.
 * VM: stage-2 translation (lab 3). IMO, FMO, AMO: physical IRQs, FIQs and SErrors go to
 * EL2, and the guest's GIC CPU interface accesses go to the virtual one (ICV_*), never
 * the host's. FB and BSU: the guest's TLB and cache maintenance is broadcast to every
 * CPU, where its vCPUs may move. TWI, TWE: WFI and WFE trap. TSC: SMC traps (or QEMU's
 * PSCI would answer the guest directly). TACR: ACTLR_EL1, implementation defined, traps.
 * RW: EL1 is AArch64.
 */
#define HCR_VM	   (1UL << 0)
#define HCR_FMO	   (1UL << 3)
#define HCR_IMO	   (1UL << 4)
#define HCR_AMO	   (1UL << 5)
#define HCR_FB	   (1UL << 9)
#define HCR_BSU_IS (1UL << 10)
#define HCR_TWI	   (1UL << 13)
#define HCR_TWE	   (1UL << 14)
#define HCR_TSC	   (1UL << 19)
#define HCR_TACR   (1UL << 21)
#define HCR_RW	   (1UL << 31)
#define HCR_GUEST                                                                                  \
	(HCR_RW | HCR_TSC | HCR_TWI | HCR_TWE | HCR_TACR | HCR_IMO | HCR_FMO | HCR_AMO | HCR_FB |  \
	 HCR_BSU_IS)

/*
 * MDCR_EL2 (D17.2.93): the debug and performance-monitor registers, one copy per CPU,
 * trap (TDA, TDOSA, TDRA, TPM, TPMCR): no guest sees another's, and none sees the
 * hypervisor's. HPMN (4:0) keeps every counter for EL1 and EL0 to see, were they allowed.
 */
#define MDCR_TPMCR (1UL << 5)
#define MDCR_TPM   (1UL << 6)
#define MDCR_TDA   (1UL << 9)
#define MDCR_TDOSA (1UL << 10)
#define MDCR_TDRA  (1UL << 11)

/* CNTHCTL_EL2 (D17.2.25), without VHE: EL1PCTEN (0) lets EL1 read the physical counter;
 * EL1PCEN (1) clear: its physical timer registers trap. */
#define CNTHCTL_EL1PCTEN (1UL << 0)

/*
 * ICC_SRE_EL2 (GICv3 architecture specification, IHI 0069): SRE - EL2 uses the GIC's
 * system registers, the ICH_* ones included; Enable - EL1 may reach ICC_SRE_EL1 without
 * a trap.
 */
#define ICC_SRE_EL2_SRE	   (1UL << 0)
#define ICC_SRE_EL2_ENABLE (1UL << 3)

/* SCTLR_EL1 (D17.2.118) with only its RES1 bits: a CPU out of reset, MMU and caches off. */
#define SCTLR_EL1_RES1 0x30d00800UL
/* MPIDR_EL1 bit 31 is RES1; Aff0 (7:0) is the vCPU's id (VMPIDR_EL2 gives the guest's). */
#define MPIDR_RES1 (1UL << 31)

/* ISS of a trapped MSR/MRS (EC 0x18, D17.2.37): the register's encoding and Rt. */
#define SYS_ISS_READ(iss) ((iss)&1) /* 1: MRS (a read) */
#define SYS_ISS_RT(iss)	  (((iss) >> 5) & 0x1f)
#define SYS_ISS_OP0(iss)  (((iss) >> 20) & 3)

/* CPTR_EL2 (D17.2.29), without VHE: RES1 bits 13, 12, 9:0; TFP (10) traps FP/SIMD. */
#define CPTR_EL2_RES1 0x33ffUL
#define CPTR_EL2_TFP  (1UL << 10)

/* ID_AA64PFR0_EL1 (D17.2.65): EL2 in bits 11:8, 0 when EL2 is not implemented. */
#define ID_AA64PFR0_EL2_SHIFT 8
/* ID_AA64MMFR0_EL1 (D17.2.63): PARange in bits 3:0. */
#define ID_AA64MMFR0_PARANGE_MASK 0xfUL
/* ID_AA64MMFR1_EL1 (D17.2.64): VMIDBits in bits 7:4, 2 = 16 bits. */
#define ID_AA64MMFR1_VMIDBITS_SHIFT 4

/* ESR_ELx (D17.2.37): the exception class, the instruction length and the syndrome. */
#define ESR_EC_SHIFT 26
#define ESR_EC(esr)  (((esr) >> ESR_EC_SHIFT) & 0x3f)
#define ESR_IL	     (1UL << 25)
#define ESR_ISS(esr) ((esr)&0x1ffffff)

#define EC_UNKNOWN	 0x00
#define EC_WFX		 0x01
#define EC_FP_ASIMD	 0x07
#define EC_ILLEGAL_STATE 0x0e
#define EC_SVC64	 0x15
#define EC_HVC64	 0x16
#define EC_SMC64	 0x17
#define EC_SYS64	 0x18
#define EC_IABT_LOW	 0x20
#define EC_IABT_CUR	 0x21
#define EC_PC_ALIGN	 0x22
#define EC_DABT_LOW	 0x24
#define EC_DABT_CUR	 0x25
#define EC_SP_ALIGN	 0x26
#define EC_SERROR	 0x2f
#define EC_BRK64	 0x3c

/* The ISS of a data or instruction abort (D17.2.37, "ISS encoding for ... Abort"). */
#define ESR_ISV		(1UL << 24) /* bits 23:14 (SAS, SSE, SRT, SF, AR) are valid */
#define ESR_SAS(esr)	(((esr) >> 22) & 3) /* access size: 1 << SAS bytes */
#define ESR_SSE		(1UL << 21) /* sign-extend the loaded value */
#define ESR_SRT(esr)	(((esr) >> 16) & 0x1f) /* the register transferred */
#define ESR_SF		(1UL << 15) /* SRT is a 64-bit register */
#define ESR_S1PTW	(1UL << 7) /* the fault came from the stage-1 table walk */
#define ESR_WNR		(1UL << 6) /* a write */
#define ESR_FSC(esr)	((esr)&0x3f) /* DFSC / IFSC */
#define FSC_SEA		0x10 /* synchronous external abort, not on a table walk */
#define FSC_TRANSLATION 0x04 /* 0b0001LL: translation fault at level LL */

/* SPSR_ELx / PSTATE (C5.2.19): the mode field M[3:0] and the DAIF masks. */
#define PSR_MODE_EL0T 0x0
#define PSR_MODE_EL1T 0x4
#define PSR_MODE_EL1H 0x5
#define PSR_MODE_MASK 0xf
#define PSR_MODE_32   (1UL << 4) /* the exception came from AArch32 */
#define PSR_F	      (1UL << 6)
#define PSR_I	      (1UL << 7)
#define PSR_A	      (1UL << 8)
#define PSR_D	      (1UL << 9)
#define PSR_DAIF      (PSR_D | PSR_A | PSR_I | PSR_F)

#ifndef __ASSEMBLER__
#include <types.h>

#define read_sysreg(reg)                                                                           \
	({                                                                                         \
		u64 __v;                                                                           \
		__asm__ volatile("mrs %0, " #reg : "=r"(__v) : : "memory");                        \
		__v;                                                                               \
	})

#define write_sysreg(reg, val) __asm__ volatile("msr " #reg ", %x0" : : "rZ"((u64)(val)) : "memory")

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}

#endif /* __ASSEMBLER__ */
#endif
