/*
 * vplic_test.c - unit tests of the virtual PLIC's register model (vdev/vplic.c), on the
 * build machine: claims in priority order, thresholds, the gateway's in-service hold,
 * completion, per-context enables, the context lines the hypervisor is told about, and
 * the reset of a VM's reboot.
 */
#include <errno.h>
#include <string.h>
#include <vplic.h>

#include "unit.h"

static bool line[VPLIC_MAX_CONTEXTS];
static int line_changes, completions;
static u32 last_completed;

static void deliver(struct vplic *p, u32 context, bool asserted)
{
	line[context] = asserted;
	line_changes++;
}

static void completed(struct vplic *p, u32 source)
{
	completions++;
	last_completed = source;
}

static u32 rd(struct vplic *p, u64 off)
{
	u64 v = ~0UL;

	CHECK(vplic_read(p, off, 4, &v) == 0, "read 0x%lx", (unsigned long)off);
	return (u32)v;
}

static void wr(struct vplic *p, u64 off, u32 v)
{
	CHECK(vplic_write(p, off, 4, v) == 0, "write 0x%lx", (unsigned long)off);
}

#define PRIO(s) (VPLIC_PRIORITY + 4 * (s))
#define EN(c) (VPLIC_ENABLE + 0x80 * (c))
#define THR(c) (VPLIC_CONTEXT + 0x1000 * (c))
#define CLAIM(c) (VPLIC_CONTEXT + 0x1000 * (c) + 4)

static void fresh(struct vplic *p)
{
	memset(line, 0, sizeof(line));
	line_changes = completions = 0;
	p->deliver = deliver;
	p->completed = completed;
	vplic_init(p, 96, 4);
}

int main(void)
{
	static struct vplic p;
	u64 v;

	fresh(&p);
	CHECK(rd(&p, CLAIM(1)) == 0 && !line[1], "idle");
	CHECK(vplic_read(&p, PRIO(1), 2, &v) == -EINVAL, "16-bit access refused");
	CHECK(vplic_write(&p, PRIO(1) + 1, 4, 1) == -EINVAL, "misaligned access refused");

	/* Priorities are 3 bits; source 0 has none; enable bit 0 cannot be set. */
	wr(&p, PRIO(5), 0xff);
	CHECK(rd(&p, PRIO(5)) == 7, "priority masked to 0x%x", rd(&p, PRIO(5)));
	wr(&p, PRIO(0), 5);
	CHECK(rd(&p, PRIO(0)) == 0, "source 0 has a priority");
	wr(&p, EN(1), ~0U);
	CHECK(rd(&p, EN(1)) == ~1U, "enable word 0 = 0x%x", rd(&p, EN(1)));
	wr(&p, EN(1), 0);

	/* Order: priority first, then the lower id. */
	wr(&p, PRIO(3), 2), wr(&p, PRIO(40), 6), wr(&p, PRIO(7), 6);
	wr(&p, EN(1), 1U << 3 | 1U << 7), wr(&p, EN(1) + 4, 1U << (40 - 32));
	vplic_set_level(&p, 3, true), vplic_set_level(&p, 40, true), vplic_set_level(&p, 7, true);
	CHECK(line[1] && !line[0] && !line[3], "only context 1 interrupted");
	CHECK(rd(&p, VPLIC_PENDING) == (1U << 3 | 1U << 7) && rd(&p, VPLIC_PENDING + 4) == 1U << 8,
	      "pending 0x%x 0x%x", rd(&p, VPLIC_PENDING), rd(&p, VPLIC_PENDING + 4));
	CHECK(rd(&p, CLAIM(1)) == 7 && rd(&p, CLAIM(1)) == 40 && rd(&p, CLAIM(1)) == 3 &&
		      rd(&p, CLAIM(1)) == 0,
	      "claim order");
	CHECK(!line[1], "line down once all is claimed");

	/* Completion: lines still high come back; completion tells the hypervisor. */
	vplic_set_level(&p, 40, false);
	wr(&p, CLAIM(1), 40);
	CHECK(completions == 1 && last_completed == 40 && rd(&p, CLAIM(1)) == 0,
	      "completed 40 (low) stays quiet");
	wr(&p, CLAIM(1), 7);
	CHECK(line[1] && rd(&p, CLAIM(1)) == 7, "completed 7 (still high) is pending again");
	/* A completion for a source not in service, or not enabled there, is ignored. */
	completions = 0;
	wr(&p, CLAIM(1), 9);
	wr(&p, CLAIM(3), 7);
	CHECK(completions == 0, "%d bogus completions accepted", completions);
	vplic_set_level(&p, 7, false), vplic_set_level(&p, 3, false);
	wr(&p, CLAIM(1), 7), wr(&p, CLAIM(1), 3);

	/* In service: a new edge is held until completion. */
	wr(&p, PRIO(9), 1), wr(&p, EN(1), 1U << 9);
	vplic_set_level(&p, 9, true);
	CHECK(rd(&p, CLAIM(1)) == 9, "claim 9");
	vplic_set_level(&p, 9, false), vplic_set_level(&p, 9, true);
	CHECK(rd(&p, CLAIM(1)) == 0 && !(rd(&p, VPLIC_PENDING) & 1U << 9), "held in service");
	vplic_set_level(&p, 9, false);
	wr(&p, CLAIM(1), 9);
	CHECK(rd(&p, CLAIM(1)) == 0, "quiet after completion with the line low");

	/* Threshold: only priorities above it count, and the line follows it. */
	wr(&p, PRIO(11), 3), wr(&p, EN(1), 1U << 11), wr(&p, THR(1), 3);
	vplic_set_level(&p, 11, true);
	CHECK(!line[1] && rd(&p, CLAIM(1)) == 0, "masked by the threshold");
	wr(&p, THR(1), 2);
	CHECK(line[1] && rd(&p, THR(1)) == 2, "line up when the threshold drops");
	CHECK(rd(&p, CLAIM(1)) == 11, "claimable below the threshold");

	/* Per context: context 3 has its own enables and sees only what it enabled. */
	fresh(&p);
	wr(&p, PRIO(20), 4), wr(&p, EN(3), 1U << 20);
	vplic_set_level(&p, 20, true);
	CHECK(line[3] && !line[1], "context 3 alone");
	CHECK(rd(&p, CLAIM(1)) == 0 && rd(&p, CLAIM(3)) == 20, "claim by the enabled context");
	/* Sources beyond nr_sources and contexts beyond nr_contexts do nothing. */
	vplic_set_level(&p, 100, true);
	CHECK(rd(&p, VPLIC_PENDING + 12) == 0, "source 100 of 96");
	CHECK(rd(&p, CLAIM(5)) == 0, "context 5 of 4 claims");

	/*
	 * A reboot's reset (vplic_reset): no priority, enable, threshold or claim survives,
	 * the context's line goes down, and a source is pending only while its line is high.
	 */
	fresh(&p);
	wr(&p, PRIO(5), 2), wr(&p, PRIO(6), 2), wr(&p, EN(1), 1U << 5 | 1U << 6), wr(&p, THR(1), 1);
	vplic_set_level(&p, 5, true);
	vplic_set_level(&p, 6, true);
	CHECK(rd(&p, CLAIM(1)) == 5 && line[1], "source 5 claimed, 6 still up");
	vplic_set_level(&p, 6, false); /* 6 stays pending: the gateway forwarded it */
	vplic_reset(&p);
	CHECK(!line[1], "the context's line down after the reset");
	CHECK(rd(&p, PRIO(5)) == 0 && rd(&p, EN(1)) == 0 && rd(&p, THR(1)) == 0,
	      "priorities, enables and thresholds cleared");
	CHECK(rd(&p, VPLIC_PENDING) == 1U << 5, "pending 0x%x: only source 5, whose line is high",
	      rd(&p, VPLIC_PENDING));
	wr(&p, PRIO(5), 1), wr(&p, EN(1), 1U << 5);
	CHECK(line[1] && rd(&p, CLAIM(1)) == 5, "source 5 claimable again: not held in service");
	CHECK(completions == 0, "a reset completes nothing (%d)", completions);
	return unit_summary("vplic_test");
}
