/* @since 3 */
/*
 * asm/stage2.h - what an arm64 stage-2 table looks like: VMSAv8-64 stage-2 translation
 * with a 4 KiB granule and 40-bit IPAs (Arm ARM D8, "The AArch64 Virtual Memory System
 * Architecture"), as VTCR_EL2 selects it in vm.c. The walk starts at level 1 (SL0 = 1):
 *
 *   39       30 29      21 20      12 11         0
 *   | level 1  | level 2  | level 3  | page offset |
 *     10 bits    9 bits     9 bits
 *
 * 10 index bits at level 1 need two 4 KiB tables side by side, "concatenated" (D8.2.5),
 * 8 KiB-aligned. A descriptor (D8.3) is invalid when bit 0 is clear. At levels 1 and 2,
 * 0b11 in bits 1:0 is a table and 0b01 a block (1 GiB, 2 MiB); at level 3, 0b11 is a
 * page. A leaf carries its output address and the stage-2 attributes (D8.3.2): MemAttr
 * (5:2) the memory type, S2AP (7:6) read and write permission, SH (9:8) shareability, AF
 * (10) the access flag - set, so no hardware ever needs to - and XN (54) no execution.
 * The levels here are counted from the bottom, as in stage2.h: 0 is the architecture's
 * level 3, 2 its level 1. Included by stage2.h, after the STAGE2_* permissions.
 */
#ifndef ASM_STAGE2_H
#define ASM_STAGE2_H

#include <types.h>

#define STAGE2_GPA_BITS	    40
#define STAGE2_ROOT_ENTRIES 1024
#define STAGE2_ROOT_ORDER   1 /* 2 pages */
#define STAGE2_LEVELS	    3 /* levels 1, 2 and 3 of the architecture */

/* A device's registers, not RAM (passthrough, lab 4): Device-nGnRE memory, not Normal. */
#define STAGE2_DEVICE (1U << 3)

#define DESC_VALID	    (1UL << 0)
#define DESC_TABLE	    (3UL << 0) /* levels 1, 2: a table; level 3: a page */
#define DESC_BLOCK	    (1UL << 0) /* levels 1, 2 */
#define DESC_TYPE_MASK	    (3UL << 0)
#define DESC_ATTR_MASK	    (0xfUL << 2)
#define DESC_ATTR_NORMAL_WB (0xfUL << 2) /* MemAttr: Normal, write-back cacheable */
#define DESC_ATTR_DEVICE    (0x1UL << 2) /* MemAttr: Device-nGnRE */
#define DESC_S2AP_R	    (1UL << 6)
#define DESC_S2AP_W	    (1UL << 7)
#define DESC_SH_INNER	    (3UL << 8)
#define DESC_AF		    (1UL << 10)
#define DESC_XN		    (1UL << 54)
#define DESC_ADDR_MASK	    (((1UL << 48) - 1) & ~0xfffUL) /* output address 47:12 */

/* The index of gpa's entry in a table of `level` (0: the bottom, 4 KiB leaves). */
static inline unsigned int s2_index(u64 gpa, int level)
{
	unsigned int bits = level == STAGE2_LEVELS - 1 ? 10 : 9;

	return (gpa >> (12 + 9 * level)) & ((1U << bits) - 1);
}

static inline bool s2_valid(u64 desc)
{
	return desc & DESC_VALID;
}

/* A leaf is a page at the bottom level and a block above it. */
static inline bool s2_is_leaf(u64 desc, int level)
{
	return (desc & DESC_TYPE_MASK) == (level == 0 ? DESC_TABLE : DESC_BLOCK);
}

/* The table below, or the memory of a leaf. */
static inline u64 s2_addr(u64 desc)
{
	return desc & DESC_ADDR_MASK;
}

/* A descriptor that points to the table at pa. */
static inline u64 s2_table(u64 pa)
{
	return pa | DESC_TABLE;
}

/* A leaf at `level` for the memory at pa, with prot: Normal memory, or a device's. */
static inline u64 s2_leaf(u64 pa, unsigned int prot, int level)
{
	u64 desc = pa | (level == 0 ? DESC_TABLE : DESC_BLOCK) | DESC_AF;

	desc |= prot & STAGE2_DEVICE ? DESC_ATTR_DEVICE : DESC_ATTR_NORMAL_WB | DESC_SH_INNER;
	desc |= (prot & STAGE2_R ? DESC_S2AP_R : 0) | (prot & STAGE2_W ? DESC_S2AP_W : 0);
	return desc | (prot & STAGE2_X ? 0 : DESC_XN);
}

static inline unsigned int s2_prot(u64 desc)
{
	return (desc & DESC_S2AP_R ? STAGE2_R : 0) | (desc & DESC_S2AP_W ? STAGE2_W : 0) |
	       (desc & DESC_XN ? 0 : STAGE2_X) |
	       ((desc & DESC_ATTR_MASK) == DESC_ATTR_DEVICE ? STAGE2_DEVICE : 0);
}

/* A leaf at `level` for pa, as a piece of the larger leaf `leaf` (its attributes; the
 * type bits differ between a block and a page). */
static inline u64 s2_split(u64 leaf, u64 pa, int level)
{
	return pa | (leaf & ~DESC_ADDR_MASK & ~DESC_TYPE_MASK) |
	       (level == 0 ? DESC_TABLE : DESC_BLOCK);
}

#endif
