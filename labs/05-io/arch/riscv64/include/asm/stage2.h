/*
 * asm/stage2.h - what a RISC-V stage-2 table looks like: Sv39x4 (RISC-V Privileged Spec
 * v1.12, section 8.5.1), the format hgatp.MODE = 8 selects. A GPA of 41 bits is split
 *
 *   40       30 29      21 20      12 11         0
 *   | VPN[2]   | VPN[1]   | VPN[0]   | page offset |
 *     11 bits    9 bits     9 bits
 *
 * so the root table has 2048 entries (16 KiB, 16 KiB-aligned) and the two levels below
 * have 512. An entry with R, W or X set is a leaf: at the root it maps 1 GiB, one level
 * down 2 MiB, at the bottom 4 KiB. Every leaf has U set - for the G-stage every guest
 * access counts as a user-mode one (section 8.5.1) - and A and D set, so that no
 * hardware ever has to update them. Included by stage2.h, after the STAGE2_* permissions.
 */
#ifndef ASM_STAGE2_H
#define ASM_STAGE2_H

#include <types.h>

#define STAGE2_GPA_BITS	    41 /* Sv39x4: 2 bits more than Sv39's 39 */
#define STAGE2_ROOT_ENTRIES 2048 /* 11 index bits at the root: a 16 KiB table */
#define STAGE2_ROOT_ORDER   2 /* ... so 4 pages, and 16 KiB-aligned */
#define STAGE2_LEVELS	    3

#define PTE_V	      (1UL << 0)
#define PTE_R	      (1UL << 1)
#define PTE_W	      (1UL << 2)
#define PTE_X	      (1UL << 3)
#define PTE_U	      (1UL << 4)
#define PTE_A	      (1UL << 6)
#define PTE_D	      (1UL << 7)
#define PTE_LEAF      (PTE_R | PTE_W | PTE_X)
#define PTE_PPN_SHIFT 10
#define PTE_PPN_MASK  (((1UL << 44) - 1) << PTE_PPN_SHIFT)

/* The index of gpa's entry in a table of `level` (0: the bottom, 4 KiB leaves). */
static inline unsigned int s2_index(u64 gpa, int level)
{
	unsigned int bits = level == STAGE2_LEVELS - 1 ? 11 : 9;

	return (gpa >> (12 + 9 * level)) & ((1U << bits) - 1);
}

static inline bool s2_valid(u64 pte)
{
	return pte & PTE_V;
}

static inline bool s2_is_leaf(u64 pte, int level)
{
	return (pte & PTE_V) && (pte & PTE_LEAF);
}

/* The table below, or the memory of a leaf. */
static inline u64 s2_addr(u64 pte)
{
	return ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12;
}

/* An entry that points to the table at pa. */
static inline u64 s2_table(u64 pa)
{
	return ((pa >> 12) << PTE_PPN_SHIFT) | PTE_V;
}

/* A leaf at `level` for the memory at pa, with prot. */
static inline u64 s2_leaf(u64 pa, unsigned int prot, int level)
{
	return ((pa >> 12) << PTE_PPN_SHIFT) | (prot & STAGE2_R ? PTE_R : 0) |
	       (prot & STAGE2_W ? PTE_W : 0) | (prot & STAGE2_X ? PTE_X : 0) | PTE_U | PTE_A |
	       PTE_D | PTE_V;
}

static inline unsigned int s2_prot(u64 pte)
{
	return (pte & PTE_R ? STAGE2_R : 0) | (pte & PTE_W ? STAGE2_W : 0) |
	       (pte & PTE_X ? STAGE2_X : 0);
}

/* A leaf at `level` for pa, as a piece of the larger leaf `leaf` (its permissions). */
static inline u64 s2_split(u64 leaf, u64 pa, int level)
{
	return ((pa >> 12) << PTE_PPN_SHIFT) | (leaf & ~PTE_PPN_MASK);
}

#endif
