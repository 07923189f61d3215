/*
 * asm/stage2.h - the guest-physical to host-physical page tables of a VM: Sv39x4
 * (RISC-V Privileged Spec v1.12, section 8.5.1), the format hgatp.MODE = 8 selects.
 */
#ifndef ASM_STAGE2_H
#define ASM_STAGE2_H

#include <types.h>

/* Sv39x4 translates 41-bit guest-physical addresses: 2 more bits than Sv39's 39. */
#define STAGE2_GPA_BITS	    41
#define STAGE2_ROOT_ENTRIES 2048 /* 11 index bits at the root: a 16 KiB table */
#define STAGE2_ROOT_ORDER   2 /* ... so 4 pages, and 16 KiB-aligned */
#define STAGE2_LEVELS	    3

/* Permissions of a mapping. */
#define STAGE2_R   (1U << 0)
#define STAGE2_W   (1U << 1)
#define STAGE2_X   (1U << 2)
#define STAGE2_RWX (STAGE2_R | STAGE2_W | STAGE2_X)

/* Leaf sizes, from the level they sit at. */
#define STAGE2_4K (4UL << 10)
#define STAGE2_2M (2UL << 20)
#define STAGE2_1G (1UL << 30)

struct stage2 {
	u64 *root; /* the 16 KiB root table (host physical = host virtual here) */
	u64 tables; /* page-table pages in use, root included */
};

int stage2_init(struct stage2 *s2);
/* Frees every table page (the memory the mappings point to is the caller's). */
void stage2_destroy(struct stage2 *s2);

/*
 * Maps [gpa, gpa + size) to [hpa, hpa + size) with prot, choosing for every piece the
 * largest leaf (1 GiB, 2 MiB, 4 KiB) that gpa, hpa and the remaining size allow.
 * -EINVAL: misaligned, empty or beyond 41 bits; -EEXIST: part of it is already mapped
 * (nothing is changed then); -ENOMEM: no page for a table.
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
