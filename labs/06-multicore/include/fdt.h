/* fdt.h - a reader for flattened device trees (the Devicetree Specification v0.4, chapter 5). */
#ifndef HVLAB_FDT_H
#define HVLAB_FDT_H

#include <types.h>

/*
 * fdt_open() checks the whole blob once - header, every token, every name and property
 * bound - so the accessors below can walk it without re-checking. A blob that fails
 * fdt_open() is never walked; its problem is described in fdt->error.
 *
 * A node is named by its offset in the structure block (an int >= 0); functions that
 * look for a node return -ENOENT when there is none.
 */
struct fdt {
	const u8 *blob;
	u32 size; /* totalsize from the header */
	u32 struct_off; /* structure block: offset and size in the blob */
	u32 struct_size;
	u32 strings_off; /* strings block */
	u32 strings_size;
	u32 rsvmap_off; /* memory reservation block */
	u32 boot_cpuid;
	char error[128]; /* why fdt_open() refused the blob */
};

#define FDT_MAGIC     0xd00dfeedU
#define FDT_MAX_DEPTH 32

int fdt_open(struct fdt *fdt, const void *blob, u32 max_size);

/* Big-endian cell access: a property value is a sequence of 32-bit big-endian cells. */
u32 fdt32_to_cpu(const void *p);
u64 fdt_read_cells(const void *p, int ncells); /* ncells 1 or 2 */

int fdt_root(const struct fdt *fdt);
int fdt_next_node(const struct fdt *fdt, int node, int *depth);
int fdt_first_child(const struct fdt *fdt, int node);
int fdt_next_sibling(const struct fdt *fdt, int node);
int fdt_parent(const struct fdt *fdt, int node);
const char *fdt_node_name(const struct fdt *fdt, int node);

/* A path like "/cpus" or "/soc/uart@10000000"; a component without '@' ignores unit addresses. */
int fdt_find_node(const struct fdt *fdt, const char *path);
/* The next node after 'from' (-1: from the start) whose "compatible" list holds compat. */
int fdt_find_compatible(const struct fdt *fdt, int from, const char *compat);
bool fdt_is_compatible(const struct fdt *fdt, int node, const char *compat);

/* Property value and length in bytes, or NULL when the node has no such property. */
const void *fdt_prop(const struct fdt *fdt, int node, const char *name, u32 *len);
/* A property holding one u32 cell: 0 on success, -ENOENT if absent, -EINVAL if not 4 bytes. */
int fdt_prop_u32(const struct fdt *fdt, int node, const char *name, u32 *val);
/* A string property, or NULL when absent or not NUL-terminated. */
const char *fdt_prop_string(const struct fdt *fdt, int node, const char *name);

/* #address-cells and #size-cells that apply to node's "reg" (read from its parent). */
int fdt_addr_cells(const struct fdt *fdt, int node);
int fdt_size_cells(const struct fdt *fdt, int node);
/* Number of (address, size) entries in node's reg, or -ENOENT / -EINVAL (bad length). */
int fdt_reg_count(const struct fdt *fdt, int node);
int fdt_read_reg(const struct fdt *fdt, int node, int index, u64 *base, u64 *size);

/* Entry 'index' of the memory reservation block: 0, or -ENOENT past the last one. */
int fdt_mem_rsv(const struct fdt *fdt, int index, u64 *base, u64 *size);

#endif
