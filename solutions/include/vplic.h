/* @since 4 */
/*
 * vplic.h - a virtual PLIC: the RISC-V platform-level interrupt controller as a guest
 * sees it (RISC-V PLIC Specification v1.0.0). A pure register model: devices raise and
 * lower their lines, the guest reads and writes registers, and two callbacks tell the
 * hypervisor when a context's interrupt line changes and when a source was completed.
 * It also compiles for the build machine, where grader/unit/vplic_test.c checks it.
 */
#ifndef HVLAB_VPLIC_H
#define HVLAB_VPLIC_H

#include <types.h>

#define VPLIC_MAX_SOURCES  128 /* source ids 1..127; 0 means "none" */
#define VPLIC_MAX_CONTEXTS 16 /* two per vCPU: M-mode (unused by guests) and S-mode */
#define VPLIC_WORDS	   (VPLIC_MAX_SOURCES / 32)
#define VPLIC_SIZE	   0x4000000 /* the register map spans 64 MiB */

/* Register map (PLIC spec, chapter 3). */
#define VPLIC_PRIORITY	    0x000000 /* + 4 * source */
#define VPLIC_PENDING	    0x001000 /* + 4 * word, read-only */
#define VPLIC_ENABLE	    0x002000 /* + 0x80 * context + 4 * word */
#define VPLIC_CONTEXT	    0x200000 /* + 0x1000 * context: threshold at +0, claim/complete at +4 */
#define VPLIC_PRIORITY_MASK 0x7 /* priorities 0 (never) to 7 */

struct vplic {
	u32 nr_sources; /* sources 1..nr_sources exist */
	u32 nr_contexts;
	u32 priority[VPLIC_MAX_SOURCES];
	u32 pending[VPLIC_WORDS];
	u32 claimed[VPLIC_WORDS]; /* in service: claimed and not yet completed */
	u32 level[VPLIC_WORDS]; /* the devices' lines, as they are now */
	u32 enable[VPLIC_MAX_CONTEXTS][VPLIC_WORDS];
	u32 threshold[VPLIC_MAX_CONTEXTS];
	bool asserted[VPLIC_MAX_CONTEXTS]; /* what deliver() was last told */

	/* The context's interrupt line to its hart went up or down. */
	void (*deliver)(struct vplic *p, u32 context, bool asserted);
	/* The guest completed `source` (a passthrough device is re-armed on the host). */
	void (*completed)(struct vplic *p, u32 source);
	void *owner;
};

void vplic_init(struct vplic *p, u32 nr_sources, u32 nr_contexts);

/*
 * Power-on state, as when the VM reboots: no priorities, enables, thresholds, claims;
 * a source is pending only if its line is high now.
 */
void vplic_reset(struct vplic *p);

/*
 * A device's interrupt line. Rising, it makes the source pending unless it is in service
 * (the gateway holds it until completion; PLIC spec 1.0.0, chapter 5). A line still high
 * at completion makes it pending again.
 */
void vplic_set_level(struct vplic *p, u32 source, bool high);

/* Guest accesses: 32-bit and aligned, as the PLIC requires; others are -EINVAL. */
int vplic_read(struct vplic *p, u64 offset, unsigned int width, u64 *value);
int vplic_write(struct vplic *p, u64 offset, unsigned int width, u64 value);

/* The source a claim by `context` would return now (0: none), without claiming it. */
u32 vplic_best(const struct vplic *p, u32 context);

#endif
