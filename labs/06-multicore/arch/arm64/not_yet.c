/*
 * not_yet.c - the hooks of labs 4 to 6 (interrupts, I/O, SMP) that the arm64 port does
 * not implement yet: a GICv3 driver and a virtual GICv3, the timers, secondary CPUs.
 * The arm64 track has labs 1 to 3 (tools/labs.toml); the finished core of later labs
 * still calls these, so each either does nothing an arm64 guest of labs 1-3 could miss
 * or stops with a message that says what is missing. docs/arm64.md lists them.
 */
#include <arch.h>
#include <errno.h>
#include <panic.h>
#include <percpu.h>
#include <printf.h>
#include <vcpu.h>
#include <vintc.h>
#include <vm.h>
#include <smp.h>

/* No GICv3 driver yet: the hypervisor takes no interrupt, and gives none to guests. */
int arch_interrupts_init(const struct machine *m, const struct fdt *fdt, char *why, size_t why_size)
{
	printf("interrupts: none yet on arm64 (the GICv3 and the timers come with lab 4)\n");
	return 0;
}

/* No virtual GICv3 yet: a VM has no interrupt lines, so no device can have one. */
int vintc_create(struct vm *vm, char *why, size_t why_size)
{
	return 0;
}

u32 vintc_nr_lines(const struct vm *vm)
{
	return 0;
}

void vintc_set_level(struct vm *vm, u32 line, bool high)
{
}

/* Nothing raises a vCPU's interrupt on arm64: without lines, no device or vCPU can. */
void arch_vcpu_set_virq(struct vcpu *vcpu, enum virq irq, bool pending)
{
	panic("arch_vcpu_set_virq(): arm64 has no virtual interrupts yet (lab 4)");
}

/* A vCPU's WFI completes at once on arm64 (exits.c): no vCPU ever waits for this. */
void arch_wait_for_interrupt(void)
{
	panic("arch_wait_for_interrupt(): arm64 has no interrupts to wait for yet (lab 4)");
}

/*
 * The hypervisor runs on the boot CPU alone: with more CPUs in the device tree,
 * smp_start_secondaries() stops it with ENOTSUP and says to boot with -smp 1.
 */
int arch_cpu_start(struct cpu *cpu)
{
	return -ENOTSUP;
}

void arch_cpu_send_ipi(const struct cpu *cpu)
{
	panic("arch_cpu_send_ipi(): arm64 starts no other CPU yet (lab 6)");
}

void arch_cpu_park(void)
{
	for (;;)
		__asm__ volatile("wfe");
}
