/* cpu.h - probing what this RISC-V hart implements. */
#ifndef RISCV_CPU_H
#define RISCV_CPU_H

#include <percpu.h>
#include <types.h>

/* Set once the H extension is known to be present; trap_entry.S reads it. */
extern bool cpu_has_h;

/* While cpu_probe_active, an illegal-instruction trap sets cpu_probe_faulted and skips. */
extern volatile bool cpu_probe_active;
extern volatile bool cpu_probe_faulted;

/*
 * While guest_access_active[cpu], a fault of that CPU's own access to guest memory
 * (HLV/HLVX: a page, guest-page or access fault) sets guest_access_faulted[cpu] and
 * skips the instruction: a guest's broken mapping must not take the hypervisor down.
 */
extern volatile bool guest_access_active[CPU_MAX];
extern volatile bool guest_access_faulted[CPU_MAX];

/* Does an ISA string ("rv64imafdch_zicsr_..._sstc") name multi-letter extension ext? */
bool isa_has_extension(const char *isa, const char *ext);

/* QEMU's SiFive test device, from the device tree; 0 when the machine has none. */
extern paddr_t riscv_finisher_base;

#endif
