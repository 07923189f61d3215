/*
 * asm/percpu.h - finding this CPU's struct cpu on arm64: TPIDR_EL2, the EL2 software
 * thread ID register, holds its address. head.S sets it before any C code runs. A guest
 * at EL1 cannot reach it (it has TPIDR_EL1 of its own), so no world switch touches it.
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

struct cpu;

static inline struct cpu *this_cpu(void)
{
	struct cpu *cpu;

	__asm__("mrs %0, tpidr_el2" : "=r"(cpu));
	return cpu;
}

#endif
