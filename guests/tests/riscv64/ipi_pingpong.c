/*
 * ipi_pingpong.c - an IPI bounced between two vCPUs ROUNDS times (SBI spec v2.0, chapter 7,
 * send_ipi): vCPU 0 sends one to vCPU 1, whose interrupt handler answers with one to vCPU
 * 0, and so on. Both wait in WFI, so that a waiting vCPU leaves its physical hart free, and
 * take the interrupt in the handler; both count. The run is bounded by a timer set
 * TIMEOUT_MS ahead on each vCPU. On success vCPU 0 prints the instructions per round trip,
 * counted with rdinstret across the rounds as bench_sbi.c counts: exact only under QEMU's
 * -icount, where the count includes the hypervisor's instructions on vCPU 0's hart.
 */
#include <hvtest.h>
#include <rv.h>
#include <sbi.h>
#include <smp.h>

#define ROUNDS	   1000
#define TIMEOUT_MS 20000 /* the whole run */
#define STEP_MS	   5000 /* vCPU 1 coming up, and finishing */

static unsigned long received[2]; /* IPIs taken, per vCPU */
static unsigned long answered; /* by vCPU 1 */
static long answer_error; /* vCPU 1's first failed send_ipi */
static unsigned long ready, finished; /* vCPU 1 is waiting for IPIs / is done */

static unsigned long instret(void)
{
	unsigned long n;

	__asm__ volatile("rdinstret %0" : "=r"(n));
	return n;
}

static void set_timer(unsigned long when)
{
	sbi_call(SBI_EXT_TIME, 0, when, 0, 0, 0);
}

static void on_irq(unsigned long cause)
{
	unsigned long self = smp_hart_id();
	struct sbiret ret;

	if (self > 1)
		return;
	if (cause == (CAUSE_IRQ | IRQ_SOFT)) {
		csr_clear(sip, SIE_SSIE); /* first: the next IPI sets it again */
		__atomic_store_n(&received[self], received[self] + 1, __ATOMIC_RELEASE);
		if (self == 1) {
			ret = sbi_send_ipi(1UL << 0, 0);
			if (ret.error == SBI_SUCCESS)
				answered++;
			else if (!answer_error)
				answer_error = ret.error;
		}
	} else if (cause == (CAUSE_IRQ | IRQ_TIMER)) {
		set_timer(~0UL); /* the deadline: disarm, sleep_until() sees the time */
	}
}

/*
 * Sleeps in WFI until this vCPU has taken `want` IPIs (true), or its deadline passed.
 * The count is checked with interrupts off, so that an IPI taken between the check and the
 * WFI cannot be missed: WFI still wakes for an interrupt pending and enabled in sie
 * (Priv. 3.3.3), which is then taken when SIE goes back on.
 */
static bool sleep_until(unsigned long self, unsigned long want, unsigned long deadline)
{
	bool done;

	for (;;) {
		csr_clear(sstatus, SSTATUS_SIE);
		done = __atomic_load_n(&received[self], __ATOMIC_ACQUIRE) >= want;
		if (done || rdtime() >= deadline)
			break;
		wfi();
		csr_set(sstatus, SSTATUS_SIE);
	}
	csr_set(sstatus, SSTATUS_SIE);
	return done;
}

/* vCPU 1: answers ROUNDS IPIs from its handler; arg is its deadline. */
static void pong(unsigned long hart, unsigned long deadline)
{
	set_timer(deadline);
	csr_set(sie, SIE_SSIE | SIE_STIE);
	__atomic_store_n(&ready, 1, __ATOMIC_RELEASE);
	sleep_until(1, ROUNDS, deadline);
	set_timer(~0UL);
	csr_clear(sie, SIE_SSIE | SIE_STIE);
	__atomic_store_n(&finished, 1, __ATOMIC_RELEASE);
	/* Returning stops it (hart_stop). */
}

/* vCPU 0 waits for vCPU 1, at most STEP_MS, in WFI: 1 ms naps that leave the hart free. */
static bool wait_flag(unsigned long *flag)
{
	unsigned long t0 = rdtime();

	while (!__atomic_load_n(flag, __ATOMIC_ACQUIRE)) {
		if (rdtime() - t0 >= STEP_MS * TICKS_PER_MS)
			return false;
		csr_clear(sstatus, SSTATUS_SIE);
		set_timer(rdtime() + TICKS_PER_MS);
		wfi();
		set_timer(~0UL); /* with SIE off: the nap's timer interrupt is never taken */
		csr_set(sstatus, SSTATUS_SIE);
	}
	return true;
}

int main(unsigned long hart, unsigned long dtb)
{
	unsigned long deadline, start, cost, rounds;
	struct sbiret ret = {0, 0};
	int n = smp_nr_vcpus(), err;

	if (n < 2) {
		hvtest_fail("ipi_pingpong.round_trips", "the VM has %d vCPU(s); this test needs 2",
			    n);
		hvtest_finish();
	}
	irq_handler = on_irq;
	csr_set(sie, SIE_SSIE | SIE_STIE);
	csr_set(sstatus, SSTATUS_SIE);

	deadline = rdtime() + TIMEOUT_MS * TICKS_PER_MS;
	/* vCPU 1 gets a second more, so that vCPU 0 gives up first. */
	err = smp_start(1, pong, deadline + 1000 * TICKS_PER_MS);
	if (err != SBI_SUCCESS || !wait_flag(&ready)) {
		hvtest_fail("ipi_pingpong.round_trips",
			    "vCPU 1 did not come up: hart_start error %d", err);
		hvtest_finish();
	}

	set_timer(deadline);
	start = instret();
	for (rounds = 0; rounds < ROUNDS; rounds++) {
		ret = sbi_send_ipi(1UL << 1, 0);
		if (ret.error != SBI_SUCCESS || !sleep_until(0, rounds + 1, deadline))
			break;
	}
	cost = instret() - start;
	set_timer(~0UL);
	wait_flag(&finished);

	if (hvtest_check(rounds == ROUNDS && received[0] == ROUNDS && received[1] == ROUNDS &&
				 answered == ROUNDS && !answer_error &&
				 __atomic_load_n(&finished, __ATOMIC_ACQUIRE),
			 "ipi_pingpong.round_trips",
			 "%lu of %d round trips in %d ms (send_ipi error %ld): vCPU 0 took %lu "
			 "IPIs, vCPU 1 took %lu and answered %lu (error %ld)%s",
			 rounds, ROUNDS, TIMEOUT_MS, ret.error, received[0], received[1], answered,
			 answer_error, finished ? "" : ", and did not finish"))
		guest_printf("bench: ipi_round_trip %lu instructions per round trip (%d round "
			     "trips; exact only under QEMU -icount, as make bench runs it)\n",
			     cost / ROUNDS, ROUNDS);
	hvtest_finish();
}
