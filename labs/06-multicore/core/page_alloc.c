/*
 * page_alloc.c - physical page allocator.
 *
 * One bit per 4 KiB page of RAM: 1 = in use (or excluded), 0 = free. Each RAM range
 * from the device tree is a zone with its own run of bits in one shared bitmap. A block
 * of 2^order pages is looked for at addresses that are multiples of its size, so that
 * a 2 MiB block is 2 MiB-aligned - what superpage mappings in stage-2 need (lab 3).
 *
 * The bitmap is a static array (128 KiB for 4 GiB of RAM): no allocator is needed to
 * start the allocator, and its memory is part of the hypervisor image.
 *
 * The small helpers are "static inline" so that a lab skeleton that does not call them
 * yet still compiles without unused-function warnings.
 */
#include <errno.h>
#include <page_alloc.h>
#include <panic.h>
#include <printf.h>
#include <string.h>

struct zone {
	paddr_t base; /* page-aligned start of this RAM range */
	u64 pages; /* pages in the zone */
	u64 first_bit; /* the zone's first bit in used_bitmap */
	/*
	 * hint[k]: no free block of order k starts below this page index. Searches start
	 * there, so draining all memory one block at a time stays linear, not quadratic.
	 * Allocating never invalidates a hint; freeing lowers them.
	 */
	u64 hint[PAGE_ALLOC_HINT_ORDERS];
};

static u64 used_bitmap[PAGE_ALLOC_MAX_PAGES / 64];
static struct zone zones[MACHINE_MAX_MEM];
static int nr_zones;
static u64 ram_pages, free_pages;

#define PAGE_ALLOC_MAX_ORDER 30 /* 4 TiB: no larger block is ever asked for */

#define MAX_EXCLUSIONS (MACHINE_MAX_RESERVED + 8)
static struct page_exclusion exclusions[MAX_EXCLUSIONS];
static int nr_exclusions;

static inline bool page_used(const struct zone *z, u64 index)
{
	u64 bit = z->first_bit + index;

	return used_bitmap[bit / 64] & (1UL << (bit % 64));
}

static inline void mark_used(const struct zone *z, u64 index)
{
	u64 bit = z->first_bit + index;

	used_bitmap[bit / 64] |= 1UL << (bit % 64);
}

static inline void mark_free(const struct zone *z, u64 index)
{
	u64 bit = z->first_bit + index;

	used_bitmap[bit / 64] &= ~(1UL << (bit % 64));
}

static inline paddr_t page_addr(const struct zone *z, u64 index)
{
	return z->base + (index << PAGE_SHIFT);
}

bool page_alloc_is_excluded(paddr_t addr)
{
	for (int i = 0; i < nr_exclusions; i++)
		if (addr >= exclusions[i].base && addr - exclusions[i].base < exclusions[i].size)
			return true;
	return false;
}

/* Does the page at addr overlap any exclusion? (An exclusion need not be page-aligned.) */
static inline bool page_overlaps_exclusion(paddr_t addr)
{
	for (int i = 0; i < nr_exclusions; i++) {
		const struct page_exclusion *e = &exclusions[i];

		if (addr < e->base + e->size && e->base < addr + PAGE_SIZE)
			return true;
	}
	return false;
}

/* Sets up the zones, every page marked in use until page_alloc_init() frees it. */
static int zones_init(const struct machine *m)
{
	u64 next_bit = 0;

	nr_zones = 0;
	memset(used_bitmap, 0xff, sizeof(used_bitmap));
	for (int i = 0; i < m->nr_mem; i++) {
		paddr_t start = ALIGN_UP(m->mem[i].base, PAGE_SIZE);
		paddr_t end = ALIGN_DOWN(m->mem[i].base + m->mem[i].size, PAGE_SIZE);
		struct zone *z = &zones[nr_zones];

		if (end <= start)
			continue;
		z->base = start;
		z->pages = (end - start) >> PAGE_SHIFT;
		if (next_bit + z->pages > PAGE_ALLOC_MAX_PAGES) {
			printf("page allocator: managing only the first %lu MiB of RAM\n",
			       (PAGE_ALLOC_MAX_PAGES << PAGE_SHIFT) / MiB);
			z->pages = PAGE_ALLOC_MAX_PAGES - next_bit;
		}
		if (z->pages == 0)
			break;
		z->first_bit = next_bit;
		memset(z->hint, 0, sizeof(z->hint));
		next_bit += z->pages;
		nr_zones++;
	}
	return nr_zones ? 0 : -ENOMEM;
}

int page_alloc_init(const struct machine *m, const struct page_exclusion *excl, int nr_excl)
{
	int err;

	if (nr_excl > MAX_EXCLUSIONS)
		return -E2BIG;
	memcpy(exclusions, excl, nr_excl * sizeof(*excl));
	nr_exclusions = nr_excl;
	ram_pages = free_pages = 0;
	if ((err = zones_init(m)))
		return err;

	for (int i = 0; i < nr_zones; i++) {
		struct zone *z = &zones[i];

		for (u64 index = 0; index < z->pages; index++) {
			ram_pages++;
			if (page_overlaps_exclusion(page_addr(z, index)))
				continue;
			mark_free(z, index);
			free_pages++;
		}
	}
	return 0;
}

/* Are pages [index, index + count) of zone z all free? Whole 64-bit words at a time. */
static inline bool range_free(const struct zone *z, u64 index, u64 count)
{
	u64 bit = z->first_bit + index, end = bit + count;

	while (bit < end) {
		if (bit % 64 == 0 && end - bit >= 64) {
			if (used_bitmap[bit / 64])
				return false;
			bit += 64;
		} else {
			if (used_bitmap[bit / 64] & (1UL << (bit % 64)))
				return false;
			bit++;
		}
	}
	return true;
}

void *page_alloc_block(unsigned int order)
{
	bool hinted = order < PAGE_ALLOC_HINT_ORDERS;
	u64 count, block;

	if (order > PAGE_ALLOC_MAX_ORDER)
		return NULL;
	count = 1UL << order;
	block = PAGE_SIZE << order;
	for (int i = 0; i < nr_zones; i++) {
		struct zone *z = &zones[i];
		u64 start = hinted ? z->hint[order] : 0;
		u64 index;

		if (start >= z->pages)
			continue;
		index = (ALIGN_UP(page_addr(z, start), block) - z->base) >> PAGE_SHIFT;
		for (; index + count <= z->pages; index += count) {
			if (!range_free(z, index, count))
				continue;
			for (u64 j = 0; j < count; j++)
				mark_used(z, index + j);
			free_pages -= count;
			if (hinted)
				z->hint[order] = index + count;
			return (void *)(uintptr_t)page_addr(z, index);
		}
		if (hinted)
			z->hint[order] = z->pages; /* none left of this order */
	}
	return NULL;
}

/* Freed pages may complete a block of any order: lower every hint to cover them. */
static inline void hints_lower(struct zone *z, u64 index)
{
	for (unsigned int k = 0; k < PAGE_ALLOC_HINT_ORDERS; k++) {
		/* The order-k block holding page 'index' starts after index - 2^k. */
		u64 lowest = index >= (1UL << k) ? index - (1UL << k) + 1 : 0;

		if (lowest < z->hint[k])
			z->hint[k] = lowest;
	}
}

void page_free_block(void *addr, unsigned int order)
{
	paddr_t pa = (paddr_t)(uintptr_t)addr;
	u64 count;

	if (order > PAGE_ALLOC_MAX_ORDER)
		panic("page_free_block(%p, %u): no block is that large", addr, order);
	count = 1UL << order;
	for (int i = 0; i < nr_zones; i++) {
		struct zone *z = &zones[i];
		u64 index = (pa - z->base) >> PAGE_SHIFT;

		if (pa < z->base || index + count > z->pages)
			continue;
		if (!IS_ALIGNED(pa, PAGE_SIZE << order))
			panic("page_free_block(%p, %u): not aligned to the block size", addr,
			      order);
		for (u64 j = 0; j < count; j++)
			if (!page_used(z, index + j))
				panic("page_free_block(%p, %u): page 0x%lx is already free", addr,
				      order, page_addr(z, index + j));
		for (u64 j = 0; j < count; j++)
			mark_free(z, index + j);
		free_pages += count;
		hints_lower(z, index);
		return;
	}
	panic("page_free_block(%p, %u): not memory of this allocator", addr, order);
}

void *page_alloc_range(u64 size, u64 align)
{
	u64 count = ALIGN_UP(size, PAGE_SIZE) >> PAGE_SHIFT;

	if (!size || !align || (align & (align - 1)) || align < PAGE_SIZE)
		return NULL;
	for (int i = 0; i < nr_zones; i++) {
		struct zone *z = &zones[i];
		u64 index = (ALIGN_UP(z->base, align) - z->base) >> PAGE_SHIFT;

		for (; index + count <= z->pages; index += align >> PAGE_SHIFT) {
			if (!range_free(z, index, count))
				continue;
			for (u64 j = 0; j < count; j++)
				mark_used(z, index + j);
			free_pages -= count;
			return (void *)(uintptr_t)page_addr(z, index);
		}
	}
	return NULL;
}

int page_alloc_reserve(paddr_t base, u64 size)
{
	paddr_t end = base + size;

	if (!IS_ALIGNED(base, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE) || end <= base)
		return -EINVAL;
	for (int i = 0; i < nr_zones; i++) {
		struct zone *z = &zones[i];
		u64 first = (base - z->base) >> PAGE_SHIFT, count = size >> PAGE_SHIFT;

		if (base < z->base || first + count > z->pages)
			continue;
		if (!range_free(z, first, count))
			return -EBUSY;
		for (u64 j = 0; j < count; j++)
			mark_used(z, first + j);
		free_pages -= count;
		return 0;
	}
	return -ENOENT;
}

u64 page_alloc_ram_pages(void)
{
	return ram_pages;
}

u64 page_alloc_free_pages(void)
{
	return free_pages;
}
