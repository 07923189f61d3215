/* console.c - routes the hypervisor's output to the current console driver. */
#include <console.h>

static const struct console_driver *current;

void console_init(const struct console_driver *drv)
{
	current = drv;
}

const struct console_driver *console_driver(void)
{
	return current;
}

/* One character to the driver. Serial terminals expect CR LF; our strings use LF alone. */
static void console_emit(char c)
{
	if (!current)
		return;
	if (c == '\n')
		current->putc('\r');
	current->putc(c);
}


void console_write_guest(int vm_id, const char *label, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		console_emit(s[i]);
	}
}

void console_putc(char c)
{
	console_emit(c);
}

void console_puts(const char *s)
{
	while (*s)
		console_putc(*s++);
}

int console_getc(void)
{
	return current && current->getc ? current->getc() : -1;
}
