/*
 * stage2.c - VMSAv8-64 stage-2 tables: guest-physical to host-physical translation.
 *
 * A 40-bit IPA with a 4 KiB granule is split (Arm ARM D8.2, with the walk starting at
 * level 1 on two concatenated tables):
 *
 *   39       30 29      21 20      12 11         0
 *   | level 1  | level 2  | level 3  | page offset |
 *     10 bits    9 bits     9 bits
 *
 * A descriptor (D8.3) is invalid when bit 0 is clear. At levels 1 and 2, 0b11 in bits
 * 1:0 is a table and 0b01 a block (1 GiB, 2 MiB); at level 3, 0b11 is a page. A leaf
 * carries its output address and the stage-2 attributes (D8.3.2): MemAttr (5:2) the
 * memory type, S2AP (7:6) read and write permission, SH (9:8) shareability, AF (10) the
 * access flag - set, so no hardware ever needs to - and XN (54) no execution.
 *
 * Levels are counted here from the bottom, as in the RISC-V port: 0 is the 4 KiB
 * level (the architecture's 3), 2 the root (its 1). This file touches no system register:
 * it also compiles for the build machine, where grader/unit/stage2_test.c checks it.
 * (The helpers of stage2_map() are "static inline" so that the lab skeleton compiles.)
 */
#include <asm/stage2.h>
#include <errno.h>
#include <page_alloc.h>
#include <string.h>

#define DESC_VALID	    (1UL << 0)
#define DESC_TABLE	    (3UL << 0) /* levels 1, 2: a table; level 3: a page */
#define DESC_BLOCK	    (1UL << 0) /* levels 1, 2 */
#define DESC_TYPE_MASK	    (3UL << 0)
#define DESC_ATTR_NORMAL_WB (0xfUL << 2) /* MemAttr: Normal, write-back cacheable */
#define DESC_ATTR_DEVICE    (0x1UL << 2) /* MemAttr: Device-nGnRE */
#define DESC_S2AP_R	    (1UL << 6)
#define DESC_S2AP_W	    (1UL << 7)
#define DESC_SH_INNER	    (3UL << 8)
#define DESC_AF		    (1UL << 10)
#define DESC_XN		    (1UL << 54)
#define DESC_ADDR_MASK	    (((1UL << 48) - 1) & ~0xfffUL) /* output address 47:12 */

/* Bytes one entry covers at each level (level 0 is the bottom). */
static const u64 level_size[STAGE2_LEVELS] = {STAGE2_4K, STAGE2_2M, STAGE2_1G};

static inline unsigned int level_index(u64 gpa, int level)
{
	unsigned int bits = level == STAGE2_LEVELS - 1 ? 10 : 9;

	return (gpa >> (12 + 9 * level)) & ((1U << bits) - 1);
}

static inline u64 *desc_table(u64 desc)
{
	return (u64 *)(uintptr_t)(desc & DESC_ADDR_MASK);
}

static inline u64 desc_addr(u64 desc)
{
	return desc & DESC_ADDR_MASK;
}

/* A leaf is a page at the bottom level and a block above it. */
static inline bool desc_is_leaf(u64 desc, int level)
{
	return (desc & DESC_TYPE_MASK) == (level == 0 ? DESC_TABLE : DESC_BLOCK);
}

static inline u64 make_table(u64 *table)
{
	return (u64)(uintptr_t)table | DESC_TABLE;
}

static inline u64 make_leaf(u64 pa, unsigned int prot, int level)
{
	u64 desc = pa | (level == 0 ? DESC_TABLE : DESC_BLOCK) | DESC_AF;

	desc |= prot & STAGE2_DEVICE ? DESC_ATTR_DEVICE : DESC_ATTR_NORMAL_WB | DESC_SH_INNER;
	desc |= (prot & STAGE2_R ? DESC_S2AP_R : 0) | (prot & STAGE2_W ? DESC_S2AP_W : 0);
	return desc | (prot & STAGE2_X ? 0 : DESC_XN);
}

static inline unsigned int desc_prot(u64 desc)
{
	return (desc & DESC_S2AP_R ? STAGE2_R : 0) | (desc & DESC_S2AP_W ? STAGE2_W : 0) |
	       (desc & DESC_XN ? 0 : STAGE2_X) |
	       ((desc & (0xfUL << 2)) == DESC_ATTR_DEVICE ? STAGE2_DEVICE : 0);
}

/* A leaf's attributes, moved to the smaller leaves of a split (the type bits differ). */
static inline u64 desc_attrs(u64 desc)
{
	return desc & ~DESC_ADDR_MASK & ~DESC_TYPE_MASK;
}

static u64 *table_alloc(struct stage2 *s2)
{
	u64 *table = page_alloc();

	if (table) {
		memset(table, 0, PAGE_SIZE);
		s2->tables++;
	}
	return table;
}

int stage2_init(struct stage2 *s2)
{
	s2->root = page_alloc_block(STAGE2_ROOT_ORDER);
	if (!s2->root)
		return -ENOMEM;
	memset(s2->root, 0, PAGE_SIZE << STAGE2_ROOT_ORDER);
	s2->tables = 1;
	return 0;
}

/* Frees a table and every table below it (`level`: the level of its entries). */
static void table_free(struct stage2 *s2, u64 *table, int level, unsigned int entries)
{
	for (unsigned int i = 0; level > 0 && i < entries; i++)
		if ((table[i] & DESC_VALID) && !desc_is_leaf(table[i], level))
			table_free(s2, desc_table(table[i]), level - 1, 512);
	if (entries == STAGE2_ROOT_ENTRIES)
		page_free_block(table, STAGE2_ROOT_ORDER);
	else
		page_free(table);
	s2->tables--;
}

void stage2_destroy(struct stage2 *s2)
{
	if (s2->root)
		table_free(s2, s2->root, STAGE2_LEVELS - 1, STAGE2_ROOT_ENTRIES);
	s2->root = NULL;
	s2->tables = 0;
}

/* The entry for gpa at `level`, creating tables on the way down when `create`. */
static inline u64 *entry_at(struct stage2 *s2, u64 gpa, int level, bool create)
{
	u64 *table = s2->root;

	for (int l = STAGE2_LEVELS - 1; l > level; l--) {
		u64 *desc = &table[level_index(gpa, l)];

		if (!(*desc & DESC_VALID)) {
			u64 *next;

			if (!create || !(next = table_alloc(s2)))
				return NULL;
			*desc = make_table(next);
		} else if (desc_is_leaf(*desc, l)) {
			return NULL; /* a block already covers gpa */
		}
		table = desc_table(*desc);
	}
	return &table[level_index(gpa, level)];
}

/* Is any part of [gpa, gpa + size) mapped? */
static inline bool range_mapped(const struct stage2 *s2, u64 gpa, u64 size)
{
	for (u64 off = 0; off < size; off += STAGE2_4K) {
		u64 hpa, leaf;
		unsigned int prot;

		if (stage2_translate(s2, gpa + off, &hpa, &prot, &leaf) == 0)
			return true;
	}
	return false;
}

/* The largest leaf level for the next piece of a mapping. */
static inline int choose_level(u64 gpa, u64 hpa, u64 remaining)
{
	for (int level = STAGE2_LEVELS - 1; level > 0; level--) {
		u64 sz = level_size[level];

		if (IS_ALIGNED(gpa, sz) && IS_ALIGNED(hpa, sz) && remaining >= sz)
			return level;
	}
	return 0;
}

int stage2_map(struct stage2 *s2, u64 gpa, u64 hpa, u64 size, unsigned int prot)
{
	u64 done = 0;

	if (!size || !IS_ALIGNED(gpa | hpa | size, STAGE2_4K) || !(prot & STAGE2_RWX) ||
	    gpa + size < gpa || (gpa + size) > (1UL << STAGE2_GPA_BITS))
		return -EINVAL;
	if (range_mapped(s2, gpa, size))
		return -EEXIST;
	while (done < size) {
		int level = choose_level(gpa + done, hpa + done, size - done);
		u64 *desc = entry_at(s2, gpa + done, level, true);

		if (!desc) {
			stage2_unmap(s2, gpa, done); /* leave nothing half-mapped */
			return -ENOMEM;
		}
		/* A table left empty by an earlier unmap gives way to the leaf. */
		if (*desc & DESC_VALID)
			table_free(s2, desc_table(*desc), level - 1, 512);
		*desc = make_leaf(hpa + done, prot, level);
		done += level_size[level];
	}
	return 0;
}

/* Replaces the block *desc (at `level`) by a table of the next smaller leaves. */
static int split_leaf(struct stage2 *s2, u64 *desc, int level)
{
	u64 *table = table_alloc(s2);
	u64 base = desc_addr(*desc), attrs = desc_attrs(*desc);
	u64 type = level - 1 == 0 ? DESC_TABLE : DESC_BLOCK;

	if (!table)
		return -ENOMEM;
	for (unsigned int i = 0; i < 512; i++)
		table[i] = (base + i * level_size[level - 1]) | attrs | type;
	*desc = make_table(table);
	return 0;
}

int stage2_unmap(struct stage2 *s2, u64 gpa, u64 size)
{
	u64 end = gpa + size;

	if (!IS_ALIGNED(gpa | size, STAGE2_4K) || end < gpa || end > (1UL << STAGE2_GPA_BITS))
		return -EINVAL;
	while (gpa < end) {
		u64 *table = s2->root;
		int level = STAGE2_LEVELS - 1;
		u64 *desc;

		/* Walk down to the leaf (or hole) holding gpa. */
		for (;;) {
			desc = &table[level_index(gpa, level)];
			if (!(*desc & DESC_VALID) || desc_is_leaf(*desc, level) || level == 0)
				break;
			table = desc_table(*desc);
			level--;
		}
		if (!(*desc & DESC_VALID)) {
			/* Nothing here: skip to the end of this hole's span. */
			gpa = ALIGN_DOWN(gpa, level_size[level]) + level_size[level];
			continue;
		}
		if (IS_ALIGNED(gpa, level_size[level]) && end - gpa >= level_size[level]) {
			*desc = 0;
			gpa += level_size[level];
			continue;
		}
		/* Only part of a block goes: split it and look again. */
		if (split_leaf(s2, desc, level))
			return -ENOMEM;
	}
	return 0;
}

int stage2_translate(const struct stage2 *s2, u64 gpa, u64 *hpa, unsigned int *prot, u64 *leaf_size)
{
	const u64 *table = s2->root;

	if (gpa >= (1UL << STAGE2_GPA_BITS))
		return -ENOENT;
	for (int level = STAGE2_LEVELS - 1; level >= 0; level--) {
		u64 desc = table[level_index(gpa, level)];

		if (!(desc & DESC_VALID))
			return -ENOENT;
		if (desc_is_leaf(desc, level)) {
			*hpa = desc_addr(desc) + (gpa & (level_size[level] - 1));
			*prot = desc_prot(desc);
			*leaf_size = level_size[level];
			return 0;
		}
		table = desc_table(desc);
	}
	return -ENOENT;
}

static void walk_table(const u64 *table, int level, unsigned int entries, u64 base,
		       void (*fn)(void *, u64, u64, u64, unsigned int), void *arg)
{
	for (unsigned int i = 0; i < entries; i++) {
		u64 desc = table[i], gpa = base + i * level_size[level];

		if (!(desc & DESC_VALID))
			continue;
		if (desc_is_leaf(desc, level))
			fn(arg, gpa, desc_addr(desc), level_size[level], desc_prot(desc));
		else if (level > 0)
			walk_table(desc_table(desc), level - 1, 512, gpa, fn, arg);
	}
}

void stage2_walk(const struct stage2 *s2,
		 void (*fn)(void *arg, u64 gpa, u64 hpa, u64 size, unsigned int prot), void *arg)
{
	walk_table(s2->root, STAGE2_LEVELS - 1, STAGE2_ROOT_ENTRIES, 0, fn, arg);
}
