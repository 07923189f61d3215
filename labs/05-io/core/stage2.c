/*
 * stage2.c - a VM's stage-2 tables: guest-physical to host-physical translation, on every
 * arch. The walk is the same everywhere - a root table, tables below it, leaves of 1 GiB,
 * 2 MiB or 4 KiB - and asm/stage2.h says what an entry looks like (s2_leaf(), s2_table(),
 * ...) and how many bits each level indexes (RISC-V Sv39x4: Privileged Spec v1.12,
 * section 8.5.1; arm64 VMSAv8-64 stage 2: Arm ARM D8). Levels count from the bottom.
 *
 * This file touches no register: it also compiles for the build machine, where
 * grader/unit/stage2_test.c checks it on both arches. (The helpers of stage2_map() are
 * "static inline" so that the lab skeleton, which does not call them yet, compiles.)
 */
#include <errno.h>
#include <page_alloc.h>
#include <stage2.h>
#include <string.h>

/* Bytes one entry covers at each level (level 0 is the bottom). */
static const u64 level_size[STAGE2_LEVELS] = {STAGE2_4K, STAGE2_2M, STAGE2_1G};

static inline u64 *entry_table(u64 entry)
{
	return (u64 *)(uintptr_t)s2_addr(entry);
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
		if (s2_valid(table[i]) && !s2_is_leaf(table[i], level))
			table_free(s2, entry_table(table[i]), level - 1, 512);
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
		u64 *entry = &table[s2_index(gpa, l)];

		if (!s2_valid(*entry)) {
			u64 *next;

			if (!create || !(next = table_alloc(s2)))
				return NULL;
			*entry = s2_table((u64)(uintptr_t)next);
		} else if (s2_is_leaf(*entry, l)) {
			return NULL; /* a superpage already covers gpa */
		}
		table = entry_table(*entry);
	}
	return &table[s2_index(gpa, level)];
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
		u64 *entry = entry_at(s2, gpa + done, level, true);

		if (!entry) {
			stage2_unmap(s2, gpa, done); /* leave nothing half-mapped */
			return -ENOMEM;
		}
		/* A table left empty by an earlier unmap gives way to the leaf. */
		if (s2_valid(*entry))
			table_free(s2, entry_table(*entry), level - 1, 512);
		*entry = s2_leaf(hpa + done, prot, level);
		done += level_size[level];
	}
	return 0;
}

/* Replaces the superpage leaf *entry (at `level`) by a table of the next smaller leaves. */
static int split_leaf(struct stage2 *s2, u64 *entry, int level)
{
	u64 *table = table_alloc(s2);
	u64 base = s2_addr(*entry);

	if (!table)
		return -ENOMEM;
	for (unsigned int i = 0; i < 512; i++)
		table[i] = s2_split(*entry, base + i * level_size[level - 1], level - 1);
	*entry = s2_table((u64)(uintptr_t)table);
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
		u64 *entry;

		/* Walk down to the leaf (or hole) holding gpa. */
		for (;;) {
			entry = &table[s2_index(gpa, level)];
			if (!s2_valid(*entry) || s2_is_leaf(*entry, level) || level == 0)
				break;
			table = entry_table(*entry);
			level--;
		}
		if (!s2_valid(*entry)) {
			/* Nothing here: skip to the end of this hole's span. */
			gpa = ALIGN_DOWN(gpa, level_size[level]) + level_size[level];
			continue;
		}
		if (IS_ALIGNED(gpa, level_size[level]) && end - gpa >= level_size[level]) {
			*entry = 0;
			gpa += level_size[level];
			continue;
		}
		/* Only part of a superpage goes: split it and look again. */
		if (split_leaf(s2, entry, level))
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
		u64 entry = table[s2_index(gpa, level)];

		if (!s2_valid(entry))
			return -ENOENT;
		if (s2_is_leaf(entry, level)) {
			*hpa = s2_addr(entry) + (gpa & (level_size[level] - 1));
			*prot = s2_prot(entry);
			*leaf_size = level_size[level];
			return 0;
		}
		table = entry_table(entry);
	}
	return -ENOENT;
}

static void walk_table(const u64 *table, int level, unsigned int entries, u64 base,
		       void (*fn)(void *, u64, u64, u64, unsigned int), void *arg)
{
	for (unsigned int i = 0; i < entries; i++) {
		u64 entry = table[i], gpa = base + i * level_size[level];

		if (!s2_valid(entry))
			continue;
		if (s2_is_leaf(entry, level))
			fn(arg, gpa, s2_addr(entry), level_size[level], s2_prot(entry));
		else if (level > 0)
			walk_table(entry_table(entry), level - 1, 512, gpa, fn, arg);
	}
}

void stage2_walk(const struct stage2 *s2,
		 void (*fn)(void *arg, u64 gpa, u64 hpa, u64 size, unsigned int prot), void *arg)
{
	walk_table(s2->root, STAGE2_LEVELS - 1, STAGE2_ROOT_ENTRIES, 0, fn, arg);
}
