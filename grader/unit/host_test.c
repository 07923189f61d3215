/*
 * host_test.c - unit tests of the hypervisor's pure library code (lib/fdt.c, lib/printf.c),
 * compiled for the build machine with sanitizers. Run by grader/selftest/test_host_units.py:
 *
 *     host_test <qemu-virt.dtb>
 *
 * Prints one line per failed check and "host_test: N checks, M failed" at the end.
 */
#include <errno.h>
#include <fdt.h>
#include <printf.h>
#include <string.h>

#include "unit.h"

/* printf.c writes through the console; the tests only use snprintf. */
void console_putc(char c)
{
	(void)c;
}

void console_lock(void)
{
}

void console_unlock(void)
{
}

static void put_be32(u8 *p, u32 v)
{
	p[0] = v >> 24, p[1] = v >> 16, p[2] = v >> 8, p[3] = v;
}

/* ---- printf ------------------------------------------------------------------------ */

static void expect_format(const char *want, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void expect_format(const char *want, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	CHECK(!strcmp(buf, want) && n == (int)strlen(want), "format \"%s\": got \"%s\" (%d), want \"%s\"",
	      fmt, buf, n, want);
}

static void test_printf(void)
{
	char small[5];

	expect_format("42 -42 0", "%d %d %d", 42, -42, 0);
	expect_format("-9223372036854775808", "%ld", (long)(-9223372036854775807L - 1));
	expect_format("4294967295", "%u", 4294967295U);
	expect_format("ff FF", "%x %X", 255, 255);
	expect_format("ffffffffffffffff", "%lx", ~0UL);
	expect_format("123456789abcdef0", "%llx", 0x123456789abcdef0ULL);
	expect_format("[   42][42   ][00042]", "[%5d][%-5d][%05d]", 42, 42, 42);
	expect_format("-0042", "%05d", -42);
	expect_format("0x00000000deadbeef", "%p", (void *)0xdeadbeefUL);
	expect_format("0000000080200000", "%016lx", 0x80200000UL);
	expect_format("[  ab][ab  ]", "[%4s][%-4s]", "ab", "ab");
	{
		const char *volatile none = NULL; /* hidden from the format checker */

		expect_format("(null)", "%s", none);
	}
	expect_format("x%", "%c%%", 'x');
	expect_format("[  7]", "[%*d]", 3, 7);
	expect_format("12", "%zu", (size_t)12);
	expect_format("0xff 0XFF 0", "%#x %#X %#x", 255, 255, 0);
	expect_format("0x000000ff", "%#010x", 255);
	expect_format("[  0x1f]", "[%#6lx]", 31UL);
	expect_format("0042 -0042", "%.4d %.4d", 42, -42);
	expect_format("[  0042]", "[%6.4x]", 0x42);
	expect_format("abc|ab", "%.3s|%.*s", "abcdef", 2, "abcdef");

	/* Truncation: the return value is the full length, the buffer stays terminated. */
	CHECK(snprintf(small, sizeof(small), "%s", "abcdefgh") == 8 && !strcmp(small, "abcd"),
	      "truncated to \"%s\"", small);
}

/* ---- FDT: a real blob ---------------------------------------------------------------- */

static void test_fdt_real(const u8 *blob, u32 size)
{
	struct fdt fdt;
	u64 base, len;
	u32 tb;
	int node, cpus, count = 0, depth = 0;

	CHECK(fdt_open(&fdt, blob, size) == 0, "fdt_open: %s", fdt.error);
	CHECK(fdt.size == size, "totalsize %u, file %u", fdt.size, size);

	node = fdt_find_node(&fdt, "/memory");
	CHECK(node > 0, "no /memory");
	CHECK(!strcmp(fdt_node_name(&fdt, node), "memory@80000000"), "name %s",
	      fdt_node_name(&fdt, node));
	CHECK(fdt_addr_cells(&fdt, node) == 2 && fdt_size_cells(&fdt, node) == 2, "cells");
	CHECK(fdt_reg_count(&fdt, node) == 1, "reg count %d", fdt_reg_count(&fdt, node));
	CHECK(fdt_read_reg(&fdt, node, 0, &base, &len) == 0 && base == 0x80000000UL &&
		      len == 256UL << 20,
	      "memory reg %lx+%lx", (unsigned long)base, (unsigned long)len);
	CHECK(fdt_read_reg(&fdt, node, 1, &base, &len) == -ENOENT, "reg index 1 exists");
	CHECK(fdt_find_node(&fdt, "/memory@80000000") == node, "full-name lookup");
	CHECK(fdt_find_node(&fdt, "/memory@1") == -ENOENT, "wrong unit address matched");
	CHECK(fdt_find_node(&fdt, "/nothing/here") == -ENOENT, "bogus path");
	CHECK(fdt_find_node(&fdt, "relative") == -EINVAL, "relative path");
	CHECK(fdt_parent(&fdt, node) == fdt_root(&fdt), "parent of /memory");
	CHECK(fdt_parent(&fdt, fdt_root(&fdt)) == -ENOENT, "the root has a parent");

	cpus = fdt_find_node(&fdt, "/cpus");
	CHECK(cpus > 0 && fdt_prop_u32(&fdt, cpus, "timebase-frequency", &tb) == 0 &&
		      tb == 10000000,
	      "timebase");
	CHECK(fdt_prop_u32(&fdt, cpus, "no-such-prop", &tb) == -ENOENT, "absent u32");
	for (node = fdt_first_child(&fdt, cpus); node >= 0; node = fdt_next_sibling(&fdt, node))
		if (!strncmp(fdt_node_name(&fdt, node), "cpu@", 4))
			count++;
	CHECK(count == 2, "%d cpu nodes, want 2 (-smp 2)", count);

	node = fdt_find_compatible(&fdt, -1, "ns16550a");
	CHECK(node > 0 && fdt_read_reg(&fdt, node, 0, &base, &len) == 0 && base == 0x10000000,
	      "uart");
	CHECK(fdt_is_compatible(&fdt, fdt_find_compatible(&fdt, -1, "riscv,plic0"),
				"sifive,plic-1.0.0"),
	      "second compatible string");
	CHECK(fdt_find_compatible(&fdt, node, "ns16550a") == -ENOENT, "a second uart");
	CHECK(fdt_prop_string(&fdt, fdt_find_node(&fdt, "/chosen"), "bootargs") &&
		      !strcmp(fdt_prop_string(&fdt, fdt_find_node(&fdt, "/chosen"), "bootargs"),
			      "hello=world"),
	      "bootargs");

	/* Walk everything: every node once, depth back to zero. */
	count = 0;
	for (node = 0; node >= 0; node = fdt_next_node(&fdt, node, &depth))
		count++;
	CHECK(count > 20, "only %d nodes", count);
}

/* ---- FDT: broken blobs ----------------------------------------------------------------- */

static u8 *copy_blob(const u8 *blob, u32 size)
{
	u8 *copy = malloc(size);

	memcpy(copy, blob, size);
	return copy;
}

static void expect_refused(const char *what, const u8 *blob, u32 max)
{
	struct fdt fdt;
	int err = fdt_open(&fdt, blob, max);

	CHECK(err == -EINVAL && fdt.error[0], "%s: fdt_open returned %d, error \"%s\"", what, err,
	      fdt.error);
}

static void test_fdt_broken(const u8 *blob, u32 size)
{
	u32 off_struct = fdt32_to_cpu(blob + 8), off_strings = fdt32_to_cpu(blob + 12);
	u32 size_struct = fdt32_to_cpu(blob + 36);
	u8 *b;

	expect_refused("NULL", NULL, size);
	b = copy_blob(blob, size), b[0] ^= 1, expect_refused("bad magic", b, size), free(b);
	b = copy_blob(blob, size), put_be32(b + 4, 8), expect_refused("tiny totalsize", b, size),
	free(b);
	expect_refused("blob larger than allowed", blob, size - 1);
	b = copy_blob(blob, size), put_be32(b + 20, 16), expect_refused("version 16", b, size),
	free(b);
	b = copy_blob(blob, size), put_be32(b + 8, size), expect_refused("struct off end", b, size),
	free(b);
	b = copy_blob(blob, size), put_be32(b + 36, size_struct - 8);
	expect_refused("struct block cut short", b, size), free(b);
	b = copy_blob(blob, size), put_be32(b + 32, 0xffffff);
	expect_refused("strings beyond the blob", b, size), free(b);
	/* The first token must open the root node. */
	b = copy_blob(blob, size), put_be32(b + off_struct, 4 /* NOP */ + 5);
	expect_refused("unknown token", b, size), free(b);
	/* The root's first property: a length that runs off the block, a bad name offset. */
	b = copy_blob(blob, size), put_be32(b + off_struct + 8 + 4, 0x7fffffff);
	expect_refused("property length", b, size), free(b);
	b = copy_blob(blob, size), put_be32(b + off_struct + 8 + 8, size);
	expect_refused("property name offset", b, size), free(b);
	/* No FDT_END: overwrite the last token with END_NODE. */
	b = copy_blob(blob, size), put_be32(b + off_struct + size_struct - 4, 2);
	expect_refused("missing FDT_END", b, size), free(b);
	/* A strings block whose last name lost its terminator. */
	b = copy_blob(blob, size);
	put_be32(b + 32, fdt32_to_cpu(b + 32) - 1);
	expect_refused("unterminated property name", b, size), free(b);
	(void)off_strings;
}

/* Nodes nested 40 deep: refused, not walked into a stack overflow. */
static void test_fdt_deep(void)
{
	static u8 blob[4096];
	u32 off = 40, s = 40;
	int depth = 40;

	memset(blob, 0, sizeof(blob));
	for (int i = 0; i < depth; i++, off += 8)
		put_be32(blob + off, 1); /* BEGIN_NODE with an empty name padded to 4 */
	for (int i = 0; i < depth; i++, off += 4)
		put_be32(blob + off, 2);
	put_be32(blob + off, 9), off += 4;
	put_be32(blob, FDT_MAGIC), put_be32(blob + 4, off), put_be32(blob + 8, s);
	put_be32(blob + 12, off), put_be32(blob + 16, 24 + 0), put_be32(blob + 20, 17);
	put_be32(blob + 24, 16), put_be32(blob + 32, 0), put_be32(blob + 36, off - s);
	/* The memory reservation block at 24 overlaps the header's zero words: terminated. */
	put_be32(blob + 16, 40 - 16);
	expect_refused("40 levels deep", blob, sizeof(blob));
}

/*
 * Every byte of the header and structure block flipped in three ways: fdt_open() either
 * refuses the blob or accepts one that the accessors then walk safely (the sanitizers
 * watch every access).
 */
static void test_fdt_mutations(const u8 *blob, u32 size)
{
	static const u8 flips[] = { 0x01, 0x80, 0xff };
	u32 end = fdt32_to_cpu(blob + 8) + fdt32_to_cpu(blob + 36);
	int accepted = 0, refused = 0;
	u8 *b = copy_blob(blob, size);

	for (u32 i = 0; i < end && i < size; i++) {
		for (unsigned int f = 0; f < sizeof(flips); f++) {
			struct fdt fdt;
			int depth = 0;

			b[i] ^= flips[f];
			if (fdt_open(&fdt, b, size) == 0) {
				accepted++;
				for (int n = 0; n >= 0; n = fdt_next_node(&fdt, n, &depth)) {
					u64 base, len;

					fdt_read_reg(&fdt, n, 0, &base, &len);
					fdt_prop_string(&fdt, n, "compatible");
					fdt_node_name(&fdt, n);
				}
				fdt_find_node(&fdt, "/soc/serial");
				fdt_find_compatible(&fdt, -1, "ns16550a");
			} else {
				refused++;
				CHECK(fdt.error[0], "refused without a message at byte %u", i);
			}
			b[i] ^= flips[f];
		}
	}
	CHECK(refused > 0 && accepted > 0, "mutations: %d accepted, %d refused", accepted, refused);
	free(b);
}

int main(int argc, char **argv)
{
	static u8 blob[1 << 20];
	FILE *f;
	u32 size;

	if (argc != 2) {
		fprintf(stderr, "usage: host_test <qemu-virt.dtb>\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f) {
		fprintf(stderr, "host_test: cannot open %s\n", argv[1]);
		return 2;
	}
	size = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	/* QEMU pads the file it dumps; the blob is what the header says. */
	if (size >= 8 && fdt32_to_cpu(blob + 4) < size)
		size = fdt32_to_cpu(blob + 4);

	test_printf();
	test_fdt_real(blob, size);
	test_fdt_broken(blob, size);
	test_fdt_deep();
	test_fdt_mutations(blob, size);
	return unit_summary("host_test");
}
