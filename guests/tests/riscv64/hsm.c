/*
 * hsm.c - SBI HSM (SBI spec v2.0, chapter 9) in a VM of 2 to 8 vCPUs, all of which it uses:
 *   - hart_get_status (9.3): STOPPED before a start, STARTED while running, SUSPENDED while
 *     suspended, INVALID_PARAM for a hart the VM does not have;
 *   - hart_start (9.1): INVALID_PARAM for such a hart, INVALID_ADDRESS for a start_addr
 *     outside RAM, ALREADY_AVAILABLE for a started vCPU (vCPU 0 itself too), and the
 *     register state of table "HSM Hart Start Register State": a0 = hartid, a1 = opaque
 *     (a different one per vCPU and per start), satp = 0, sstatus.SIE = 0;
 *   - the started vCPUs run alongside vCPU 0: counters of theirs keep moving while it
 *     watches (for seconds, so time slices of a shared physical hart are fine);
 *   - hart_stop (9.2) from a vCPU: it becomes STOPPED, and starts again with a new opaque
 *     and satp = 0 (it stopped with its translation on);
 *   - hart_suspend (9.4): default retentive, with sie.SSIE on and sstatus.SIE off, is
 *     SUSPENDED until vCPU 0 sends an IPI, then returns SUCCESS with its state kept and the
 *     IPI still pending; default non-retentive comes back at resume_addr with the register
 *     state of table "HSM Hart Resume Register State" (satp and SIE were on before it);
 *     reserved types, and platform-specific ones (none is implemented), are INVALID_PARAM
 *     (table "HSM Hart Suspend Errors": "reserved or is platform-specific and
 *     unimplemented"); a resume_addr outside RAM is INVALID_ADDRESS;
 *   - at the end every other vCPU stops itself and is seen STOPPED.
 * The other vCPUs run commands that vCPU 0 posts and leave what they saw in memory: only
 * vCPU 0 prints. Every wait is bounded (STEP_MS).
 */
#include <hvtest.h>
#include <rv.h>
#include <smp.h>

#define STEP_MS		 5000 /* the bound of every single wait */
#define CONCURRENT_BEATS 100000UL /* each vCPU's counter must move this much, vCPU 0 watching */


/* A different opaque per vCPU and per start, all 64 bits of it used; decoded by slot(). */
#define OPAQUE_TAG	  0xc0ffee0000000000UL
#define OPAQUE(hart, gen) (OPAQUE_TAG | (unsigned long)(gen) << 16 | (hart))
#define GEN_START	  1
#define GEN_RESTART	  2
#define GEN_RESUME	  3

enum cmd { CMD_NONE, CMD_STOP, CMD_SUSPEND, CMD_SUSPEND_NONRET, CMD_BAD_SUSPEND };

/* hart_suspend calls that must fail, each with the error table 9.4 gives. */
enum bad_kind { RESERVED, PLATFORM, BAD_ADDRESS };
static const struct {
	u32 type;
	bool outside_ram; /* resume_addr 0x1000 instead of smp_entry */
	enum bad_kind kind;
} bad_suspends[] = {
	/* reserved: 0x00000001 - 0x0fffffff and 0x80000001 - 0x8fffffff */
	{.type = 0x00000001, .kind = RESERVED},
	{.type = 0x0fffffff, .kind = RESERVED},
	{.type = 0x80000001, .kind = RESERVED},
	{.type = 0x8fffffff, .kind = RESERVED},
	/* platform-specific: 0x10000000 - 0x7fffffff and 0x90000000 - 0xffffffff */
	{.type = 0x10000000, .kind = PLATFORM},
	{.type = 0x7fffffff, .kind = PLATFORM},
	{.type = 0x90000000, .kind = PLATFORM},
	{.type = 0xffffffff, .kind = PLATFORM},
	/* the default non-retentive suspend, with a resume_addr outside RAM */
	{.type = 0x80000000, .outside_ram = true, .kind = BAD_ADDRESS},
};

/* What a vCPU saw when it entered at start_addr or resume_addr. */
struct entry {
	unsigned long a0, a1, satp, sstatus;
};

/* One per vCPU: vCPU 0 posts commands, the vCPU reports back. */
static struct vcpu {
	unsigned long cmd, cmd_arg; /* posted by vCPU 0, taken by the vCPU */
	unsigned long done; /* commands finished */
	unsigned long entries; /* entries at start_addr */
	unsigned long resumes; /* entries at resume_addr */
	struct entry seen; /* at the latest of those */
	unsigned long beat; /* its idle loop's count */
	long ret; /* the latest hart_suspend's error */
	unsigned long sip_after; /* sip after a retentive suspend */
	bool kept; /* sie, stvec and tp unchanged by it */
	long bad[ARRAY_SIZE(bad_suspends)];
} __attribute__((aligned(64))) vcpus[SMP_MAX_HARTS];

static u64 root[512] __attribute__((aligned(4096)));

static unsigned long load(unsigned long *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* Translation on (0x80000000-0xbfffffff identity, as paging.c): satp != 0 to be reset. */
static void paging_on(void)
{
	__asm__ volatile("csrw satp, %0\n sfence.vma"
			 :
			 : "r"(SATP_SV39 | (u64)(uintptr_t)root >> 12)
			 : "memory");
}

static void paging_off(void)
{
	__asm__ volatile("csrw satp, zero\n sfence.vma" : : : "memory");
}

/*
 * Interrupts stay off except right before a non-retentive suspend, and only vCPU 0's IPI
 * after SUSPENDED, or a hypervisor that leaves SIE on at resume_addr, brings one here
 * (the SIE check reports the latter): acknowledge it.
 */
static void on_irq(unsigned long cause)
{
	csr_clear(sip, SIE_SSIE);
}

/* tp, read again: smp_hart_id() may be merged with an earlier read. */
static unsigned long read_tp(void)
{
	unsigned long tp;

	__asm__ volatile("mv %0, tp" : "=r"(tp));
	return tp;
}

/* ---- the other vCPUs ---- */

/* The opaque says which vCPU it was meant for, so a wrong a0 shows (and vice versa). */
static struct vcpu *slot(unsigned long hart, unsigned long opaque)
{
	unsigned long meant = opaque & 0xffff;

	if ((opaque & ~0xffffffffffUL) == OPAQUE_TAG && meant < SMP_MAX_HARTS)
		return &vcpus[meant];
	return hart < SMP_MAX_HARTS ? &vcpus[hart] : NULL;
}

static void retentive_suspend(struct vcpu *v)
{
	unsigned long stvec = csr_read(stvec), sie_before, tp = read_tp();
	struct sbiret ret;

	csr_clear(sstatus, SSTATUS_SIE);
	csr_clear(sip, SIE_SSIE);
	csr_set(sie, SIE_SSIE); /* the wake-up source, with interrupts off */
	sie_before = csr_read(sie);
	ret = sbi_hart_suspend(SBI_HSM_SUSPEND_RETENTIVE, 0, 0);
	v->ret = ret.error;
	v->sip_after = csr_read(sip);
	v->kept = csr_read(sie) == sie_before && csr_read(stvec) == stvec && read_tp() == tp;
	csr_clear(sip, SIE_SSIE);
	csr_clear(sie, SIE_SSIE);
}

static void serve(struct vcpu *v);

/* resume_addr's function: the registers first, then back to work. */
static void resumed(unsigned long hart, unsigned long opaque)
{
	struct entry e = {hart, opaque, csr_read(satp), csr_read(sstatus)};
	struct vcpu *v = slot(hart, opaque);

	if (!v)
		return;
	v->seen = e;
	__atomic_fetch_add(&v->resumes, 1, __ATOMIC_RELEASE);
	/* The IPI that woke it is still pending. */
	csr_clear(sstatus, SSTATUS_SIE);
	csr_clear(sip, SIE_SSIE);
	csr_clear(sie, SIE_SSIE);
	serve(v);
}

static void nonretentive_suspend(struct vcpu *v)
{
	long err;

	csr_clear(sstatus, SSTATUS_SIE);
	csr_clear(sip, SIE_SSIE);
	csr_set(sie, SIE_SSIE);
	/* Both must be back to 0 at resume_addr: set them now. No IPI comes before SUSPENDED. */
	paging_on();
	csr_set(sstatus, SSTATUS_SIE);
	err = smp_suspend_nonretentive(resumed, v->cmd_arg);
	/* Only a failed suspend, or one that came back like a retentive one, gets here. */
	csr_clear(sstatus, SSTATUS_SIE);
	paging_off();
	csr_clear(sip, SIE_SSIE);
	csr_clear(sie, SIE_SSIE);
	v->ret = err;
}

static void bad_suspend(struct vcpu *v)
{
	csr_clear(sstatus, SSTATUS_SIE);
	csr_clear(sip, SIE_SSIE);
	/* Were one of them to suspend after all, an IPI could still wake it. */
	csr_set(sie, SIE_SSIE);
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_suspends); i++)
		v->bad[i] = sbi_hart_suspend(bad_suspends[i].type,
					     bad_suspends[i].outside_ram ? 0x1000UL
									 : (unsigned long)smp_entry,
					     0)
				    .error;
	csr_clear(sie, SIE_SSIE);
}

/* Counts while idle; runs what vCPU 0 posts; returns (to hart_stop) on CMD_STOP. */
static void serve(struct vcpu *v)
{
	for (;;) {
		switch (__atomic_exchange_n(&v->cmd, CMD_NONE, __ATOMIC_ACQUIRE)) {
		case CMD_NONE:
			__atomic_store_n(&v->beat, __atomic_load_n(&v->beat, __ATOMIC_RELAXED) + 1,
					 __ATOMIC_RELAXED);
			continue;
		case CMD_STOP:
			/* satp != 0 when it stops: the next start must give it 0 again. */
			paging_on();
			return;
		case CMD_SUSPEND:
			retentive_suspend(v);
			break;
		case CMD_SUSPEND_NONRET:
			nonretentive_suspend(v);
			break;
		case CMD_BAD_SUSPEND:
			bad_suspend(v);
			break;
		}
		__atomic_fetch_add(&v->done, 1, __ATOMIC_RELEASE);
	}
}

/* start_addr's function: the registers first, before anything changes them. */
static void secondary(unsigned long hart, unsigned long opaque)
{
	struct entry e = {hart, opaque, csr_read(satp), csr_read(sstatus)};
	struct vcpu *v = slot(hart, opaque);

	if (!v)
		return;
	v->seen = e;
	__atomic_fetch_add(&v->entries, 1, __ATOMIC_RELEASE);
	serve(v);
}

/* ---- vCPU 0 ---- */

static int nr;
static bool alive[SMP_MAX_HARTS]; /* started and answering: worth more steps */

/* The first failure of a check that runs over several vCPUs, reported once at the end. */
struct verdict {
	const char *name;
	bool failed;
	char detail[160];
};

static void note(struct verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct verdict *v, const char *fmt, ...)
{
	va_list ap;

	if (v->failed)
		return;
	v->failed = true;
	va_start(ap, fmt);
	guest_vsnprintf(v->detail, sizeof(v->detail), fmt, ap);
	va_end(ap);
}

static void report(struct verdict *v)
{
	if (v->failed)
		hvtest_fail(v->name, "%s", v->detail);
	else
		hvtest_pass(v->name);
}

static bool timed_out(unsigned long t0)
{
	return rdtime() - t0 >= STEP_MS * TICKS_PER_MS;
}

static void delay_ms(unsigned long ms)
{
	for (unsigned long t0 = rdtime(); rdtime() - t0 < ms * TICKS_PER_MS;)
		;
}

static void post(unsigned long hart, enum cmd cmd, unsigned long arg)
{
	vcpus[hart].cmd_arg = arg;
	__atomic_store_n(&vcpus[hart].cmd, cmd, __ATOMIC_RELEASE);
}

/* Polls hart_get_status until it answers `want` (true), or for STEP_MS; *last: the answer. */
static bool wait_status(unsigned long hart, long want, struct sbiret *last)
{
	unsigned long t0 = rdtime();

	for (;;) {
		*last = sbi_hart_get_status(hart);
		if (last->error == SBI_SUCCESS && last->value == want)
			return true;
		if (timed_out(t0))
			return false;
		delay_ms(1);
	}
}

/* Waits for *counter to pass `old`: true if it did within STEP_MS. */
static bool wait_past(unsigned long *counter, unsigned long old)
{
	unsigned long t0 = rdtime();

	while (load(counter) == old)
		if (timed_out(t0))
			return false;
	return true;
}

/*
 * As wait_status(SUSPENDED), but gives up as soon as the vCPU reports back instead: its
 * done or resumes counter moves past the value it had before the command was posted.
 */
static bool wait_suspended(unsigned long hart, unsigned long done, unsigned long resumes,
			   struct sbiret *last)
{
	struct vcpu *v = &vcpus[hart];
	unsigned long t0 = rdtime();

	for (;;) {
		*last = sbi_hart_get_status(hart);
		if (last->error == SBI_SUCCESS && last->value == SBI_HSM_SUSPENDED)
			return true;
		if (load(&v->done) != done || load(&v->resumes) != resumes || timed_out(t0))
			return false;
		delay_ms(1);
	}
}

static bool sie_on(unsigned long sstatus)
{
	return sstatus & SSTATUS_SIE;
}

static void check_entry_regs(struct verdict *v, unsigned long hart, unsigned long opaque,
			     const char *where)
{
	struct entry *e = &vcpus[hart].seen;

	if (e->a0 != hart || e->a1 != opaque || e->satp || sie_on(e->sstatus))
		note(v,
		     "vCPU %lu at %s: a0 %lu, a1 0x%lx (expected 0x%lx), satp 0x%lx, sstatus 0x%lx",
		     hart, where, e->a0, e->a1, opaque, e->satp, e->sstatus);
}

static void check_not_started(void)
{
	struct verdict stopped = {.name = "hsm.status_stopped"};
	struct sbiret ret;

	for (int h = 1; h < nr; h++) {
		ret = sbi_hart_get_status(h);
		if (ret.error != SBI_SUCCESS || ret.value != SBI_HSM_STOPPED)
			note(&stopped, "vCPU %d before any hart_start: error %ld, status %ld", h,
			     ret.error, ret.value);
	}
	report(&stopped);

	ret = sbi_hart_get_status(nr);
	hvtest_check(ret.error == SBI_ERR_INVALID_PARAM, "hsm.status_bad_hart",
		     "hart_get_status(%d), a hart the VM does not have: error %ld", nr, ret.error);
	ret = sbi_hart_start(nr, (unsigned long)smp_entry, 0);
	hvtest_check(ret.error == SBI_ERR_INVALID_PARAM, "hsm.start_bad_hart",
		     "hart_start(%d), a hart the VM does not have: error %ld", nr, ret.error);

	/* 0x1000: not the VM's RAM (SBI 9.1: INVALID_ADDRESS); the vCPU stays stopped. */
	ret = sbi_hart_start(1, 0x1000, 0);
	hvtest_check(ret.error == SBI_ERR_INVALID_ADDRESS &&
			     sbi_hart_get_status(1).value == SBI_HSM_STOPPED,
		     "hsm.start_bad_address", "hart_start(1, 0x1000): error %ld, then status %ld",
		     ret.error, sbi_hart_get_status(1).value);
}

static void start_all(void)
{
	struct verdict start = {.name = "hsm.start"}, args = {.name = "hsm.started_args"};
	struct entry *e;
	int err;

	for (unsigned long h = 1; h < (unsigned long)nr; h++) {
		err = smp_start(h, secondary, OPAQUE(h, GEN_START));
		if (err != SBI_SUCCESS)
			note(&start, "hart_start(%lu): error %d", h, err);
		alive[h] = err == SBI_SUCCESS;
	}
	report(&start);
	for (unsigned long h = 1; h < (unsigned long)nr; h++) {
		if (!alive[h])
			continue;
		if (!wait_past(&vcpus[h].entries, 0)) {
			note(&args, "vCPU %lu did not run within %d ms of its hart_start", h,
			     STEP_MS);
			alive[h] = false;
			continue;
		}
		e = &vcpus[h].seen;
		if (e->a0 != h)
			note(&args, "vCPU %lu entered with a0 = %lu", h, e->a0);
		if (e->a1 != OPAQUE(h, GEN_START))
			note(&args, "vCPU %lu entered with a1 = 0x%lx, not the opaque 0x%lx", h,
			     e->a1, OPAQUE(h, GEN_START));
		if (e->satp)
			note(&args, "vCPU %lu entered with satp = 0x%lx", h, e->satp);
		if (sie_on(e->sstatus))
			note(&args, "vCPU %lu entered with sstatus = 0x%lx", h, e->sstatus);
	}
	report(&args);
}

static void check_running(void)
{
	struct verdict started = {.name = "hsm.status_started"};
	struct verdict again = {.name = "hsm.already_available"};
	struct verdict concurrent = {.name = "hsm.concurrent"};
	unsigned long beat0[SMP_MAX_HARTS], entries[SMP_MAX_HARTS], t0;
	struct sbiret ret;

	for (int h = 0; h < nr; h++) {
		ret = sbi_hart_get_status(h);
		if ((h == 0 || alive[h]) &&
		    (ret.error != SBI_SUCCESS || ret.value != SBI_HSM_STARTED))
			note(&started, "vCPU %d while running: error %ld, status %ld", h, ret.error,
			     ret.value);
	}
	report(&started);

	/* Starting a started vCPU, vCPU 0 itself included: ALREADY_AVAILABLE, and no entry. */
	ret = sbi_hart_start(0, (unsigned long)smp_entry, 0);
	if (ret.error != SBI_ERR_ALREADY_AVAILABLE)
		note(&again, "hart_start(0) from vCPU 0 itself: error %ld", ret.error);
	for (unsigned long h = 1; h < (unsigned long)nr; h++) {
		if (!alive[h])
			continue;
		entries[h] = load(&vcpus[h].entries);
		ret = sbi_hart_start(h, (unsigned long)smp_entry, OPAQUE(h, 0xbad));
		if (ret.error != SBI_ERR_ALREADY_AVAILABLE)
			note(&again, "hart_start(%lu) of a running vCPU: error %ld", h, ret.error);
	}
	delay_ms(50);
	for (unsigned long h = 1; h < (unsigned long)nr; h++) {
		if (!alive[h])
			continue;
		if (load(&vcpus[h].entries) != entries[h])
			note(&again, "vCPU %lu entered start_addr again", h);
	}
	report(&again);

	/* Every counter moves while vCPU 0 watches: they run alongside it. */
	for (unsigned long h = 1; h < (unsigned long)nr; h++) {
		if (!alive[h])
			continue;
		beat0[h] = __atomic_load_n(&vcpus[h].beat, __ATOMIC_RELAXED);
	}
	t0 = rdtime();
	for (unsigned long h = 1; h < (unsigned long)nr; h++) {
		if (!alive[h])
			continue;
		while (__atomic_load_n(&vcpus[h].beat, __ATOMIC_RELAXED) - beat0[h] <
			       CONCURRENT_BEATS &&
		       !timed_out(t0))
			;
		if (__atomic_load_n(&vcpus[h].beat, __ATOMIC_RELAXED) - beat0[h] < CONCURRENT_BEATS)
			note(&concurrent,
			     "vCPU %lu counted %lu, not %lu, in %d ms while vCPU 0 watched", h,
			     __atomic_load_n(&vcpus[h].beat, __ATOMIC_RELAXED) - beat0[h],
			     CONCURRENT_BEATS, STEP_MS);
	}
	report(&concurrent);
}

/* Each vCPU stops itself, is seen STOPPED, and starts again with a new opaque. */
static void check_stop_restart(void)
{
	struct verdict stop = {.name = "hsm.stop"}, restart = {.name = "hsm.restart"};
	struct sbiret last;
	unsigned long entries;
	int err;

	for (unsigned long h = 1; h < (unsigned long)nr; h++) {
		if (!alive[h])
			continue;
		post(h, CMD_STOP, 0);
		if (!wait_status(h, SBI_HSM_STOPPED, &last)) {
			note(&stop,
			     "vCPU %lu called hart_stop: %d ms later error %ld, status %ld%s", h,
			     STEP_MS, last.error, last.value,
			     smp_stop_error[h] ? " (and hart_stop returned)" : "");
			alive[h] = false;
			continue;
		}
		entries = load(&vcpus[h].entries);
		err = smp_start(h, secondary, OPAQUE(h, GEN_RESTART));
		if (err != SBI_SUCCESS) {
			note(&restart, "hart_start(%lu) of the stopped vCPU: error %d", h, err);
			alive[h] = false;
		} else if (!wait_past(&vcpus[h].entries, entries)) {
			note(&restart, "vCPU %lu did not run within %d ms of its second hart_start",
			     h, STEP_MS);
			alive[h] = false;
		} else {
			check_entry_regs(&restart, h, OPAQUE(h, GEN_RESTART), "its restart");
		}
	}
	report(&stop);
	report(&restart);
}

/* Suspended with only sie.SSIE to wake it; vCPU 0's IPI does; hart_suspend returns. */
static void check_retentive(void)
{
	struct verdict susp = {.name = "hsm.suspend_retentive"};
	struct vcpu *v;
	struct sbiret ret, last;
	unsigned long done;

	for (unsigned long h = 1; h < (unsigned long)nr; h++) {
		if (!alive[h])
			continue;
		v = &vcpus[h];
		done = load(&v->done);
		post(h, CMD_SUSPEND, 0);
		if (!wait_suspended(h, done, load(&v->resumes), &last)) {
			note(&susp, "vCPU %lu in hart_suspend(0): error %ld, status %ld%s", h,
			     last.error, last.value,
			     load(&v->done) != done ? ", and the call returned unwoken" : "");
		} else {
			/* Nothing wakes it yet: it stays. */
			delay_ms(20);
			ret = sbi_hart_get_status(h);
			if (ret.value != SBI_HSM_SUSPENDED || load(&v->done) != done)
				note(&susp, "vCPU %lu woke up with no interrupt: status %ld", h,
				     ret.value);
		}
		/* Sent even if it was not seen SUSPENDED: no vCPU may stay stuck. */
		ret = sbi_send_ipi(1UL << h, 0);
		if (ret.error != SBI_SUCCESS)
			note(&susp, "send_ipi to vCPU %lu: error %ld", h, ret.error);
		if (!wait_past(&v->done, done)) {
			note(&susp,
			     "vCPU %lu still in hart_suspend(0) %d ms after an IPI (status %ld)", h,
			     STEP_MS, sbi_hart_get_status(h).value);
			alive[h] = false;
			continue;
		}
		if (v->ret != SBI_SUCCESS)
			note(&susp, "vCPU %lu: hart_suspend(0) returned %ld", h, v->ret);
		if (!(v->sip_after & SIE_SSIE))
			note(&susp, "vCPU %lu: sip 0x%lx after it woke: the IPI is gone", h,
			     v->sip_after);
		if (!v->kept)
			note(&susp, "vCPU %lu: sie, stvec or tp changed across hart_suspend(0)", h);
		if (!wait_status(h, SBI_HSM_STARTED, &last))
			note(&susp, "vCPU %lu after hart_suspend returned: error %ld, status %ld",
			     h, last.error, last.value);
	}
	report(&susp);
}

/* Suspended non-retentively; the IPI brings it back at resume_addr = smp_entry. */
static void check_nonretentive(void)
{
	struct verdict susp = {.name = "hsm.suspend_non_retentive"};
	struct vcpu *v;
	struct sbiret ret, last;
	unsigned long done, resumes, t0;

	for (unsigned long h = 1; h < (unsigned long)nr; h++) {
		if (!alive[h])
			continue;
		v = &vcpus[h];
		done = load(&v->done);
		resumes = load(&v->resumes);
		post(h, CMD_SUSPEND_NONRET, OPAQUE(h, GEN_RESUME));
		if (!wait_suspended(h, done, resumes, &last))
			note(&susp, "vCPU %lu in hart_suspend(0x80000000): error %ld, status %ld",
			     h, last.error, last.value);
		ret = sbi_send_ipi(1UL << h, 0);
		if (ret.error != SBI_SUCCESS)
			note(&susp, "send_ipi to vCPU %lu: error %ld", h, ret.error);
		for (t0 = rdtime();
		     load(&v->resumes) == resumes && load(&v->done) == done && !timed_out(t0);)
			;
		if (load(&v->resumes) != resumes) {
			check_entry_regs(&susp, h, OPAQUE(h, GEN_RESUME), "resume_addr");
			if (!wait_status(h, SBI_HSM_STARTED, &last))
				note(&susp, "vCPU %lu after its resume: error %ld, status %ld", h,
				     last.error, last.value);
		} else if (load(&v->done) != done) {
			note(&susp,
			     "vCPU %lu: hart_suspend(0x80000000) returned %ld instead of "
			     "resuming at resume_addr",
			     h, v->ret);
		} else {
			note(&susp,
			     "vCPU %lu: no resume at resume_addr %d ms after the IPI "
			     "(status %ld)",
			     h, STEP_MS, sbi_hart_get_status(h).value);
			alive[h] = false;
		}
	}
	report(&susp);
}

static void check_bad_suspends(void)
{
	struct verdict type = {.name = "hsm.suspend_bad_type"};
	struct verdict addr = {.name = "hsm.suspend_bad_resume_addr"};
	unsigned long done[SMP_MAX_HARTS];

	/* Called by the other vCPUs: were one to suspend after all, vCPU 0 goes on. */
	for (unsigned long h = 1; h < (unsigned long)nr; h++) {
		if (!alive[h])
			continue;
		done[h] = load(&vcpus[h].done);
		post(h, CMD_BAD_SUSPEND, 0);
	}
	for (unsigned long h = 1; h < (unsigned long)nr; h++) {
		if (!alive[h])
			continue;
		if (!wait_past(&vcpus[h].done, done[h])) {
			note(&type,
			     "vCPU %lu did not come back from its hart_suspend calls within %d ms",
			     h, STEP_MS);
			note(&addr,
			     "vCPU %lu did not come back from its hart_suspend calls within %d ms",
			     h, STEP_MS);
			alive[h] = false;
			continue;
		}
		for (unsigned int i = 0; i < ARRAY_SIZE(bad_suspends); i++) {
			long err = vcpus[h].bad[i];
			enum bad_kind kind = bad_suspends[i].kind;
			bool ok = kind == BAD_ADDRESS ? err == SBI_ERR_INVALID_ADDRESS
						      : err == SBI_ERR_INVALID_PARAM;

			if (!ok)
				note(kind == BAD_ADDRESS ? &addr : &type,
				     "vCPU %lu: hart_suspend(0x%x, %s): error %ld, "
				     "expected %s",
				     h, bad_suspends[i].type,
				     bad_suspends[i].outside_ram ? "0x1000" : "smp_entry", err,
				     kind == BAD_ADDRESS ? "INVALID_ADDRESS (-5)"
							 : "INVALID_PARAM (-3)");
		}
	}
	report(&type);
	report(&addr);
}

static void stop_all(void)
{
	struct verdict stop = {.name = "hsm.stop_all"};
	struct sbiret last;

	for (unsigned long h = 1; h < (unsigned long)nr; h++) {
		if (!alive[h])
			continue;
		post(h, CMD_STOP, 0);
	}
	for (unsigned long h = 1; h < (unsigned long)nr; h++) {
		if (!alive[h])
			continue;
		if (!wait_status(h, SBI_HSM_STOPPED, &last))
			note(&stop,
			     "vCPU %lu called hart_stop: %d ms later error %ld, status %ld%s", h,
			     STEP_MS, last.error, last.value,
			     smp_stop_error[h] ? " (and hart_stop returned)" : "");
	}
	report(&stop);
}

static bool any_alive(void)
{
	for (int h = 1; h < nr; h++)
		if (alive[h])
			return true;
	return false;
}

int main(unsigned long hart, unsigned long dtb)
{
	nr = smp_nr_vcpus();
	guest_printf("hsm: %d vCPUs\n", nr);
	if (!hvtest_check(nr >= 2 && nr <= SMP_MAX_HARTS, "hsm.vcpus",
			  "%d vCPU(s): this test needs 2 to %d", nr, SMP_MAX_HARTS))
		hvtest_finish();
	root[2] = ((0x80000000UL >> 12) << 10) | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D | PTE_V;
	irq_handler = on_irq;

	check_not_started();
	start_all();
	if (any_alive()) {
		check_running();
		check_stop_restart();
	}
	if (any_alive()) {
		check_retentive();
		check_nonretentive();
	}
	if (any_alive()) {
		check_bad_suspends();
		stop_all();
	}
	hvtest_finish();
}
