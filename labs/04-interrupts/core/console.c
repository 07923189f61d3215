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

void console_putc(char c)
{
	if (!current)
		return;
	/* Serial terminals expect CR LF; the hypervisor's strings use LF alone. */
	if (c == '\n')
		current->putc('\r');
	current->putc(c);
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
