/* panic.c - the two ways the hypervisor stops on an error: panic() and fatal(). */
#include <arch.h>
#include <console.h>
#include <panic.h>
#include <printf.h>

static void __noreturn stop(const char *tag, const char *fmt, va_list ap)
{
	console_lock(); /* for good: no other CPU's line lands inside this report */
	printf("\n%s: ", tag);
	vprintf(fmt, ap);
	printf("\nhvlab: stopping the machine (failure)\n");
	arch_poweroff(true);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stop("PANIC", fmt, ap);
}

void fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	stop("FATAL", fmt, ap);
}
