/*
 * asm/percpu.h - finding this CPU's struct cpu on arm64: SP_EL0 holds its address
 * whenever the hypervisor runs. The hypervisor never runs on SP_EL0 (it uses SP_EL2, or
 * SP_EL1 when QEMU started it at EL1), so that register is free, as it is in Linux, which
 * keeps `current` there. Unlike TPIDR_EL2 it exists at EL1 too, so the same boot flow
 * runs there and can say that EL2 is missing. A guest owns SP_EL0 while it runs: the
 * world switch (switch.S) swaps it.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

struct cpu;

static inline struct cpu *this_cpu(void)
{
	struct cpu *cpu;

	__asm__("mrs %0, sp_el0" : "=r"(cpu));
	return cpu;
}

#endif
