/* console.c - routes the hypervisor's output to the current console driver. */
#include <console.h>
#include <percpu.h>
#include <spinlock.h>

static const struct console_driver *current;

static spinlock_t console_spinlock;
static int console_holder = -1; /* the CPU that holds it, or -1 */
static unsigned int console_depth; /* how many times it holds it */

void console_lock(void)
{
	int me = (int)cpu_id();

	/* Only this CPU can have set console_holder to its own id. */
	if (__atomic_load_n(&console_holder, __ATOMIC_RELAXED) != me) {
		spin_lock(&console_spinlock);
		__atomic_store_n(&console_holder, me, __ATOMIC_RELAXED);
	}
	console_depth++;
}

void console_unlock(void)
{
	if (--console_depth == 0) {
		__atomic_store_n(&console_holder, -1, __ATOMIC_RELAXED);
		spin_unlock(&console_spinlock);
	}
}

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
	console_lock();
	for (size_t i = 0; i < n; i++) {
		console_emit(s[i]);
	}
	console_unlock();
}

void console_putc(char c)
{
	console_lock();
	console_emit(c);
	console_unlock();
}

void console_puts(const char *s)
{
	console_lock();
	while (*s)
		console_putc(*s++);
	console_unlock();
}

int console_getc(void)
{
	return current && current->getc ? current->getc() : -1;
}
