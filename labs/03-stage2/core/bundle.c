/*
 * bundle.c - read the VM bundle: a flattened device tree that tools/hvlab/bundle.py
 * builds from a scenario and QEMU loads as the initrd. Every property is checked here,
 * so that a malformed bundle stops the boot with a message naming the VM and the
 * property, and never reaches vm_create() half-understood.
 */
#include <bundle.h>
#include <errno.h>
#include <printf.h>
#include <string.h>

#define BUNDLE_COMPATIBLE "hvlab,bundle-v1"

struct bundle_ctx {
	const struct fdt *fdt;
	int node;
	struct vm_config *cfg;
	char *why;
	size_t why_size;
};

__printf(2, 3) static int vm_error(struct bundle_ctx *b, const char *fmt, ...)
{
	size_t n = snprintf(b->why, b->why_size, "%s", fdt_node_name(b->fdt, b->node));
	va_list ap;

	if (b->cfg->name)
		n += snprintf(b->why + n, n < b->why_size ? b->why_size - n : 0, " (%s)",
			      b->cfg->name);
	if (n + 2 < b->why_size) {
		b->why[n++] = ':';
		b->why[n++] = ' ';
		va_start(ap, fmt);
		vsnprintf(b->why + n, b->why_size - n, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* An address property of one or two cells (1 or 2 * 4 bytes). */
static int read_address(struct bundle_ctx *b, const char *name, paddr_t *out, bool required)
{
	u32 len;
	const void *p = fdt_prop(b->fdt, b->node, name, &len);

	if (!p)
		return required ? vm_error(b, "missing property '%s'", name) : -ENOENT;
	if (len != 4 && len != 8)
		return vm_error(b, "property '%s' has %u bytes, expected 4 or 8", name, len);
	*out = fdt_read_cells(p, len / 4);
	return 0;
}

static int read_memory(struct bundle_ctx *b)
{
	struct vm_config *cfg = b->cfg;
	u32 len;
	const u8 *p = fdt_prop(b->fdt, b->node, "memory", &len);

	if (!p)
		return vm_error(b, "missing property 'memory'");
	/* (GPA, size) pairs of two cells each, as the bundle's #address/#size-cells say. */
	if (len == 0 || len % 16)
		return vm_error(b,
				"property 'memory' has %u bytes, not (address, size) pairs "
				"of 2 + 2 cells",
				len);
	if (len / 16 > VM_MAX_REGIONS)
		return vm_error(b, "more than %d memory regions", VM_MAX_REGIONS);
	for (u32 off = 0; off < len; off += 16) {
		struct mem_range *r = &cfg->mem[cfg->nr_mem];

		r->base = fdt_read_cells(p + off, 2);
		r->size = fdt_read_cells(p + off + 8, 2);
		if (!r->size || !IS_ALIGNED(r->base, 4096) || !IS_ALIGNED(r->size, 4096) ||
		    r->base + r->size < r->base)
			return vm_error(b,
					"memory region %d (0x%lx, size 0x%lx) must be non-empty "
					"and 4 KiB-aligned",
					cfg->nr_mem, r->base, r->size);
		for (int i = 0; i < cfg->nr_mem; i++)
			if (r->base < cfg->mem[i].base + cfg->mem[i].size &&
			    cfg->mem[i].base < r->base + r->size)
				return vm_error(b, "memory regions %d and %d overlap", i,
						cfg->nr_mem);
		cfg->nr_mem++;
	}
	return 0;
}

static inline const struct mem_range *region_holding(const struct vm_config *cfg, paddr_t gpa)
{
	for (int i = 0; i < cfg->nr_mem; i++)
		if (gpa >= cfg->mem[i].base && gpa - cfg->mem[i].base < cfg->mem[i].size)
			return &cfg->mem[i];
	return NULL;
}

/* Child nodes are devices: compatible, and reg in the VM node's own address cells. */
static int read_devices(struct bundle_ctx *b)
{
	struct vm_config *cfg = b->cfg;

	for (int node = fdt_first_child(b->fdt, b->node); node >= 0;
	     node = fdt_next_sibling(b->fdt, node)) {
		struct vm_device_config *dc = &cfg->devices[cfg->nr_devices];

		if (cfg->nr_devices == VM_MAX_DEVICES)
			return vm_error(b, "more than %d devices", VM_MAX_DEVICES);
		dc->compatible = fdt_prop_string(b->fdt, node, "compatible");
		if (!dc->compatible || fdt_read_reg(b->fdt, node, 0, &dc->base, &dc->size))
			return vm_error(b, "device %s needs a compatible and a reg",
					fdt_node_name(b->fdt, node));
		for (int i = 0; i < cfg->nr_mem; i++)
			if (dc->base < cfg->mem[i].base + cfg->mem[i].size &&
			    cfg->mem[i].base < dc->base + dc->size)
				return vm_error(b, "device %s overlaps memory region %d",
						fdt_node_name(b->fdt, node), i);
		cfg->nr_devices++;
	}
	return 0;
}


static int read_vm(struct bundle_ctx *b)
{
	struct vm_config *cfg = b->cfg;
	u32 vcpus, len;
	int err;

	if (!fdt_is_compatible(b->fdt, b->node, "hvlab,vm"))
		return vm_error(b, "not compatible with \"hvlab,vm\"");
	cfg->name = fdt_prop_string(b->fdt, b->node, "label");
	if (!cfg->name || !cfg->name[0])
		return vm_error(b, "missing property 'label' (the VM's name)");
	err = fdt_prop_u32(b->fdt, b->node, "vcpus", &vcpus);
	if (err == -ENOENT)
		return vm_error(b, "missing property 'vcpus'");
	if (err || vcpus == 0 || vcpus > VM_MAX_VCPUS)
		return vm_error(b, "property 'vcpus' must be one cell, 1 to %d", VM_MAX_VCPUS);
	cfg->nr_vcpus = vcpus;
	if ((err = read_memory(b)))
		return err;
	cfg->identity = fdt_prop(b->fdt, b->node, "identity", NULL) != NULL;

	cfg->kernel = fdt_prop(b->fdt, b->node, "kernel", &len);
	if (!cfg->kernel || !len)
		return vm_error(b, "missing property 'kernel' (the image)");
	cfg->kernel_size = len;
	if ((err = read_address(b, "kernel-addr", &cfg->kernel_gpa, true)))
		return err;
	err = read_address(b, "entry", &cfg->entry, false);
	if (err == -ENOENT)
		cfg->entry = cfg->kernel_gpa;
	else if (err)
		return err;
	const struct mem_range *r = region_holding(cfg, cfg->kernel_gpa);

	if (!r || cfg->kernel_size > r->base + r->size - cfg->kernel_gpa)
		return vm_error(b,
				"the kernel (%u bytes at 0x%lx) does not fit in its memory "
				"region",
				len, cfg->kernel_gpa);
	if (!region_holding(cfg, cfg->entry))
		return vm_error(b, "entry 0x%lx is outside the VM's memory", cfg->entry);
	cfg->bootargs = fdt_prop_string(b->fdt, b->node, "bootargs");
	if (!cfg->bootargs)
		cfg->bootargs = "";
	cfg->inject_faults = fdt_prop(b->fdt, b->node, "inject-access-faults", NULL) != NULL;
	if ((err = read_devices(b)))
		return err;
	return 0;
}

/* Two identity-mapped VMs must not claim the same host memory. */
static int check_identity_overlap(struct vm_config *cfg, int n, char *why, size_t why_size)
{
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			for (int ri = 0; cfg[i].identity && cfg[j].identity && ri < cfg[i].nr_mem;
			     ri++)
				for (int rj = 0; rj < cfg[j].nr_mem; rj++) {
					const struct mem_range *a = &cfg[i].mem[ri];
					const struct mem_range *c = &cfg[j].mem[rj];

					if (a->base < c->base + c->size &&
					    c->base < a->base + a->size) {
						snprintf(
							why, why_size,
							"%s and %s both claim host memory at 0x%lx",
							cfg[i].name, cfg[j].name,
							MAX(a->base, c->base));
						return -EINVAL;
					}
				}
	return 0;
}

int bundle_load(const struct machine *m, struct vm_config *cfg, int max, char *why, size_t why_size)
{
	static struct fdt bundle; /* the VM configurations point into it */
	struct bundle_ctx b = {.fdt = &bundle, .why = why, .why_size = why_size};
	int n = 0, err;

	if (m->initrd_end <= m->initrd_start)
		return 0;
	/* An initrd that is no device tree at all is something else: ignore it. */
	if (m->initrd_end - m->initrd_start < 4 ||
	    fdt32_to_cpu((const void *)(uintptr_t)m->initrd_start) != FDT_MAGIC) {
		printf("bundle: the initrd is not a device tree, so not a VM bundle; ignored\n");
		return 0;
	}
	if (fdt_open(&bundle, (const void *)(uintptr_t)m->initrd_start,
		     m->initrd_end - m->initrd_start)) {
		snprintf(why, why_size, "the initrd at 0x%lx is not a device tree: %s",
			 m->initrd_start, bundle.error);
		return -EINVAL;
	}
	if (!fdt_is_compatible(&bundle, fdt_root(&bundle), BUNDLE_COMPATIBLE)) {
		snprintf(why, why_size,
			 "the initrd is not an hvlab VM bundle (no compatible = "
			 "\"%s\")",
			 BUNDLE_COMPATIBLE);
		return -EINVAL;
	}
	for (b.node = fdt_first_child(&bundle, fdt_root(&bundle)); b.node >= 0;
	     b.node = fdt_next_sibling(&bundle, b.node)) {
		if (strncmp(fdt_node_name(&bundle, b.node), "vm@", 3))
			continue;
		if (n == max) {
			snprintf(why, why_size, "more than %d VMs", max);
			return -EINVAL;
		}
		b.cfg = &cfg[n];
		memset(b.cfg, 0, sizeof(*b.cfg));
		b.cfg->index = n;
		if ((err = read_vm(&b)))
			return err;
		n++;
	}
	if (n == 0) {
		snprintf(why, why_size, "the bundle has no vm@N node");
		return -EINVAL;
	}
	err = check_identity_overlap(cfg, n, why, why_size);
	return err ? err : n;
}
