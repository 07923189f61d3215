/*
 * stage2.h - a VM's guest-physical to host-physical tables, on every arch: core/stage2.c
 * builds and walks them, and the arch says what an entry looks like (asm/stage2.h:
 * RISC-V's Sv39x4 PTEs, arm64's VMSAv8-64 stage-2 descriptors) and how many levels
 * there are. Levels are counted from the bottom: 0 holds 4 KiB leaves, 1 2 MiB ones,
 * 2 - the root - 1 GiB ones.
 */
#ifndef HVLAB_STAGE2_H
#define HVLAB_STAGE2_H

#include <types.h>

/* Permissions of a mapping. */
#define STAGE2_R   (1U << 0)
#define STAGE2_W   (1U << 1)
#define STAGE2_X   (1U << 2)
#define STAGE2_RWX (STAGE2_R | STAGE2_W | STAGE2_X)

/* Leaf sizes, from the level they sit at. */
#define STAGE2_4K (4UL << 10)
#define STAGE2_2M (2UL << 20)
#define STAGE2_1G (1UL << 30)

#include <asm/stage2.h> /* the entry format and the geometry of the arch's tables */

struct stage2 {
	u64 *root; /* the root table (host physical = host virtual here) */
	u64 tables; /* page-table pages in use, the root counting as one */
};

int stage2_init(struct stage2 *s2);
/* Frees every table page (the memory the mappings point to is the caller's). */
void stage2_destroy(struct stage2 *s2);

/*
 * Maps [gpa, gpa + size) to [hpa, hpa + size) with prot, choosing for every piece the
 * largest leaf (1 GiB, 2 MiB, 4 KiB) that gpa, hpa and the remaining size allow.
 * -EINVAL: misaligned, empty or beyond STAGE2_GPA_BITS; -EEXIST: part of it is already
 * mapped (nothing is changed then); -ENOMEM: no page for a table.
 */
int stage2_map(struct stage2 *s2, u64 gpa, u64 hpa, u64 size, unsigned int prot);

/*
 * Removes [gpa, gpa + size). A superpage only partly inside the range is split into
 * smaller leaves first. -EINVAL: misaligned; -ENOMEM: no page to split into.
 */
int stage2_unmap(struct stage2 *s2, u64 gpa, u64 size);

/* The host address and permissions of gpa, and the size of its leaf; -ENOENT if unmapped. */
int stage2_translate(const struct stage2 *s2, u64 gpa, u64 *hpa, unsigned int *prot,
		     u64 *leaf_size);

/* Calls fn for every leaf, in increasing gpa order. */
void stage2_walk(const struct stage2 *s2,
		 void (*fn)(void *arg, u64 gpa, u64 hpa, u64 size, unsigned int prot), void *arg);

#endif
