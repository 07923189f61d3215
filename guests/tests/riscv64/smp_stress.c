/*
 * smp_stress.c - a bounded stress run over every vCPU of a VM (2 to 8; the tests use 4 on
 * 2 physical harts), in two parts, each bounded by PART_MS:
 *   1. IPIs (SBI spec v2.0, chapter 7) interleaved with remote fences (chapter 8). Every
 *      vCPU sends IPIS_PER_PAIR IPIs to every other one, one at a time per pair, with a
 *      handshake that makes a lost IPI visible: the sender sets flag[from][to] and calls
 *      send_ipi; the receiver's handler clears sip.SSIP first, then takes (and counts) every
 *      flag addressed to it; the sender waits, bounded by STEP_MS, for its flag to clear
 *      before its next send. A flag still set then is a lost IPI. After every FENCE_EVERY
 *      rounds of sends a vCPU calls remote_fence_i, remote_sfence_vma and
 *      remote_sfence_vma_asid, each to another of a set of hart masks (base -1, "all harts",
 *      among them); each must return SUCCESS.
 *   2. A TLB check that a missing remote fence fails. All vCPUs share one Sv39 table:
 *      0x80000000-0xbfffffff identity (a 1 GiB leaf, as paging.c) and VA 0xc0000000 -> one
 *      4 KiB page through level1/level0 tables. In each of TLB_ROUNDS rounds every vCPU
 *      reads the VA (so its TLB holds the translation), vCPU 0 points the leaf at the other
 *      of two pages, which hold different magic numbers, and calls remote_sfence_vma for
 *      that page on all harts (base -1); then every vCPU reads the VA again and must see the
 *      new page's number. Between those two reads the others spin without a trap: on QEMU
 *      every trap into the hypervisor flushes the hart's TLB, and would hide a missing fence.
 * Every vCPU counts what it did and saw in memory; at the end every other vCPU stops itself
 * (hart_stop) and vCPU 0 checks the totals exactly and prints one summary line.
 */
#include <hvtest.h>
#include <rv.h>
#include <sbi.h>
#include <smp.h>

#define IPIS_PER_PAIR 200
#define FENCE_EVERY   10 /* a round of three remote fences after every 10 rounds of sends */
#define TLB_ROUNDS    50
#define PART_MS	      20000 /* the bound of each part */
#define STEP_MS	      5000 /* the bound of a single handshake */
#define SPIN_TICKS    (TICKS_PER_MS / 50) /* a waiting vCPU polls for 20 us ... */
#define NAP_TICKS     (TICKS_PER_MS / 10) /* ... then naps in WFI for 100 us at a time */

#define ALIAS_VA  0xC0000000UL
#define PAGE_SIZE 4096UL
#define ASID	  0 /* every vCPU's satp.ASID */

#define FENCES_PER_VCPU (3 * (IPIS_PER_PAIR / FENCE_EVERY))
#define TLB_DONE	(~0UL) /* tlb_phase: the TLB part is over */

static u64 root[512] __attribute__((aligned(4096)));
static u64 level1[512] __attribute__((aligned(4096)));
static u64 level0[512] __attribute__((aligned(4096)));
static u64 pages[2][512] __attribute__((aligned(4096)));
static const u64 magic[2] = {0x1111aaaa1111aaaaUL, 0x2222bbbb2222bbbbUL};

static unsigned long nr; /* vCPUs: set before any other vCPU starts */
static unsigned long ipi_deadline;

/* Part 1. [from][to]: the flag is set by the sender and taken by the receiver's handler. */
static u32 ipi_flag[SMP_MAX_HARTS][SMP_MAX_HARTS];
static unsigned long ipi_sent[SMP_MAX_HARTS][SMP_MAX_HARTS]; /* written by `from` */
static unsigned long ipi_lost[SMP_MAX_HARTS][SMP_MAX_HARTS]; /* written by `from` */
static unsigned long ipi_received[SMP_MAX_HARTS][SMP_MAX_HARTS]; /* written by `to` */
static long ipi_error[SMP_MAX_HARTS]; /* a failed send_ipi */
static unsigned long ipi_error_to[SMP_MAX_HARTS];
static bool ipi_timed_out[SMP_MAX_HARTS]; /* PART_MS ran out */

struct fence_failure {
	unsigned long fid, mask, base;
	long error;
};
static unsigned long fences[SMP_MAX_HARTS], fences_failed[SMP_MAX_HARTS];
static struct fence_failure fence_failure[SMP_MAX_HARTS];
static const char *const fence_names[] = {"remote_fence_i", "remote_sfence_vma",
					  "remote_sfence_vma_asid"};

/* Part 2: vCPU 0 publishes tlb_expect, then tlb_phase (2r - 1 before round r's switch, 2r
 * after it); each vCPU reads the VA and answers with tlb_ack[self] = the phase. */
static unsigned long tlb_phase;
static u64 tlb_expect;
static unsigned long tlb_ack[SMP_MAX_HARTS];
static unsigned long tlb_rounds, tlb_silent; /* rounds done; a vCPU that did not answer */
static bool tlb_skipped;
static unsigned long tlb_fresh[SMP_MAX_HARTS], tlb_stale[SMP_MAX_HARTS];
static unsigned long tlb_before_bad[SMP_MAX_HARTS]; /* wrong before the switch */
static u64 tlb_stale_seen[SMP_MAX_HARTS];
static unsigned long tlb_stale_round[SMP_MAX_HARTS];

/* Progress: barriers, and how far each vCPU got. */
static unsigned long up, ipis_done;
static unsigned long stage[SMP_MAX_HARTS];
enum { S_START, S_UP, S_IPIS, S_IPIS_DONE, S_TLB, S_FINISHED };
static const char *const stage_names[] = {
	[S_START] = "starting",	    [S_UP] = "waiting for the others to start",
	[S_IPIS] = "sending IPIs",  [S_IPIS_DONE] = "waiting for the others' IPIs",
	[S_TLB] = "the TLB rounds", [S_FINISHED] = "finished",
};

static u64 pte(const void *pa, u64 flags)
{
	return ((u64)(uintptr_t)pa >> 12) << 10 | flags | PTE_V;
}

static void paging_on(void)
{
	__asm__ volatile("csrw satp, %0\n sfence.vma"
			 :
			 : "r"(SATP_SV39 | (u64)ASID << 44 | (u64)(uintptr_t)root >> 12)
			 : "memory");
}

static void set_timer(unsigned long when)
{
	sbi_call(SBI_EXT_TIME, 0, when, 0, 0, 0);
}

static void on_irq(unsigned long cause)
{
	unsigned long self = smp_hart_id();

	if (cause == (CAUSE_IRQ | IRQ_SOFT)) {
		/* First: an IPI sent after this raises it again, so none is missed. */
		csr_clear(sip, SIE_SSIE);
		for (unsigned long from = 0; from < nr; from++)
			if (__atomic_exchange_n(&ipi_flag[from][self], 0, __ATOMIC_ACQ_REL))
				ipi_received[from][self]++;
	} else if (cause == (CAUSE_IRQ | IRQ_TIMER)) {
		set_timer(~0UL); /* a nap is over */
	}
}

/*
 * A short sleep that frees the physical hart for another vCPU: WFI until a timer
 * NAP_TICKS ahead, or an IPI. SIE is off across the WFI, so an interrupt that comes first
 * is not taken before it (WFI would then wait for the next one): WFI still wakes for an
 * interrupt pending and enabled in sie (Priv. 3.3.3), and it is taken once SIE is back on.
 */
static void nap(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
	set_timer(rdtime() + NAP_TICKS);
	wfi();
	csr_set(sstatus, SSTATUS_SIE);
}

/* For a wait begun at t0: false once `bound` ticks are over, else polls or naps. */
static bool keep_waiting(unsigned long t0, unsigned long bound)
{
	unsigned long waited = rdtime() - t0;

	if (waited >= bound)
		return false;
	if (waited >= SPIN_TICKS)
		nap();
	return true;
}

/* Ticks from now to `deadline`, 0 once it passed, at most `most`. */
static unsigned long left(unsigned long deadline, unsigned long most)
{
	long ticks = (long)(deadline - rdtime());

	if (ticks <= 0)
		return 0;
	return (unsigned long)ticks < most ? (unsigned long)ticks : most;
}

static bool past(unsigned long deadline)
{
	return (long)(rdtime() - deadline) >= 0;
}

static unsigned long load(unsigned long *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void set_stage(unsigned long self, unsigned long s)
{
	__atomic_store_n(&stage[self], s, __ATOMIC_RELEASE);
}

/* Waits until *p >= want: true if that came within `bound` ticks. */
static bool wait_count(unsigned long *p, unsigned long want, unsigned long bound)
{
	unsigned long t0 = rdtime();

	while (load(p) < want)
		if (!keep_waiting(t0, bound))
			return false;
	return true;
}

/* ---- part 1 ---- */

/* One IPI self -> to, and the wait for the receiver to take it. */
static void send_one(unsigned long self, unsigned long to, unsigned long k)
{
	unsigned long t0, bound;
	struct sbiret ret;

	__atomic_store_n(&ipi_flag[self][to], 1, __ATOMIC_SEQ_CST);
	/* Hart `to` named two ways: bit `to` from base 0, bit 0 from base `to` (SBI 3.1). */
	ret = k & 1 ? sbi_send_ipi(1, to) : sbi_send_ipi(1UL << to, 0);
	if (ret.error != SBI_SUCCESS) {
		__atomic_store_n(&ipi_flag[self][to], 0, __ATOMIC_SEQ_CST);
		ipi_error[self] = ret.error;
		ipi_error_to[self] = to;
		return;
	}
	ipi_sent[self][to]++;
	t0 = rdtime();
	bound = left(ipi_deadline, STEP_MS * TICKS_PER_MS);
	while (__atomic_load_n(&ipi_flag[self][to], __ATOMIC_ACQUIRE))
		if (!keep_waiting(t0, bound))
			break;
	/* Take the flag back: if it was still set, the receiver never took the IPI. */
	if (__atomic_exchange_n(&ipi_flag[self][to], 0, __ATOMIC_ACQ_REL)) {
		if (past(ipi_deadline))
			ipi_timed_out[self] = true;
		else
			ipi_lost[self][to]++;
	}
}

/* Remote fences to one of several hart masks each, all of which name existing vCPUs. */
static void fence_round(unsigned long self, unsigned long r)
{
	unsigned long all = (1UL << nr) - 1, next = (self + 1) % nr, mask, base;
	const struct {
		unsigned long mask, base;
	} targets[] = {
		{0, ~0UL}, /* base -1: every hart, the mask ignored */
		{all, 0}, /* every hart, one bit each */
		{1UL << next, 0}, /* the next vCPU */
		{1, next}, /* the same, from base `next` */
		{1UL << self, 0}, /* itself */
		{all & ~(1UL << self), 0}, /* every other vCPU */
	};
	/* start_addr and size: the whole space two ways (chapter 8), or the alias's page. */
	const unsigned long starts[] = {0, 0, ALIAS_VA}, sizes[] = {0, ~0UL, PAGE_SIZE};
	unsigned long start = starts[r % 3], size = sizes[r % 3];
	struct sbiret ret;

	for (unsigned long fid = 0; fid < 3; fid++) {
		mask = targets[(r + fid + self) % ARRAY_SIZE(targets)].mask;
		base = targets[(r + fid + self) % ARRAY_SIZE(targets)].base;
		if (fid == SBI_RFENCE_FENCE_I)
			ret = sbi_remote_fence_i(mask, base);
		else if (fid == SBI_RFENCE_SFENCE_VMA)
			ret = sbi_remote_sfence_vma(mask, base, start, size);
		else
			ret = sbi_remote_sfence_vma_asid(mask, base, start, size, ASID);
		fences[self]++;
		if (ret.error != SBI_SUCCESS && !fences_failed[self]++)
			fence_failure[self] = (struct fence_failure){fid, mask, base, ret.error};
	}
}

static void ipi_part(unsigned long self)
{
	set_stage(self, S_UP);
	__atomic_fetch_add(&up, 1, __ATOMIC_ACQ_REL);
	wait_count(&up, nr, STEP_MS * TICKS_PER_MS);

	set_stage(self, S_IPIS);
	for (unsigned long k = 0; k < IPIS_PER_PAIR; k++) {
		for (unsigned long d = 1; d < nr; d++) {
			unsigned long to = (self + d) % nr;

			/* A pair that lost an IPI is not tried again: that keeps the run short. */
			if (!ipi_lost[self][to])
				send_one(self, to, k);
		}
		if (k % FENCE_EVERY == FENCE_EVERY - 1)
			fence_round(self, k / FENCE_EVERY);
		if (ipi_error[self] || ipi_timed_out[self])
			break;
		if (past(ipi_deadline)) {
			ipi_timed_out[self] = true;
			break;
		}
	}

	/* Go on taking the others' IPIs until they are all through. */
	set_stage(self, S_IPIS_DONE);
	__atomic_fetch_add(&ipis_done, 1, __ATOMIC_ACQ_REL);
	wait_count(&ipis_done, nr, left(ipi_deadline + STEP_MS * TICKS_PER_MS, ~0UL));
}

/* ---- part 2 ---- */

static void tlb_read(unsigned long self, unsigned long phase, u64 expect)
{
	u64 seen = *(volatile u64 *)ALIAS_VA;

	if (phase & 1) {
		if (seen != expect)
			tlb_before_bad[self]++;
	} else if (seen == expect) {
		tlb_fresh[self]++;
	} else if (!tlb_stale[self]++) {
		tlb_stale_seen[self] = seen;
		tlb_stale_round[self] = phase / 2;
	}
}

/* The other vCPUs: read at every new phase, until TLB_DONE. */
static void tlb_follow(unsigned long self)
{
	unsigned long seen = 0, phase, t0 = rdtime();

	for (;;) {
		phase = load(&tlb_phase);
		if (phase == TLB_DONE)
			return;
		if (phase != seen) {
			tlb_read(self, phase, tlb_expect);
			__atomic_store_n(&tlb_ack[self], phase, __ATOMIC_RELEASE);
			seen = phase;
			t0 = rdtime();
			continue;
		}
		/*
		 * Its TLB holds the old page after an odd phase: spin, no trap, until the
		 * switch. Each of vCPU 0's steps is bounded by STEP_MS, so 2 * STEP_MS
		 * without a new phase means it is gone.
		 */
		if (rdtime() - t0 >= 2 * STEP_MS * TICKS_PER_MS)
			return;
		if (!(phase & 1) && rdtime() - t0 >= SPIN_TICKS)
			nap();
	}
}

/* vCPU 0: publish a phase, read as well, wait for every other vCPU's ack. */
static bool tlb_step(unsigned long phase, u64 expect, unsigned long deadline)
{
	tlb_expect = expect;
	__atomic_store_n(&tlb_phase, phase, __ATOMIC_RELEASE);
	tlb_read(0, phase, expect);
	for (unsigned long h = 1; h < nr; h++) {
		unsigned long t0 = rdtime(), bound = left(deadline, STEP_MS * TICKS_PER_MS);

		while (load(&tlb_ack[h]) != phase)
			if (!keep_waiting(t0, bound)) {
				tlb_silent = h;
				return false;
			}
	}
	return true;
}

static void tlb_lead(void)
{
	unsigned long deadline = rdtime() + PART_MS * TICKS_PER_MS;
	unsigned int cur = 0;
	struct sbiret ret;

	for (unsigned long r = 1; r <= TLB_ROUNDS; r++) {
		/* Everyone reads the current page: the translation is in every TLB. */
		if (!tlb_step(2 * r - 1, magic[cur], deadline))
			break;
		cur ^= 1;
		level0[0] = pte(pages[cur], PTE_R | PTE_W | PTE_A | PTE_D);
		/* The new PTE is in memory before any hart fences (fence rw,rw). */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		ret = sbi_remote_sfence_vma(0, ~0UL, ALIAS_VA, PAGE_SIZE);
		fences[0]++;
		if (ret.error != SBI_SUCCESS && !fences_failed[0]++)
			fence_failure[0] =
				(struct fence_failure){SBI_RFENCE_SFENCE_VMA, 0, ~0UL, ret.error};
		/* Everyone reads again: the new page, or its TLB kept the old one. */
		if (!tlb_step(2 * r, magic[cur], deadline))
			break;
		tlb_rounds++;
	}
	__atomic_store_n(&tlb_phase, TLB_DONE, __ATOMIC_RELEASE);
}

/* ---- the run ---- */

static void secondary(unsigned long self, unsigned long arg)
{
	paging_on();
	csr_set(sie, SIE_SSIE | SIE_STIE);
	csr_set(sstatus, SSTATUS_SIE);
	ipi_part(self);
	set_stage(self, S_TLB);
	tlb_follow(self);
	csr_clear(sstatus, SSTATUS_SIE);
	set_timer(~0UL);
	csr_clear(sie, SIE_SSIE | SIE_STIE);
	set_stage(self, S_FINISHED);
	/* Returning stops it (hart_stop). */
}

/* The first failure of a check over all pairs or vCPUs goes into the detail. */
static char detail[200];

static void first(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void first(const char *fmt, ...)
{
	va_list ap;

	if (detail[0])
		return;
	va_start(ap, fmt);
	guest_vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
}

static void check_ipis(unsigned long *total)
{
	*total = 0;
	detail[0] = '\0';
	for (unsigned long s = 0; s < nr; s++) {
		if (ipi_error[s])
			first("vcpu%lu: send_ipi to vcpu%lu returned %ld", s, ipi_error_to[s],
			      ipi_error[s]);
		for (unsigned long t = 0; t < nr; t++) {
			if (t == s)
				continue;
			*total += ipi_received[s][t];
			if (ipi_lost[s][t])
				first("IPI lost vcpu%lu->vcpu%lu (%lu sent, %lu received)", s, t,
				      ipi_sent[s][t], ipi_received[s][t]);
		}
	}
	for (unsigned long s = 0; s < nr; s++)
		for (unsigned long t = 0; t < nr; t++)
			if (t != s && (ipi_sent[s][t] != IPIS_PER_PAIR ||
				       ipi_received[s][t] != ipi_sent[s][t]))
				first("vcpu%lu->vcpu%lu: %lu of %d IPIs sent, %lu received%s", s, t,
				      ipi_sent[s][t], IPIS_PER_PAIR, ipi_received[s][t],
				      ipi_timed_out[s] ? " (the sender ran out of time)" : "");
	hvtest_check(!detail[0], "smp_stress.ipis_delivered", "%s", detail);
}

static void check_fences(unsigned long *total)
{
	/* FENCES_PER_VCPU each in part 1, and vCPU 0's one per round in part 2. */
	unsigned long want = nr * FENCES_PER_VCPU + TLB_ROUNDS;

	*total = 0;
	detail[0] = '\0';
	for (unsigned long h = 0; h < nr; h++) {
		struct fence_failure *f = &fence_failure[h];

		*total += fences[h];
		if (fences_failed[h])
			first("vcpu%lu: %s(mask 0x%lx, base %ld) returned %ld (%lu failed)", h,
			      fence_names[f->fid], f->mask, (long)f->base, f->error,
			      fences_failed[h]);
	}
	if (*total != want)
		first("%lu of %lu remote fences done", *total, want);
	hvtest_check(!detail[0], "smp_stress.fences", "%s", detail);
}

static void check_tlb(void)
{
	detail[0] = '\0';
	for (unsigned long h = 0; h < nr; h++) {
		if (tlb_stale[h])
			first("vcpu%lu read 0x%lx, the old page, at VA 0x%lx after round %lu's "
			      "remote_sfence_vma (%lu stale rounds)",
			      h, (unsigned long)tlb_stale_seen[h], ALIAS_VA, tlb_stale_round[h],
			      tlb_stale[h]);
		if (tlb_before_bad[h])
			first("vcpu%lu read the wrong page before a switch %lu times", h,
			      tlb_before_bad[h]);
	}
	if (tlb_skipped)
		first("not run: not every vCPU got through the IPIs");
	else if (tlb_rounds != TLB_ROUNDS)
		first("%lu of %d TLB rounds: vcpu%lu did not answer within %d ms", tlb_rounds,
		      TLB_ROUNDS, tlb_silent, STEP_MS);
	for (unsigned long h = 0; h < nr; h++)
		if (tlb_fresh[h] != tlb_rounds)
			first("vcpu%lu saw the new page in %lu of %lu rounds", h, tlb_fresh[h],
			      tlb_rounds);
	hvtest_check(!detail[0], "smp_stress.tlb_fresh_after_remote_fence", "%s", detail);
}

/*
 * Waits for every other vCPU to finish and be STOPPED; that comes first, before their
 * counts are read, but is reported last: the detail is kept in `finished`.
 */
static char finished[sizeof(detail)];

static void wait_finished(void)
{
	struct sbiret st = {0, 0};
	unsigned long t0;

	detail[0] = '\0';
	for (unsigned long h = 0; h < nr; h++)
		if (ipi_timed_out[h])
			first("vcpu%lu ran out of time (%d ms) sending IPIs", h, PART_MS);
	for (unsigned long h = 1; h < nr; h++) {
		if (!wait_count(&stage[h], S_FINISHED, STEP_MS * TICKS_PER_MS)) {
			first("vcpu%lu did not finish: still in %s", h,
			      stage_names[load(&stage[h])]);
			continue;
		}
		for (t0 = rdtime(); rdtime() - t0 < STEP_MS * TICKS_PER_MS; nap()) {
			st = sbi_hart_get_status(h);
			if (st.error == SBI_SUCCESS && st.value == SBI_HSM_STOPPED)
				break;
		}
		if (st.error != SBI_SUCCESS || st.value != SBI_HSM_STOPPED)
			first("vcpu%lu finished but is not STOPPED after hart_stop: error %ld, "
			      "status %ld",
			      h, st.error, st.value);
	}
	memcpy(finished, detail, sizeof(finished));
}

int main(unsigned long hart, unsigned long dtb)
{
	unsigned long ipis, fence_total;
	int n = smp_nr_vcpus(), err;

	if (n < 2 || n > SMP_MAX_HARTS) {
		hvtest_fail("smp_stress.finished", "the VM has %d vCPU(s); this test needs 2 to %d",
			    n, SMP_MAX_HARTS);
		hvtest_finish();
	}
	nr = n;

	/* The shared tables, as paging.c's, and the two pages the alias switches between. */
	root[2] = pte((void *)0x80000000UL, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	root[3] = pte(level1, 0);
	level1[0] = pte(level0, 0);
	level0[0] = pte(pages[0], PTE_R | PTE_W | PTE_A | PTE_D);
	for (int i = 0; i < 512; i++) {
		pages[0][i] = magic[0];
		pages[1][i] = magic[1];
	}
	paging_on();

	irq_handler = on_irq;
	csr_set(sie, SIE_SSIE | SIE_STIE);
	csr_set(sstatus, SSTATUS_SIE);

	ipi_deadline = rdtime() + PART_MS * TICKS_PER_MS;
	for (unsigned long h = 1; h < nr; h++) {
		err = smp_start(h, secondary, 0);
		if (err != SBI_SUCCESS) {
			__asm__ volatile("csrw satp, zero\n sfence.vma" : : : "memory");
			hvtest_fail("smp_stress.finished", "hart_start(%lu): error %d", h, err);
			hvtest_finish();
		}
	}
	ipi_part(0);
	set_stage(0, S_TLB);
	/* Only if every vCPU is through part 1 and waiting for it. */
	tlb_skipped = load(&ipis_done) != nr;
	if (tlb_skipped)
		__atomic_store_n(&tlb_phase, TLB_DONE, __ATOMIC_RELEASE);
	else
		tlb_lead();
	set_stage(0, S_FINISHED);

	wait_finished();
	csr_clear(sstatus, SSTATUS_SIE);
	set_timer(~0UL);
	__asm__ volatile("csrw satp, zero\n sfence.vma" : : : "memory");

	check_ipis(&ipis);
	check_fences(&fence_total);
	check_tlb();
	hvtest_check(!finished[0], "smp_stress.finished", "%s", finished);
	guest_printf("smp_stress: %lu vCPUs, %lu IPIs, %lu remote fences, %lu TLB rounds\n", nr,
		     ipis, fence_total, tlb_rounds);
	hvtest_finish();
}
