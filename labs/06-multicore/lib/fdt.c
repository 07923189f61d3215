/*
 * fdt.c - a reader for flattened device trees.
 *
 * The blob layout (Devicetree Specification v0.4, chapter 5): a header, a memory
 * reservation block, a structure block of 32-bit big-endian tokens, and a strings block
 * holding property names. Tokens (section 5.4.1):
 *   FDT_BEGIN_NODE name\0 (padded to 4) ... FDT_END_NODE
 *   FDT_PROP u32 len, u32 nameoff, value[len] (padded to 4)
 *   FDT_NOP, and FDT_END once, after the root node.
 */
#include <errno.h>
#include <fdt.h>
#include <printf.h>
#include <string.h>

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP	       4
#define FDT_END	       9

#define FDT_HEADER_SIZE	 40
#define FDT_LAST_VERSION 17

u32 fdt32_to_cpu(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

u64 fdt_read_cells(const void *p, int ncells)
{
	const u8 *b = p;
	u64 v = 0;

	for (int i = 0; i < ncells; i++)
		v = v << 32 | fdt32_to_cpu(b + 4 * i);
	return v;
}

static const u8 *struct_at(const struct fdt *fdt, int off)
{
	return fdt->blob + fdt->struct_off + off;
}

/*
 * Reads the token at 'off' and sets *next to the offset just after it and its payload.
 * Returns the token, or -EINVAL if the token or its payload leaves the structure block.
 */
static int fdt_next_tag(const struct fdt *fdt, int off, int *next)
{
	u32 end = fdt->struct_size;
	u32 tag, len, nameoff;

	if (off < 0 || (u32)off + 4 > end || off % 4)
		return -EINVAL;
	tag = fdt32_to_cpu(struct_at(fdt, off));
	off += 4;
	switch (tag) {
	case FDT_BEGIN_NODE:
		len = strnlen((const char *)struct_at(fdt, off), end - off);
		if ((u32)off + len >= end)
			return -EINVAL; /* the name runs off the block */
		off += len + 1;
		break;
	case FDT_PROP:
		if ((u32)off + 8 > end)
			return -EINVAL;
		len = fdt32_to_cpu(struct_at(fdt, off));
		nameoff = fdt32_to_cpu(struct_at(fdt, off + 4));
		off += 8;
		if (len > end - off || nameoff >= fdt->strings_size)
			return -EINVAL;
		off += len;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return -EINVAL;
	}
	*next = ALIGN_UP(off, 4);
	return tag;
}

__printf(2, 3) static int fdt_fail(struct fdt *fdt, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fdt->error, sizeof(fdt->error), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int fdt_check_strings(struct fdt *fdt)
{
	/* Every property name must be a NUL-terminated string inside the strings block. */
	const char *strings = (const char *)fdt->blob + fdt->strings_off;
	int off = 0, next, tag;

	for (; (tag = fdt_next_tag(fdt, off, &next)) != FDT_END; off = next) {
		if (tag == FDT_PROP) {
			u32 nameoff = fdt32_to_cpu(struct_at(fdt, off + 8));
			u32 room = fdt->strings_size - nameoff;

			if (strnlen(strings + nameoff, room) == room)
				return fdt_fail(fdt,
						"property name at strings offset 0x%x is "
						"not terminated",
						nameoff);
		}
	}
	return 0;
}

/* Walks the structure block once and checks that it is a well-formed tree. */
static int fdt_check_structure(struct fdt *fdt)
{
	int off = 0, next, tag, depth = 0;
	bool root_closed = false;

	for (;;) {
		tag = fdt_next_tag(fdt, off, &next);
		if (tag < 0)
			return fdt_fail(fdt, "bad token at structure offset 0x%x", off);
		if (root_closed && tag != FDT_NOP && tag != FDT_END)
			return fdt_fail(fdt, "data after the root node at structure offset 0x%x",
					off);
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (off == 0 && *(const char *)struct_at(fdt, 4) != '\0')
				return fdt_fail(fdt, "the root node has a name");
			if (off != 0 && depth == 0)
				return fdt_fail(fdt, "a second root node at structure offset 0x%x",
						off);
			if (++depth > FDT_MAX_DEPTH)
				return fdt_fail(fdt, "nodes nested deeper than %d", FDT_MAX_DEPTH);
			break;
		case FDT_END_NODE:
			if (depth == 0)
				return fdt_fail(fdt,
						"unbalanced end of node at structure offset 0x%x",
						off);
			if (--depth == 0)
				root_closed = true;
			break;
		case FDT_PROP:
			if (depth == 0)
				return fdt_fail(fdt,
						"a property outside any node at structure "
						"offset 0x%x",
						off);
			break;
		case FDT_END:
			if (!root_closed)
				return fdt_fail(fdt, "the structure block ends inside a node");
			return fdt_check_strings(fdt);
		}
		if (off == 0 && tag != FDT_BEGIN_NODE)
			return fdt_fail(fdt, "the structure block does not start with a node");
		off = next;
	}
}

static int fdt_check_rsvmap(struct fdt *fdt)
{
	for (u32 off = fdt->rsvmap_off;; off += 16) {
		if (off + 16 > fdt->size)
			return fdt_fail(fdt, "the memory reservation block is not terminated");
		if (!fdt_read_cells(fdt->blob + off, 2) && !fdt_read_cells(fdt->blob + off + 8, 2))
			return 0;
	}
}

int fdt_open(struct fdt *fdt, const void *blob, u32 max_size)
{
	const u8 *h = blob;
	u32 magic, version, last_comp;

	memset(fdt, 0, sizeof(*fdt));
	if (!blob || (uintptr_t)blob % 4)
		return fdt_fail(fdt, "no device tree at %p (NULL or misaligned)", blob);
	magic = fdt32_to_cpu(h);
	if (magic != FDT_MAGIC)
		return fdt_fail(fdt, "bad magic 0x%08x at %p (expected 0x%08x)", magic, blob,
				FDT_MAGIC);

	fdt->blob = blob;
	fdt->size = fdt32_to_cpu(h + 4);
	fdt->struct_off = fdt32_to_cpu(h + 8);
	fdt->strings_off = fdt32_to_cpu(h + 12);
	fdt->rsvmap_off = fdt32_to_cpu(h + 16);
	version = fdt32_to_cpu(h + 20);
	last_comp = fdt32_to_cpu(h + 24);
	fdt->boot_cpuid = fdt32_to_cpu(h + 28);
	fdt->strings_size = fdt32_to_cpu(h + 32);
	fdt->struct_size = fdt32_to_cpu(h + 36);

	if (fdt->size < FDT_HEADER_SIZE || fdt->size > max_size)
		return fdt_fail(fdt, "totalsize %u out of range [%u, %u]", fdt->size,
				FDT_HEADER_SIZE, max_size);
	/* Version 17 added size_dt_struct, which the bounds checks below rely on. */
	if (version < FDT_LAST_VERSION || last_comp > FDT_LAST_VERSION)
		return fdt_fail(fdt, "version %u (compatible with %u) is not supported; need 17",
				version, last_comp);
	if (fdt->struct_off % 4 || fdt->rsvmap_off % 8)
		return fdt_fail(fdt, "misaligned block offsets");
	if (fdt->struct_off < FDT_HEADER_SIZE || fdt->struct_off > fdt->size ||
	    fdt->struct_size > fdt->size - fdt->struct_off)
		return fdt_fail(fdt, "structure block [0x%x, +0x%x) outside the blob",
				fdt->struct_off, fdt->struct_size);
	if (fdt->strings_off < FDT_HEADER_SIZE || fdt->strings_off > fdt->size ||
	    fdt->strings_size > fdt->size - fdt->strings_off)
		return fdt_fail(fdt, "strings block [0x%x, +0x%x) outside the blob",
				fdt->strings_off, fdt->strings_size);
	if (fdt->rsvmap_off < FDT_HEADER_SIZE || fdt->rsvmap_off > fdt->size)
		return fdt_fail(fdt, "memory reservation block outside the blob");
	if (fdt_check_rsvmap(fdt))
		return -EINVAL;
	return fdt_check_structure(fdt);
}

int fdt_root(const struct fdt *fdt)
{
	(void)fdt;
	return 0;
}

int fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
	int off = node, next, tag;

	/* Skip the current node's own BEGIN_NODE token, then find the next one. */
	if (fdt_next_tag(fdt, off, &next) != FDT_BEGIN_NODE)
		return -EINVAL;
	for (off = next;; off = next) {
		tag = fdt_next_tag(fdt, off, &next);
		if (tag == FDT_BEGIN_NODE) {
			if (depth)
				(*depth)++;
			return off;
		}
		if (tag == FDT_END_NODE && depth && --(*depth) < 0)
			return -ENOENT;
		if (tag == FDT_END || tag < 0)
			return -ENOENT;
	}
}

int fdt_first_child(const struct fdt *fdt, int node)
{
	int depth = 0;
	int child = fdt_next_node(fdt, node, &depth);

	return child >= 0 && depth == 1 ? child : -ENOENT;
}

int fdt_next_sibling(const struct fdt *fdt, int node)
{
	int depth = 1;

	for (int off = node; (off = fdt_next_node(fdt, off, &depth)) >= 0;) {
		if (depth == 1)
			return off;
		if (depth < 1)
			break;
	}
	return -ENOENT;
}

int fdt_parent(const struct fdt *fdt, int node)
{
	int stack[FDT_MAX_DEPTH + 1];
	int depth = 0;

	stack[0] = 0;
	for (int off = 0; off >= 0; off = fdt_next_node(fdt, off, &depth)) {
		if (depth > FDT_MAX_DEPTH)
			break;
		stack[depth] = off;
		if (off == node)
			return depth > 0 ? stack[depth - 1] : -ENOENT;
	}
	return -ENOENT;
}

const char *fdt_node_name(const struct fdt *fdt, int node)
{
	return (const char *)struct_at(fdt, node + 4);
}

static bool has_unit_address(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] == '@')
			return true;
	return false;
}

static bool name_matches(const char *name, const char *want, size_t len)
{
	/* "uart" matches "uart@10000000"; "uart@10000000" must match whole. */
	if (strncmp(name, want, len))
		return false;
	return name[len] == '\0' || (name[len] == '@' && !has_unit_address(want, len));
}

int fdt_find_node(const struct fdt *fdt, const char *path)
{
	int node = 0;

	if (*path != '/')
		return -EINVAL;
	while (*path) {
		const char *end;
		size_t len;

		while (*path == '/')
			path++;
		if (!*path)
			break;
		end = strchr(path, '/');
		len = end ? (size_t)(end - path) : strlen(path);
		for (node = fdt_first_child(fdt, node); node >= 0;
		     node = fdt_next_sibling(fdt, node))
			if (name_matches(fdt_node_name(fdt, node), path, len))
				break;
		if (node < 0)
			return -ENOENT;
		path += len;
	}
	return node;
}

const void *fdt_prop(const struct fdt *fdt, int node, const char *name, u32 *len)
{
	const char *strings = (const char *)fdt->blob + fdt->strings_off;
	int off, next, tag;

	if (fdt_next_tag(fdt, node, &off) != FDT_BEGIN_NODE)
		return NULL;
	/* A node's properties come before its first child (Devicetree Spec 5.4.2). */
	for (; (tag = fdt_next_tag(fdt, off, &next)) == FDT_PROP || tag == FDT_NOP; off = next) {
		if (tag == FDT_NOP)
			continue;
		if (!strcmp(strings + fdt32_to_cpu(struct_at(fdt, off + 8)), name)) {
			if (len)
				*len = fdt32_to_cpu(struct_at(fdt, off + 4));
			return struct_at(fdt, off + 12);
		}
	}
	return NULL;
}

int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, u32 *val)
{
	u32 len;
	const void *p = fdt_prop(fdt, node, name, &len);

	if (!p)
		return -ENOENT;
	if (len != 4)
		return -EINVAL;
	*val = fdt32_to_cpu(p);
	return 0;
}

const char *fdt_prop_string(const struct fdt *fdt, int node, const char *name)
{
	u32 len;
	const char *p = fdt_prop(fdt, node, name, &len);

	if (!p || len == 0 || strnlen(p, len) == len)
		return NULL;
	return p;
}

bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat)
{
	u32 len;
	const char *p = fdt_prop(fdt, node, "compatible", &len);

	/* "compatible" is a list of NUL-terminated strings (Devicetree Spec 2.3.1). */
	while (p && len) {
		size_t n = strnlen(p, len);

		if (n < len && !strcmp(p, compat))
			return true;
		if (n >= len)
			break;
		p += n + 1;
		len -= n + 1;
	}
	return false;
}

int fdt_find_compatible(const struct fdt *fdt, int from, const char *compat)
{
	int node = from < 0 ? 0 : fdt_next_node(fdt, from, NULL);

	for (; node >= 0; node = fdt_next_node(fdt, node, NULL))
		if (fdt_is_compatible(fdt, node, compat))
			return node;
	return -ENOENT;
}

/* Devicetree Spec 2.3.5: the cells come from the parent; defaults 2 and 1. */
static int fdt_parent_cells(const struct fdt *fdt, int node, const char *name, int dflt)
{
	int parent = fdt_parent(fdt, node);
	u32 cells;

	if (parent < 0 || fdt_prop_u32(fdt, parent, name, &cells))
		return dflt;
	return cells <= 2 ? (int)cells : -EINVAL;
}

int fdt_addr_cells(const struct fdt *fdt, int node)
{
	return fdt_parent_cells(fdt, node, "#address-cells", 2);
}

int fdt_size_cells(const struct fdt *fdt, int node)
{
	return fdt_parent_cells(fdt, node, "#size-cells", 1);
}

int fdt_reg_count(const struct fdt *fdt, int node)
{
	int ac = fdt_addr_cells(fdt, node), sc = fdt_size_cells(fdt, node);
	u32 len, entry;

	if (ac < 0 || sc < 0)
		return -EINVAL;
	if (!fdt_prop(fdt, node, "reg", &len))
		return -ENOENT;
	entry = 4 * (ac + sc);
	if (entry == 0 || len % entry)
		return -EINVAL;
	return len / entry;
}

int fdt_read_reg(const struct fdt *fdt, int node, int index, u64 *base, u64 *size)
{
	int ac = fdt_addr_cells(fdt, node), sc = fdt_size_cells(fdt, node);
	int count = fdt_reg_count(fdt, node);
	const u8 *reg = fdt_prop(fdt, node, "reg", NULL);

	if (count < 0)
		return count;
	if (index < 0 || index >= count)
		return -ENOENT;
	reg += index * 4 * (ac + sc);
	*base = fdt_read_cells(reg, ac);
	*size = sc ? fdt_read_cells(reg + 4 * ac, sc) : 0;
	return 0;
}

int fdt_mem_rsv(const struct fdt *fdt, int index, u64 *base, u64 *size)
{
	for (u32 off = fdt->rsvmap_off; index >= 0; off += 16, index--) {
		*base = fdt_read_cells(fdt->blob + off, 2);
		*size = fdt_read_cells(fdt->blob + off + 8, 2);
		if (!*base && !*size)
			return -ENOENT;
		if (index == 0)
			return 0;
	}
	return -ENOENT;
}
