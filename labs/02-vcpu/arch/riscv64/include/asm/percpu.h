/*
 * asm/percpu.h - finding this CPU's struct cpu on RISC-V: the tp (thread pointer)
 * register holds its address whenever the hypervisor runs. head.S sets it before any C
 * code runs; the world switch (switch.S) saves it before entering a guest, which may
 * use tp as it likes, and restores it on the way back. GCC never allocates tp to
 * anything else (psABI: tp is the thread pointer, not a general register).
 */
#ifndef ASM_PERCPU_H
#define ASM_PERCPU_H

struct cpu;

static inline struct cpu *this_cpu(void)
{
	struct cpu *cpu;

	__asm__("mv %0, tp" : "=r"(cpu));
	return cpu;
}

#endif
