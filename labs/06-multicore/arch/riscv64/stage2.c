/*
 * stage2.c - Sv39x4 page tables: guest-physical to host-physical translation.
 *
 * A GPA of 41 bits is split (RISC-V Privileged Spec v1.12, sections 4.4 and 8.5.1):
 *
 *   40       30 29      21 20      12 11         0
 *   | VPN[2]   | VPN[1]   | VPN[0]   | page offset |
 *     11 bits    9 bits     9 bits
 *
 * The root table has 2048 entries (16 KiB, 16 KiB-aligned); the two levels below have
 * 512. An entry with R, W or X set is a leaf: at the root it maps 1 GiB, one level down
 * 2 MiB, at the bottom 4 KiB. Every leaf has U set - for the G-stage every guest access
 * counts as a user-mode one (section 8.5.1) - and A and D set, so that no hardware ever
 * has to update them.
 *
 * This file touches no CSR: it also compiles for the build machine, where
 * grader/unit/stage2_test.c checks it. (The helpers of stage2_map() are "static inline"
 * so that the lab skeleton, which does not call them yet, compiles.)
 */
#include <asm/stage2.h>
#include <errno.h>
#include <page_alloc.h>
#include <string.h>

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

/* Bytes one entry covers at each level (level 0 is the bottom). */
static const u64 level_size[STAGE2_LEVELS] = {STAGE2_4K, STAGE2_2M, STAGE2_1G};

static inline unsigned int level_index(u64 gpa, int level)
{
	unsigned int bits = level == STAGE2_LEVELS - 1 ? 11 : 9;

	return (gpa >> (12 + 9 * level)) & ((1U << bits) - 1);
}

static inline u64 *pte_table(u64 pte)
{
	return (u64 *)(uintptr_t)(((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12);
}

static inline u64 pte_addr(u64 pte)
{
	return ((pte & PTE_PPN_MASK) >> PTE_PPN_SHIFT) << 12;
}

static inline u64 make_pte(u64 pa, u64 flags)
{
	return ((pa >> 12) << PTE_PPN_SHIFT) | flags | PTE_V;
}

static inline u64 leaf_flags(unsigned int prot)
{
	return (prot & STAGE2_R ? PTE_R : 0) | (prot & STAGE2_W ? PTE_W : 0) |
	       (prot & STAGE2_X ? PTE_X : 0) | PTE_U | PTE_A | PTE_D;
}

static inline unsigned int pte_prot(u64 pte)
{
	return (pte & PTE_R ? STAGE2_R : 0) | (pte & PTE_W ? STAGE2_W : 0) |
	       (pte & PTE_X ? STAGE2_X : 0);
}

static inline bool pte_is_leaf(u64 pte)
{
	return (pte & PTE_V) && (pte & PTE_LEAF);
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
		if ((table[i] & PTE_V) && !pte_is_leaf(table[i]))
			table_free(s2, pte_table(table[i]), level - 1, 512);
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
		u64 *pte = &table[level_index(gpa, l)];

		if (!(*pte & PTE_V)) {
			u64 *next;

			if (!create || !(next = table_alloc(s2)))
				return NULL;
			*pte = make_pte((u64)(uintptr_t)next, 0);
		} else if (pte_is_leaf(*pte)) {
			return NULL; /* a superpage already covers gpa */
		}
		table = pte_table(*pte);
	}
	return &table[level_index(gpa, level)];
}

/* Is any part of [gpa, gpa + size) mapped? */
static inline bool range_mapped(const struct stage2 *s2, u64 gpa, u64 size)
{
	for (u64 off = 0; off < size;) {
		u64 hpa, leaf;
		unsigned int prot;

		if (stage2_translate(s2, gpa + off, &hpa, &prot, &leaf) == 0)
			return true;
		/* Skip ahead by the largest unmapped piece we can be sure of: one page. */
		off += STAGE2_4K;
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
		u64 *pte = entry_at(s2, gpa + done, level, true);

		if (!pte) {
			stage2_unmap(s2, gpa, done); /* leave nothing half-mapped */
			return -ENOMEM;
		}
		/* A table left empty by an earlier unmap gives way to the leaf. */
		if (*pte & PTE_V)
			table_free(s2, pte_table(*pte), level - 1, 512);
		*pte = make_pte(hpa + done, leaf_flags(prot));
		done += level_size[level];
	}
	return 0;
}

/* Replaces the superpage leaf *pte (at `level`) by a table of the next smaller leaves. */
static int split_leaf(struct stage2 *s2, u64 *pte, int level)
{
	u64 *table = table_alloc(s2);
	u64 base = pte_addr(*pte), flags = *pte & ~PTE_PPN_MASK;

	if (!table)
		return -ENOMEM;
	for (unsigned int i = 0; i < 512; i++)
		table[i] = make_pte(base + i * level_size[level - 1], flags);
	*pte = make_pte((u64)(uintptr_t)table, 0);
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
		u64 *pte;

		/* Walk down to the leaf (or hole) holding gpa. */
		for (;;) {
			pte = &table[level_index(gpa, level)];
			if (!(*pte & PTE_V) || pte_is_leaf(*pte) || level == 0)
				break;
			table = pte_table(*pte);
			level--;
		}
		if (!(*pte & PTE_V)) {
			/* Nothing here: skip to the end of this hole's span. */
			gpa = ALIGN_DOWN(gpa, level_size[level]) + level_size[level];
			continue;
		}
		if (IS_ALIGNED(gpa, level_size[level]) && end - gpa >= level_size[level]) {
			*pte = 0;
			gpa += level_size[level];
			continue;
		}
		/* Only part of a superpage goes: split it and look again. */
		if (split_leaf(s2, pte, level))
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
		u64 pte = table[level_index(gpa, level)];

		if (!(pte & PTE_V))
			return -ENOENT;
		if (pte_is_leaf(pte)) {
			*hpa = pte_addr(pte) + (gpa & (level_size[level] - 1));
			*prot = pte_prot(pte);
			*leaf_size = level_size[level];
			return 0;
		}
		table = pte_table(pte);
	}
	return -ENOENT;
}

static void walk_table(const u64 *table, int level, unsigned int entries, u64 base,
		       void (*fn)(void *, u64, u64, u64, unsigned int), void *arg)
{
	for (unsigned int i = 0; i < entries; i++) {
		u64 pte = table[i], gpa = base + i * level_size[level];

		if (!(pte & PTE_V))
			continue;
		if (pte_is_leaf(pte))
			fn(arg, gpa, pte_addr(pte), level_size[level], pte_prot(pte));
		else if (level > 0)
			walk_table(pte_table(pte), level - 1, 512, gpa, fn, arg);
	}
}

void stage2_walk(const struct stage2 *s2,
		 void (*fn)(void *arg, u64 gpa, u64 hpa, u64 size, unsigned int prot), void *arg)
{
	walk_table(s2->root, STAGE2_LEVELS - 1, STAGE2_ROOT_ENTRIES, 0, fn, arg);
}
