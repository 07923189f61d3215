/*
 * stage2_test.c - unit tests of the stage-2 page-table code (core/stage2.c), compiled for
 * the build machine with sanitizers, once per arch: over RISC-V's Sv39x4 entries or
 * arm64's VMSAv8-64 descriptors (4 KiB granule, 40-bit IPA), whichever asm/stage2.h the
 * include path (-I solutions/arch/<arch>/include) brings in. Every arch-specific number -
 * the GPA width, the size and alignment of the root - comes from that header; what only
 * one arch has (arm64's STAGE2_DEVICE) is tested under #ifdef. The page allocator
 * underneath is a stand-in that counts pages and can be told to run dry.
 */
#include <errno.h>
#include <page_alloc.h>
#include <stage2.h>
#include <string.h>

#include "unit.h"

/* ---- the page allocator stand-in ---------------------------------------------------- */

static long pages_out;		/* pages handed out and not yet freed */
static long allocations_left = -1; /* -1: unlimited */

void *page_alloc_block(unsigned int order)
{
	void *p;

	if (allocations_left == 0)
		return NULL;
	if (allocations_left > 0)
		allocations_left--;
	p = aligned_alloc(PAGE_SIZE << order, PAGE_SIZE << order);
	if (p) {
		memset(p, 0xa5, PAGE_SIZE << order); /* tables must not rely on zeroed memory */
		pages_out += 1L << order;
	}
	return p;
}

void page_free_block(void *addr, unsigned int order)
{
	pages_out -= 1L << order;
	free(addr);
}

/* ---- helpers -------------------------------------------------------------------------- */

/* The first GPA past the space, and the bytes of the root (more than one page on both). */
#define GPA_LIMIT  (1UL << STAGE2_GPA_BITS)
#define ROOT_BYTES (PAGE_SIZE << STAGE2_ROOT_ORDER)

struct leaves {
	int count;
	u64 bytes;
	int by_size[3]; /* 4K, 2M, 1G */
	u64 last_gpa, last_size; /* of the last leaf walked */
	bool ordered; /* every leaf began at or after the end of the one before */
	unsigned int prots; /* the union of the leaves' permissions */
};

static void count_leaf(void *arg, u64 gpa, u64 hpa, u64 size, unsigned int prot)
{
	struct leaves *l = arg;

	if (l->count && gpa < l->last_gpa + l->last_size)
		l->ordered = false;
	l->count++;
	l->bytes += size;
	l->last_gpa = gpa;
	l->last_size = size;
	l->prots |= prot;
	l->by_size[size == STAGE2_1G ? 2 : size == STAGE2_2M ? 1 : 0]++;
}

static struct leaves leaves_of(const struct stage2 *s2)
{
	struct leaves l = { .ordered = true };

	stage2_walk(s2, count_leaf, &l);
	return l;
}

static bool maps_to(const struct stage2 *s2, u64 gpa, u64 want_hpa, unsigned int want_prot)
{
	u64 hpa, leaf;
	unsigned int prot;

	return stage2_translate(s2, gpa, &hpa, &prot, &leaf) == 0 && hpa == want_hpa &&
	       prot == want_prot;
}

static bool unmapped(const struct stage2 *s2, u64 gpa)
{
	u64 hpa, leaf;
	unsigned int prot;

	return stage2_translate(s2, gpa, &hpa, &prot, &leaf) == -ENOENT;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void test_root(void)
{
	struct stage2 s2;

	CHECK(stage2_init(&s2) == 0, "init");
	/* The root is one block of 2^STAGE2_ROOT_ORDER pages holding STAGE2_ROOT_ENTRIES
	 * entries, aligned to its size (hgatp and VTTBR_EL2 both require it). */
	CHECK(((uintptr_t)s2.root & (ROOT_BYTES - 1)) == 0 &&
		      pages_out == 1L << STAGE2_ROOT_ORDER &&
		      STAGE2_ROOT_ENTRIES * sizeof(u64) == ROOT_BYTES,
	      "root %p: want one %lu KiB block aligned to its size (%ld pages out)", s2.root,
	      ROOT_BYTES >> 10, pages_out);
	CHECK(leaves_of(&s2).count == 0, "a fresh table maps nothing");
	CHECK(unmapped(&s2, 0x80000000), "fresh table translates");
	stage2_destroy(&s2);
	CHECK(pages_out == 0, "%ld pages leaked", pages_out);
}

static void test_small_and_super(void)
{
	struct stage2 s2;
	struct leaves l;
	u64 hpa, leaf;
	unsigned int prot;

	stage2_init(&s2);
	/* One page, read-only. */
	CHECK(stage2_map(&s2, 0x1000, 0x90001000, 0x1000, STAGE2_R) == 0, "map 4K");
	CHECK(maps_to(&s2, 0x1000, 0x90001000, STAGE2_R), "4K translate");
	CHECK(maps_to(&s2, 0x1fff, 0x90001fff, STAGE2_R), "offset inside the page");
	CHECK(unmapped(&s2, 0x2000) && unmapped(&s2, 0x0), "neighbours stay unmapped");

	/* 4 MiB, both sides 2 MiB-aligned: two 2 MiB leaves. */
	CHECK(stage2_map(&s2, 0x80000000, 0xa0000000, 4 << 20, STAGE2_RWX) == 0, "map 4M");
	l = leaves_of(&s2);
	CHECK(l.by_size[1] == 2 && l.by_size[0] == 1, "leaves: %d x 4K, %d x 2M", l.by_size[0],
	      l.by_size[1]);
	CHECK(stage2_translate(&s2, 0x80234567, &hpa, &prot, &leaf) == 0 && hpa == 0xa0234567 &&
		      leaf == STAGE2_2M && prot == STAGE2_RWX,
	      "inside a 2M leaf: hpa %lx leaf %lx", (unsigned long)hpa, (unsigned long)leaf);

	/* 2 MiB at a 2 MiB-aligned GPA but a merely 4 KiB-aligned HPA: 512 small leaves. */
	CHECK(stage2_map(&s2, 0x40000000, 0xb0001000, 2 << 20, STAGE2_RWX) == 0, "map skewed");
	l = leaves_of(&s2);
	CHECK(l.by_size[0] == 1 + 512 && l.by_size[1] == 2, "skewed: %d x 4K", l.by_size[0]);

	/* 1 GiB + 2 MiB + 4 KiB, all aligned: one of each size. */
	CHECK(stage2_map(&s2, 0x100000000UL, 0x200000000UL, (1UL << 30) + (2 << 20) + 4096,
			 STAGE2_R | STAGE2_X) == 0,
	      "map 1G+2M+4K");
	l = leaves_of(&s2);
	CHECK(l.by_size[2] == 1 && l.by_size[1] == 3 && l.by_size[0] == 514 && l.ordered,
	      "mixed: %d/%d/%d, %s", l.by_size[0], l.by_size[1], l.by_size[2],
	      l.ordered ? "in order" : "walked out of gpa order");
	CHECK(maps_to(&s2, 0x100000000UL + (1UL << 30) + (2 << 20), 0x200000000UL + (1UL << 30) +
								 (2 << 20),
		      STAGE2_R | STAGE2_X),
	      "the trailing 4K page");
	stage2_destroy(&s2);
	CHECK(pages_out == 0, "%ld pages leaked", pages_out);
}

static void test_errors(void)
{
	struct stage2 s2;
	struct leaves before;

	stage2_init(&s2);
	CHECK(stage2_map(&s2, 0x1000, 0x2000, 0, STAGE2_R) == -EINVAL, "size 0");
	CHECK(stage2_map(&s2, 0x1001, 0x2000, 0x1000, STAGE2_R) == -EINVAL, "gpa misaligned");
	CHECK(stage2_map(&s2, 0x1000, 0x2010, 0x1000, STAGE2_R) == -EINVAL, "hpa misaligned");
	CHECK(stage2_map(&s2, 0x1000, 0x2000, 0x1800, STAGE2_R) == -EINVAL, "size misaligned");
	CHECK(stage2_map(&s2, 0x1000, 0x2000, 0x1000, 0) == -EINVAL, "no permission");
	CHECK(stage2_map(&s2, GPA_LIMIT - 0x1000, 0x2000, 0x2000, STAGE2_R) == -EINVAL,
	      "beyond %d bits", STAGE2_GPA_BITS);
	/* The last page sits under the root's last entry (in arm64's second concatenated
	 * table): it must map, translate back and be walked at its own GPA. */
	CHECK(stage2_map(&s2, GPA_LIMIT - 0x1000, 0x2000, 0x1000, STAGE2_R) == 0 &&
		      maps_to(&s2, GPA_LIMIT - 0x1000, 0x2000, STAGE2_R) &&
		      leaves_of(&s2).last_gpa == GPA_LIMIT - 0x1000,
	      "the last page of the %d-bit space", STAGE2_GPA_BITS);

	CHECK(stage2_map(&s2, 0x80000000, 0xa0000000, 2 << 20, STAGE2_RWX) == 0, "map 2M");
	before = leaves_of(&s2);
	CHECK(stage2_map(&s2, 0x80100000, 0xc0000000, 0x1000, STAGE2_R) == -EEXIST,
	      "overlap inside a superpage");
	CHECK(stage2_map(&s2, 0x801ff000, 0xc0000000, 0x2000, STAGE2_R) == -EEXIST,
	      "overlap at the end");
	CHECK(leaves_of(&s2).count == before.count, "a refused map changes nothing");
	stage2_destroy(&s2);
	CHECK(pages_out == 0, "%ld pages leaked", pages_out);
}

static void test_unmap_and_split(void)
{
	struct stage2 s2;
	struct leaves l;

	stage2_init(&s2);
	stage2_map(&s2, 0x80000000, 0xa0000000, 4 << 20, STAGE2_RWX);
	/* Punch one page out of the first superpage: it splits into 511 pages. */
	CHECK(stage2_unmap(&s2, 0x80010000, 0x1000) == 0, "unmap one page");
	CHECK(unmapped(&s2, 0x80010000), "the page is gone");
	CHECK(maps_to(&s2, 0x8000f000, 0xa000f000, STAGE2_RWX) &&
		      maps_to(&s2, 0x80011000, 0xa0011000, STAGE2_RWX),
	      "its neighbours remain");
	l = leaves_of(&s2);
	CHECK(l.by_size[0] == 511 && l.by_size[1] == 1, "after split: %d x 4K, %d x 2M",
	      l.by_size[0], l.by_size[1]);
	CHECK(l.bytes == (4 << 20) - 0x1000, "mapped bytes %lx", (unsigned long)l.bytes);

	CHECK(stage2_unmap(&s2, 0x7ff00000, 8 << 20) == 0, "unmap a range wider than the map");
	CHECK(leaves_of(&s2).count == 0, "everything gone");
	CHECK(stage2_unmap(&s2, 0x80000001, 0x1000) == -EINVAL, "unmap misaligned");
	CHECK(stage2_unmap(&s2, GPA_LIMIT, 0x1000) == -EINVAL, "unmap beyond %d bits",
	      STAGE2_GPA_BITS);
	/* The space can be mapped again. */
	CHECK(stage2_map(&s2, 0x80000000, 0xa0000000, 4 << 20, STAGE2_RWX) == 0, "map again");
	stage2_destroy(&s2);
	CHECK(pages_out == 0, "%ld pages leaked", pages_out);
}

static void test_out_of_memory(void)
{
	struct stage2 s2;

	stage2_init(&s2);
	/* Root given; a 4 KiB map far from anything needs two more tables: allow one. */
	allocations_left = 1;
	CHECK(stage2_map(&s2, 0x12345000, 0x2000, 0x1000, STAGE2_R) == -ENOMEM, "ENOMEM");
	allocations_left = -1;
	CHECK(leaves_of(&s2).count == 0 && unmapped(&s2, 0x12345000), "nothing half-mapped");
	stage2_destroy(&s2);
	CHECK(pages_out == 0, "%ld pages leaked", pages_out);
	allocations_left = 0;
	CHECK(stage2_init(&s2) == -ENOMEM, "init without memory");
	allocations_left = -1;
}

#ifdef STAGE2_DEVICE
/*
 * arm64 only: STAGE2_DEVICE maps a device's registers (passthrough) as Device-nGnRE
 * memory rather than Normal. The attribute must come back from translate and walk, next
 * to Normal memory without leaking into it, and survive the split of a block; device
 * memory is never executable unless asked, and the attribute alone grants no access.
 */
static void test_device(void)
{
	const unsigned int dev = STAGE2_R | STAGE2_W | STAGE2_DEVICE;
	struct stage2 s2;
	struct leaves l;
	u64 hpa = 0, leaf = 0;
	unsigned int prot = 0;

	stage2_init(&s2);
	CHECK(stage2_map(&s2, 0x08000000, 0x08000000, 2 << 20, dev) == 0, "map a 2M device");
	CHECK(stage2_translate(&s2, 0x08012340, &hpa, &prot, &leaf) == 0 && hpa == 0x08012340 &&
		      leaf == STAGE2_2M && prot == dev && (prot & STAGE2_DEVICE) &&
		      !(prot & STAGE2_X),
	      "device block: hpa %lx leaf %lx prot %#x", (unsigned long)hpa, (unsigned long)leaf,
	      prot);
	CHECK(stage2_map(&s2, 0x08200000, 0x90000000, 0x1000, STAGE2_R | STAGE2_W) == 0 &&
		      maps_to(&s2, 0x08200000, 0x90000000, STAGE2_R | STAGE2_W),
	      "Normal memory next to the device is not Device");
	CHECK(stage2_map(&s2, 0x09000000, 0x09000000, 0x1000, STAGE2_DEVICE) == -EINVAL,
	      "STAGE2_DEVICE alone is no permission");

	/* Punch a page out of the device block: the 511 pages left stay Device. */
	CHECK(stage2_unmap(&s2, 0x08100000, 0x1000) == 0, "unmap inside the device block");
	CHECK(maps_to(&s2, 0x080ff000, 0x080ff000, dev) &&
		      maps_to(&s2, 0x08101000, 0x08101000, dev),
	      "the split block's pages keep Device-nGnRE and stay non-executable");
	stage2_unmap(&s2, 0x08200000, 0x1000);
	l = leaves_of(&s2);
	CHECK(l.count == 511 && l.prots == dev, "walk: %d leaves, prot union %#x", l.count,
	      l.prots);
	stage2_destroy(&s2);
	CHECK(pages_out == 0, "%ld pages leaked", pages_out);
}
#endif

int main(void)
{
	test_root();
	test_small_and_super();
	test_errors();
	test_unmap_and_split();
	test_out_of_memory();
#ifdef STAGE2_DEVICE
	test_device();
#endif
	return unit_summary("stage2_test");
}
