/*
 * arm64.h - small AArch64 helpers for test guests: system registers, the counter, MMIO,
 * and the firmware calls the hypervisor offers (PSCI 1.1, SMCCC 1.1 and hvlab's own).
 */
#ifndef GUEST_ARM64_H
#define GUEST_ARM64_H

#include <guest.h>

#define read_sysreg(reg)                                                                   \
	({                                                                                 \
		u64 __v;                                                                   \
		__asm__ volatile("mrs %0, " #reg : "=r"(__v) : : "memory");                \
		__v;                                                                       \
	})
#define write_sysreg(reg, v) __asm__ volatile("msr " #reg ", %x0" : : "rZ"((u64)(v)) : "memory")
#define isb() __asm__ volatile("isb" ::: "memory")

/* ESR_EL1 (Arm ARM D17.2.37): exception class, instruction length, syndrome. */
#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_IL (1UL << 25)
#define ESR_ISS(esr) ((esr)&0x1ffffff)
#define EC_UNKNOWN 0x00
#define EC_DABT_CUR 0x25
#define EC_IABT_CUR 0x21
#define EC_BRK64 0x3c

/* The counter runs at CNTFRQ_EL0 (62.5 MHz on QEMU's virt). */
static inline u64 counter_now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static inline u64 counter_ms(unsigned long ms)
{
	return read_sysreg(cntfrq_el0) / 1000 * ms;
}

/* The vCPU's id: Aff0 of its MPIDR_EL1, which the hypervisor sets (VMPIDR_EL2). */
static inline unsigned long cpu_id(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

static inline void mmio_write32(unsigned long addr, u32 v)
{
	*(volatile u32 *)addr = v;
}

static inline u32 mmio_read32(unsigned long addr)
{
	return *(volatile u32 *)addr;
}

/* SMCCC calls: the function id in w0, arguments in x1-x3, results in x0-x3. */
struct smccc_res {
	long a0, a1, a2, a3;
};

struct smccc_res smccc_hvc(u32 fid, u64 a1, u64 a2, u64 a3);
struct smccc_res smccc_smc(u32 fid, u64 a1, u64 a2, u64 a3);

#define PSCI_VERSION 0x84000000
#define PSCI_CPU_SUSPEND 0xc4000001
#define PSCI_CPU_OFF 0x84000002
#define PSCI_CPU_ON 0xc4000003
#define PSCI_CPU_ON_32 0x84000003
#define PSCI_AFFINITY_INFO 0xc4000004
#define PSCI_AFFINITY_INFO_32 0x84000004
#define PSCI_MIGRATE 0xc4000005
#define PSCI_MIGRATE_INFO_TYPE 0x84000006
#define PSCI_SYSTEM_OFF 0x84000008
#define PSCI_SYSTEM_RESET 0x84000009
#define PSCI_FEATURES 0x8400000a
#define PSCI_SYSTEM_SUSPEND 0xc400000e
#define PSCI_SYSTEM_RESET2 0xc4000012
#define SMCCC_VERSION 0x80000000
#define SMCCC_ARCH_FEATURES 0x80000001
#define SMCCC_ARCH_WORKAROUND_1 0x80008000

#define PSCI_SUCCESS 0
#define PSCI_NOT_SUPPORTED (-1)
#define PSCI_INVALID_PARAMETERS (-2)
#define PSCI_ALREADY_ON (-4)
#define PSCI_INVALID_ADDRESS (-9)
#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1
#define SMCCC_NOT_SUPPORTED (-1)
#define SMCCC_INVALID_PARAMETER (-3)

/* hvlab's vendor-specific hypervisor calls (docs/arm64.md). */
#define HVLAB_CALL_COUNT 0x8600ff00
#define HVLAB_CALL_UID 0x8600ff01
#define HVLAB_CALL_REVISION 0x8600ff03
#define HVLAB_CONSOLE_PUTC 0x86000001
#define HVLAB_CONSOLE_WRITE 0xc6000002
#define HVLAB_CONSOLE_GETC 0x86000003
#define HVLAB_SHUTDOWN 0x86000004

/*
 * Starts vCPU `cpu` (PSCI CPU_ON) on fn(cpu, arg) with a stack of its own; returns
 * CPU_ON's result. The vCPU stops (CPU_OFF) when fn returns. Only vCPU 0 prints: the
 * others leave what they saw in memory.
 */
long cpu_start(unsigned long cpu, void (*fn)(unsigned long cpu, unsigned long arg),
	       unsigned long arg);
/* The entry CPU_ON gives every vCPU but vCPU 0 (cpus.c, start.S). */
void cpu_entry(void);
#define CPU_MAX 8

#endif
