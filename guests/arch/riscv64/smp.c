/*
 * smp.c - starting, suspending and stopping a test guest's other vCPUs through SBI HSM
 * (SBI spec v2.0, chapter 9); see smp.h. Each vCPU but vCPU 0 gets one of the stacks
 * below and runs the function registered in smp_fn[] for its hart id.
 */
#include <rv.h>
#include <smp.h>

u8 smp_stacks[SMP_MAX_HARTS][SMP_STACK_SIZE] __attribute__((aligned(16)));
static smp_fn_t smp_fn[SMP_MAX_HARTS];
volatile long smp_stop_error[SMP_MAX_HARTS];

void smp_secondary_main(unsigned long hart, unsigned long opaque) __attribute__((noreturn));

/* Called by smp_entry on the vCPU's own stack, hart < SMP_MAX_HARTS. */
void smp_secondary_main(unsigned long hart, unsigned long opaque)
{
	smp_fn_t fn = __atomic_load_n(&smp_fn[hart], __ATOMIC_ACQUIRE);

	if (fn)
		fn(hart, opaque);
	smp_stop();
}

int smp_start(unsigned long hart, smp_fn_t fn, unsigned long arg)
{
	smp_fn_t old = NULL;
	struct sbiret ret;

	/* A hart id past smp_stacks still goes to the hypervisor, for its answer. */
	if (hart < SMP_MAX_HARTS) {
		old = __atomic_exchange_n(&smp_fn[hart], fn, __ATOMIC_SEQ_CST);
		smp_stop_error[hart] = 0;
	}
	/* Everything stored so far is visible before the vCPU can run (fence rw,rw). */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	ret = sbi_hart_start(hart, (unsigned long)smp_entry, arg);
	if (ret.error != SBI_SUCCESS && hart < SMP_MAX_HARTS)
		__atomic_store_n(&smp_fn[hart], old, __ATOMIC_SEQ_CST);
	return (int)ret.error;
}

long smp_suspend_nonretentive(smp_fn_t fn, unsigned long opaque)
{
	unsigned long hart = smp_hart_id();
	smp_fn_t old = __atomic_exchange_n(&smp_fn[hart], fn, __ATOMIC_SEQ_CST);
	struct sbiret ret;

	ret = sbi_hart_suspend(SBI_HSM_SUSPEND_NON_RETENTIVE, (unsigned long)smp_entry, opaque);
	/* Still here: it failed, or came back like a retentive suspend. */
	__atomic_store_n(&smp_fn[hart], old, __ATOMIC_SEQ_CST);
	return ret.error;
}

void smp_stop(void)
{
	unsigned long hart = smp_hart_id();
	struct sbiret ret;

	/* "must be called with supervisor-mode interrupts disabled" (9.2) */
	csr_clear(sstatus, SSTATUS_SIE);
	ret = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_STOP, 0, 0, 0, 0);
	if (hart < SMP_MAX_HARTS)
		smp_stop_error[hart] = ret.error ? ret.error : 1;
	for (;;)
		wfi();
}

int smp_nr_vcpus(void)
{
	int n = 0;

	/* Bounded: a hypervisor that answers every hart id still ends the probe. */
	while (n < 64 && sbi_hart_get_status(n).error == SBI_SUCCESS)
		n++;
	return n;
}
