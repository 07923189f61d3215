/* percpu.c - the table of physical CPUs and their stacks. */
#include <percpu.h>

struct cpu cpus[CPU_MAX];
unsigned int nr_cpus = 1;
unsigned int nr_cpus_present = 1;

/* CPU 0 boots on head.S's stack; the others get one of these when they start. */
static u8 cpu_stacks[CPU_MAX][CPU_STACK_SIZE] __aligned(16);

_Static_assert(__builtin_offsetof(struct cpu, stack_top) == 0, "head.S loads sp from offset 0");

void cpus_init(const struct machine *m)
{
	unsigned int n = 1;

	cpus[0].id = 0;
	cpus[0].hwid = m->boot_cpu_hwid;
	cpus[0].online = true;
	for (int i = 0; i < m->nr_cpus && n < CPU_MAX; i++) {
		if (m->cpu_hwids[i] == m->boot_cpu_hwid)
			continue;
		cpus[n].id = n;
		cpus[n].hwid = m->cpu_hwids[i];
		cpus[n].stack_top = (unsigned long)(uintptr_t)&cpu_stacks[n][CPU_STACK_SIZE];
		n++;
	}
	nr_cpus_present = n;
}
