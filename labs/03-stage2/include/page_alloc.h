/*
 * page_alloc.h - the physical page allocator: 4 KiB pages and aligned blocks of them.
 *
 * It takes no lock: the hypervisor allocates only while it boots and creates the VMs,
 * on the boot CPU, before the other CPUs start (lab 6). A page allocated later, from
 * several CPUs, would need one.
 */
#ifndef HVLAB_PAGE_ALLOC_H
#define HVLAB_PAGE_ALLOC_H

#include <machine.h>
#include <types.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE  (1UL << PAGE_SHIFT)

/* One bit per page of RAM, for at most this much of it (more is left unused, with a note). */
#define PAGE_ALLOC_MAX_PAGES (1UL << 20) /* 4 GiB */

/* Orders 0..PAGE_ALLOC_HINT_ORDERS-1 (up to 512 MiB blocks) have a search hint. */
#define PAGE_ALLOC_HINT_ORDERS 18

/* A range of RAM that must never be handed out, with a word saying whose it is. */
struct page_exclusion {
	paddr_t base;
	u64 size;
	const char *owner;
};

/* Manages every page of m's RAM except those overlapping an exclusion. */
int page_alloc_init(const struct machine *m, const struct page_exclusion *excl, int nr_excl);

/*
 * 2^order contiguous pages whose address is a multiple of their total size (order 9 is
 * a 2 MiB block), or NULL when no such block is free. The memory is not cleared.
 */
void *page_alloc_block(unsigned int order);
void page_free_block(void *addr, unsigned int order);

static inline void *page_alloc(void)
{
	return page_alloc_block(0);
}

static inline void page_free(void *addr)
{
	page_free_block(addr, 0);
}

/*
 * size bytes (rounded up to pages) of contiguous memory starting at a multiple of align
 * (a power of two, at least PAGE_SIZE), or NULL. For a VM's RAM: it is never freed.
 */
void *page_alloc_range(u64 size, u64 align);

/*
 * Takes the pages of [base, base + size) out of the free pool for good: memory a VM
 * uses as its own at the same address (GPA = HPA). -ENOENT when the range is not one
 * zone's RAM, -EBUSY when any page of it is already in use, -EINVAL if misaligned.
 */
int page_alloc_reserve(paddr_t base, u64 size);

u64 page_alloc_ram_pages(void); /* pages of RAM under management */
u64 page_alloc_free_pages(void); /* of which free now */
bool page_alloc_is_excluded(paddr_t addr); /* in one of the init-time exclusions? */

#endif
