/* cpu.h - what this arm64 CPU implements, and probing instructions that may not exist. */
#ifndef ARM64_CPU_H
#define ARM64_CPU_H

#include <percpu.h>
#include <types.h>

/*
 * While cpu_probe_active[cpu], an undefined-instruction exception of that CPU sets
 * cpu_probe_faulted[cpu] and skips the instruction (trap.c).
 */
extern volatile bool cpu_probe_active[CPU_MAX];
extern volatile bool cpu_probe_faulted[CPU_MAX];

/* Arm semihosting SYS_EXIT: QEMU exits with `status`, if semihosting is on; else returns. */
void arm64_semihosting_exit(u64 status);

/* PSCI through the firmware's conduit (SMC or HVC, from the device tree's /psci). */
long psci_call(u32 function, u64 arg0, u64 arg1, u64 arg2);
void psci_set_conduit(bool hvc);

#endif
