/* panic.h - stopping the machine: hypervisor bugs (panic) and unusable setups (fatal). */
#ifndef HVLAB_PANIC_H
#define HVLAB_PANIC_H

#include <types.h>

/* A hypervisor bug: prints "PANIC: <message>" and powers off with a failure status. */
void __noreturn panic(const char *fmt, ...) __printf(1, 2);

/*
 * The hypervisor cannot run on what it was given (a broken device tree, a CPU without
 * the H extension): prints "FATAL: <message>" and powers off with a failure status.
 */
void __noreturn fatal(const char *fmt, ...) __printf(1, 2);

#define BUG_ON(cond)                                                                               \
	do {                                                                                       \
		if (cond)                                                                          \
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond);                      \
	} while (0)

#endif
