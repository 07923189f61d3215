/*
 * asm/stage2.h - the guest-physical to host-physical page tables of a VM: VMSAv8-64
 * stage-2 translation with a 4 KiB granule and 40-bit IPAs (Arm ARM D8, "The AArch64
 * Virtual Memory System Architecture"), the format VTCR_EL2 selects in vm.c.
 */
#ifndef ASM_STAGE2_H
#define ASM_STAGE2_H

#include <types.h>

/*
 * 40-bit guest-physical addresses (VTCR_EL2.T0SZ = 24), the walk starting at level 1
 * (SL0 = 1): its table indexes 10 bits, so it is two 4 KiB tables side by side,
 * "concatenated" (D8.2.5), 8 KiB-aligned.
 */
#define STAGE2_GPA_BITS	    40
#define STAGE2_ROOT_ENTRIES 1024
#define STAGE2_ROOT_ORDER   1 /* 2 pages */
#define STAGE2_LEVELS	    3 /* levels 1, 2 and 3 of the architecture */

/* Permissions of a mapping. */
#define STAGE2_R   (1U << 0)
#define STAGE2_W   (1U << 1)
#define STAGE2_X   (1U << 2)
#define STAGE2_RWX (STAGE2_R | STAGE2_W | STAGE2_X)
/* A device's registers, not RAM (passthrough, lab 4): Device-nGnRE memory, not Normal. */
#define STAGE2_DEVICE (1U << 3)

/* Leaf sizes: a page at level 3, a block at level 2 or level 1. */
#define STAGE2_4K (4UL << 10)
#define STAGE2_2M (2UL << 20)
#define STAGE2_1G (1UL << 30)

struct stage2 {
	u64 *root; /* the 8 KiB level-1 table (host physical = host virtual here) */
	u64 tables; /* page-table pages in use, the root counting as one */
};

int stage2_init(struct stage2 *s2);
/* Frees every table page (the memory the mappings point to is the caller's). */
void stage2_destroy(struct stage2 *s2);

/*
 * Maps [gpa, gpa + size) to [hpa, hpa + size) with prot, choosing for every piece the
 * largest leaf (1 GiB, 2 MiB, 4 KiB) that gpa, hpa and the remaining size allow.
 * -EINVAL: misaligned, empty or beyond 40 bits; -EEXIST: part of it is already mapped
 * (nothing is changed then); -ENOMEM: no page for a table.
 */
int stage2_map(struct stage2 *s2, u64 gpa, u64 hpa, u64 size, unsigned int prot);

/*
 * Removes [gpa, gpa + size). A block only partly inside the range is split into
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
