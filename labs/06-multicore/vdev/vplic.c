/*
 * vplic.c - the virtual PLIC's register model. Semantics (PLIC spec 1.0.0):
 *  - a source is pending once its gateway forwards a request; it is then held "in
 *    service" from claim to completion and forwards nothing meanwhile;
 *  - a claim by a context returns the pending source enabled for that context with the
 *    highest priority above the context's threshold (ties: the lowest id), clears its
 *    pending bit and marks it in service; 0 when there is none;
 *  - a completion (writing the id back) ends the service, if the source is enabled for
 *    that context; a line still high then makes it pending again;
 *  - a context's interrupt line (the guest's VSEIP) is up exactly when a claim would
 *    return something.
 */
#include <errno.h>
#include <string.h>
#include <vplic.h>

static inline bool bit_test(const u32 *bits, u32 n)
{
	return bits[n / 32] & (1U << (n % 32));
}

static inline void bit_set(u32 *bits, u32 n, bool on)
{
	if (on)
		bits[n / 32] |= 1U << (n % 32);
	else
		bits[n / 32] &= ~(1U << (n % 32));
}

void vplic_init(struct vplic *p, u32 nr_sources, u32 nr_contexts)
{
	void (*deliver)(struct vplic *, u32, bool) = p->deliver;
	void (*completed)(struct vplic *, u32) = p->completed;
	void *owner = p->owner;

	memset(p, 0, sizeof(*p));
	p->nr_sources = MIN(nr_sources, VPLIC_MAX_SOURCES - 1);
	p->nr_contexts = MIN(nr_contexts, VPLIC_MAX_CONTEXTS);
	p->deliver = deliver;
	p->completed = completed;
	p->owner = owner;
}

static void vplic_update(struct vplic *p);

void vplic_reset(struct vplic *p)
{
	memset(p->priority, 0, sizeof(p->priority));
	memset(p->claimed, 0, sizeof(p->claimed));
	memset(p->enable, 0, sizeof(p->enable));
	memset(p->threshold, 0, sizeof(p->threshold));
	/* The gateways see the lines as they are now: a device still asserting is pending. */
	memcpy(p->pending, p->level, sizeof(p->pending));
	vplic_update(p); /* nothing is enabled: every context's line goes down */
}

u32 vplic_best(const struct vplic *p, u32 context)
{
	u32 best = 0, best_priority = p->threshold[context];

	for (u32 s = 1; s <= p->nr_sources; s++)
		if (bit_test(p->pending, s) && bit_test(p->enable[context], s) &&
		    p->priority[s] > best_priority) {
			best = s;
			best_priority = p->priority[s];
		}
	return best;
}

/* Tells the hypervisor about every context whose line changed. */
static void vplic_update(struct vplic *p)
{
	for (u32 c = 0; c < p->nr_contexts; c++) {
		bool up = vplic_best(p, c) != 0;

		if (up != p->asserted[c]) {
			p->asserted[c] = up;
			if (p->deliver)
				p->deliver(p, c, up);
		}
	}
}

void vplic_set_level(struct vplic *p, u32 source, bool high)
{
	if (source == 0 || source > p->nr_sources)
		return;
	bit_set(p->level, source, high);
	if (high && !bit_test(p->claimed, source))
		bit_set(p->pending, source, true);
	vplic_update(p);
}

static u32 vplic_claim(struct vplic *p, u32 context)
{
	u32 source = vplic_best(p, context);

	if (source) {
		bit_set(p->pending, source, false);
		bit_set(p->claimed, source, true);
	}
	return source;
}

static void vplic_complete(struct vplic *p, u32 context, u32 source)
{
	if (source == 0 || source > p->nr_sources || !bit_test(p->claimed, source) ||
	    !bit_test(p->enable[context], source))
		return;
	bit_set(p->claimed, source, false);
	if (p->completed)
		p->completed(p, source); /* may lower the line: a host device re-arms */
	if (bit_test(p->level, source))
		bit_set(p->pending, source, true);
}

int vplic_read(struct vplic *p, u64 offset, unsigned int width, u64 *value)
{
	u32 v = 0;

	if (width != 4 || offset % 4)
		return -EINVAL;
	if (offset < VPLIC_PENDING) {
		u32 s = offset / 4;

		v = s <= p->nr_sources ? p->priority[s] : 0;
	} else if (offset < VPLIC_PENDING + 4 * VPLIC_WORDS) {
		v = p->pending[(offset - VPLIC_PENDING) / 4];
	} else if (offset >= VPLIC_ENABLE && offset < VPLIC_ENABLE + 0x80 * p->nr_contexts) {
		u32 c = (offset - VPLIC_ENABLE) / 0x80, w = (offset - VPLIC_ENABLE) % 0x80 / 4;

		v = w < VPLIC_WORDS ? p->enable[c][w] : 0;
	} else if (offset >= VPLIC_CONTEXT && offset < VPLIC_CONTEXT + 0x1000 * p->nr_contexts) {
		u32 c = (offset - VPLIC_CONTEXT) / 0x1000, reg = (offset - VPLIC_CONTEXT) % 0x1000;

		if (reg == 0) {
			v = p->threshold[c];
		} else if (reg == 4) {
			v = vplic_claim(p, c);
			vplic_update(p);
		}
	}
	*value = v;
	return 0;
}

int vplic_write(struct vplic *p, u64 offset, unsigned int width, u64 value)
{
	u32 v = (u32)value;

	if (width != 4 || offset % 4)
		return -EINVAL;
	if (offset < VPLIC_PENDING) {
		u32 s = offset / 4;

		if (s >= 1 && s <= p->nr_sources)
			p->priority[s] = v & VPLIC_PRIORITY_MASK;
	} else if (offset >= VPLIC_ENABLE && offset < VPLIC_ENABLE + 0x80 * p->nr_contexts) {
		u32 c = (offset - VPLIC_ENABLE) / 0x80, w = (offset - VPLIC_ENABLE) % 0x80 / 4;

		if (w < VPLIC_WORDS)
			p->enable[c][w] = w == 0 ? v & ~1U : v; /* source 0 does not exist */
	} else if (offset >= VPLIC_CONTEXT && offset < VPLIC_CONTEXT + 0x1000 * p->nr_contexts) {
		u32 c = (offset - VPLIC_CONTEXT) / 0x1000, reg = (offset - VPLIC_CONTEXT) % 0x1000;

		if (reg == 0)
			p->threshold[c] = v & VPLIC_PRIORITY_MASK;
		else if (reg == 4)
			vplic_complete(p, c, v);
	}
	/* The pending bits are read-only: writes there, and anywhere else, are ignored. */
	vplic_update(p);
	return 0;
}
