/* console.h - the hypervisor's console: one output driver, switched at boot. */
#ifndef HVLAB_CONSOLE_H
#define HVLAB_CONSOLE_H

#include <types.h>

struct console_driver {
	const char *name;
	void (*putc)(char c);
	int (*getc)(void); /* a character, or -1 when none is waiting */
};

/* Boot starts on the firmware's console (arch_early_console); drivers replace it. */
void console_init(const struct console_driver *drv);
const struct console_driver *console_driver(void);

/*
 * One CPU at a time on the console: printf() holds it for a whole message, so lines of
 * different CPUs never mix. The holder may take it again (a panic inside printf).
 */
void console_lock(void);
void console_unlock(void);

/* The hypervisor's own output. */
void console_putc(char c);
void console_puts(const char *s);
int console_getc(void);


#endif
