/*
 * machine.c - learn the host machine from its device tree: RAM, reserved ranges, the
 * console UART, /chosen. The architecture adds its CPUs and interrupt controller
 * (arch_machine_parse). No hardware address in the hypervisor comes from anywhere else.
 */
#include <arch.h>
#include <errno.h>
#include <machine.h>
#include <printf.h>
#include <string.h>

__printf(4, 5) static int describe(char *why, size_t why_size, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, why_size, fmt, ap);
	va_end(ap);
	return err;
}

int machine_parse_memory(struct machine *m, const struct fdt *fdt, char *why, size_t why_size)
{
	m->nr_mem = 0;
	for (int node = 0; (node = fdt_next_node(fdt, node, NULL)) >= 0;) {
		const char *type = fdt_prop_string(fdt, node, "device_type");
		const char *name = fdt_node_name(fdt, node);
		int count;

		if (!type || strcmp(type, "memory"))
			continue;
		count = fdt_reg_count(fdt, node);
		if (count == -ENOENT)
			return describe(why, why_size, -EINVAL, "/%s: no reg property", name);
		if (count < 0) {
			u32 len = 0;

			fdt_prop(fdt, node, "reg", &len);
			return describe(
				why, why_size, -EINVAL,
				"/%s: reg has %u bytes, not a multiple of the %d-byte "
				"(address, size) entry",
				name, len,
				4 * (fdt_addr_cells(fdt, node) + fdt_size_cells(fdt, node)));
		}
		for (int i = 0; i < count; i++) {
			struct mem_range *r = &m->mem[m->nr_mem];

			if (m->nr_mem == MACHINE_MAX_MEM)
				return describe(why, why_size, -EINVAL,
						"more than %d memory ranges", MACHINE_MAX_MEM);
			fdt_read_reg(fdt, node, i, &r->base, &r->size);
			if (r->size == 0)
				return describe(why, why_size, -EINVAL,
						"/%s: memory range %d is empty", name, i);
			m->nr_mem++;
		}
	}
	if (m->nr_mem == 0)
		return describe(why, why_size, -EINVAL,
				"no memory node (a node with device_type = \"memory\")");
	return 0;
}

static int add_reserved(struct machine *m, paddr_t base, u64 size, char *why, size_t why_size)
{
	if (m->nr_reserved == MACHINE_MAX_RESERVED)
		return describe(why, why_size, -EINVAL, "more than %d reserved memory ranges",
				MACHINE_MAX_RESERVED);
	m->reserved[m->nr_reserved].base = base;
	m->reserved[m->nr_reserved].size = size;
	m->nr_reserved++;
	return 0;
}

/* Firmware protects its own RAM: the /reserved-memory children and /memreserve/ entries. */
static int parse_reserved(struct machine *m, const struct fdt *fdt, char *why, size_t why_size)
{
	int parent = fdt_find_node(fdt, "/reserved-memory");
	u64 base, size;
	int err;

	for (int i = 0; fdt_mem_rsv(fdt, i, &base, &size) == 0; i++)
		if ((err = add_reserved(m, base, size, why, why_size)))
			return err;
	if (parent < 0)
		return 0;
	for (int node = fdt_first_child(fdt, parent); node >= 0;
	     node = fdt_next_sibling(fdt, node)) {
		int count = fdt_reg_count(fdt, node);

		if (count == -ENOENT)
			continue; /* dynamically placed: the OS picks, nothing reserved yet */
		if (count < 0)
			return describe(why, why_size, -EINVAL,
					"/reserved-memory/%s: malformed reg",
					fdt_node_name(fdt, node));
		for (int i = 0; i < count; i++) {
			fdt_read_reg(fdt, node, i, &base, &size);
			if ((err = add_reserved(m, base, size, why, why_size)))
				return err;
		}
	}
	return 0;
}

/* linux,initrd-start/end hold one or two cells (Linux's Documentation/devicetree/bindings/chosen.txt). */
static int read_chosen_address(const struct fdt *fdt, int chosen, const char *name, paddr_t *out)
{
	u32 len;
	const void *p = fdt_prop(fdt, chosen, name, &len);

	if (!p)
		return -ENOENT;
	if (len != 4 && len != 8)
		return -EINVAL;
	*out = fdt_read_cells(p, len / 4);
	return 0;
}

static int parse_chosen(struct machine *m, const struct fdt *fdt, char *why, size_t why_size)
{
	int chosen = fdt_find_node(fdt, "/chosen");
	int err_start, err_end;

	m->bootargs = "";
	if (chosen < 0)
		return 0;
	if (fdt_prop_string(fdt, chosen, "bootargs"))
		m->bootargs = fdt_prop_string(fdt, chosen, "bootargs");
	err_start = read_chosen_address(fdt, chosen, "linux,initrd-start", &m->initrd_start);
	err_end = read_chosen_address(fdt, chosen, "linux,initrd-end", &m->initrd_end);
	if (err_start == -ENOENT && err_end == -ENOENT)
		return 0;
	if (err_start || err_end || m->initrd_end < m->initrd_start)
		return describe(why, why_size, -EINVAL,
				"/chosen: linux,initrd-start and linux,initrd-end must both be "
				"one or two cells, with start <= end");
	return 0;
}

/* The UARTs hvlab has drivers for (drivers/ns16550.c, drivers/pl011.c). */
static const char *const uart_compatibles[] = {"ns16550a", "arm,pl011"};

static const char *uart_kind(const struct fdt *fdt, int node)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(uart_compatibles); i++)
		if (fdt_is_compatible(fdt, node, uart_compatibles[i]))
			return uart_compatibles[i];
	return NULL;
}

int machine_find_uart(const struct fdt *fdt, const char **compatible)
{
	int chosen = fdt_find_node(fdt, "/chosen");
	const char *path = chosen >= 0 ? fdt_prop_string(fdt, chosen, "stdout-path") : NULL;
	int node = -ENOENT;

	if (path) {
		char buf[96];
		const char *colon = strchr(path, ':'); /* "path:options" */

		strlcpy(buf, path,
			colon && (size_t)(colon - path) < sizeof(buf) ? (size_t)(colon - path) + 1
								      : sizeof(buf));
		node = fdt_find_node(fdt, buf);
		if (node >= 0 && !uart_kind(fdt, node))
			node = -ENOENT;
	}
	for (unsigned int i = 0; node < 0 && i < ARRAY_SIZE(uart_compatibles); i++)
		node = fdt_find_compatible(fdt, -1, uart_compatibles[i]);
	if (node >= 0)
		*compatible = uart_kind(fdt, node);
	return node;
}

static int parse_uart(struct machine *m, const struct fdt *fdt, char *why, size_t why_size)
{
	int node = machine_find_uart(fdt, &m->uart.compatible);

	if (node < 0)
		return describe(why, why_size, -ENODEV,
				"no UART for the console (an ns16550a or an arm,pl011)");
	if (fdt_read_reg(fdt, node, 0, &m->uart.base, &m->uart.size))
		return describe(why, why_size, -EINVAL, "/%s: missing or malformed reg",
				fdt_node_name(fdt, node));
	if (arch_irq_parse(fdt, node, &m->uart.irq))
		m->uart.irq = 0;
	if (fdt_prop_u32(fdt, node, "reg-shift", &m->uart.reg_shift))
		m->uart.reg_shift = 0;
	if (fdt_prop_u32(fdt, node, "reg-io-width", &m->uart.reg_io_width))
		m->uart.reg_io_width = 1;
	return 0;
}

int machine_parse(struct machine *m, const struct fdt *fdt, u64 boot_cpu_hwid, char *why,
		  size_t why_size)
{
	int err;

	memset(m, 0, sizeof(*m));
	m->boot_cpu_hwid = boot_cpu_hwid;
	m->model = fdt_prop_string(fdt, fdt_root(fdt), "model");
	if (!m->model)
		m->model = "unknown";
	m->fdt = fdt;

	err = machine_parse_memory(m, fdt, why, why_size);
	if (err == -ENOSYS)
		return describe(why, why_size, err,
				"machine_parse_memory() in core/machine.c "
				"is not written yet");
	if (err)
		return err;
	if ((err = parse_reserved(m, fdt, why, why_size)))
		return err;
	if ((err = parse_chosen(m, fdt, why, why_size)))
		return err;
	if ((err = parse_uart(m, fdt, why, why_size)))
		return err;
	if ((err = arch_machine_parse(m, fdt, why, why_size)))
		return err;
	host_machine = m;
	return 0;
}

const struct machine *host_machine;

u64 machine_ram_size(const struct machine *m)
{
	u64 total = 0;

	for (int i = 0; i < m->nr_mem; i++)
		total += m->mem[i].size;
	return total;
}

void machine_print(const struct machine *m)
{
	printf("machine: %s\n", m->model);
	for (int i = 0; i < m->nr_mem; i++)
		printf("memory: 0x%016lx-0x%016lx (%lu MiB)\n", m->mem[i].base,
		       m->mem[i].base + m->mem[i].size, m->mem[i].size / MiB);
	printf("memory total: %lu MiB\n", machine_ram_size(m) / MiB);
	for (int i = 0; i < m->nr_reserved; i++)
		printf("reserved: 0x%016lx-0x%016lx\n", m->reserved[i].base,
		       m->reserved[i].base + m->reserved[i].size);
	printf("cpus: %d (boot: %s %lu), timer %lu Hz\n", m->nr_cpus, arch_cpu_hwid_name,
	       m->boot_cpu_hwid, m->timer_hz);
	printf("uart: %s at 0x%lx, irq %u\n", m->uart.compatible, m->uart.base, m->uart.irq);
	printf("interrupt controller: at 0x%lx, %u sources\n", m->intc.base, m->intc.nr_irqs);
	printf("bootargs: \"%s\"\n", m->bootargs);
	if (m->initrd_end > m->initrd_start)
		printf("initrd: 0x%lx-0x%lx\n", m->initrd_start, m->initrd_end);
	else
		printf("initrd: none\n");
}
