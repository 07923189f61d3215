/* cpus.c - the vCPUs of a test guest other than vCPU 0: PSCI CPU_ON, and where they begin. */
#include <arm64.h>

static void (*volatile cpu_fn[CPU_MAX])(unsigned long cpu, unsigned long arg);
static volatile unsigned long cpu_arg[CPU_MAX];

long cpu_start(unsigned long cpu, void (*fn)(unsigned long cpu, unsigned long arg),
	       unsigned long arg)
{
	if (cpu < CPU_MAX) {
		cpu_fn[cpu] = fn;
		cpu_arg[cpu] = arg;
	}
	/* CPU_ON's context comes back in x0 at cpu_entry: here, the vCPU's argument. */
	return smccc_hvc(PSCI_CPU_ON, cpu, (u64)(unsigned long)cpu_entry, arg).a0;
}

/* start.S: a vCPU entered cpu_entry with x0 = context; it runs its function, then stops. */
void cpu_secondary_main(unsigned long cpu, unsigned long context)
{
	if (cpu < CPU_MAX && cpu_fn[cpu])
		cpu_fn[cpu](cpu, context);
	smccc_hvc(PSCI_CPU_OFF, 0, 0, 0);
}
