/* hvtest.c - verdict lines for the grader, and the final power-off. */
#include <hvtest.h>

static int failures;

void hvtest_pass(const char *name)
{
	guest_printf("hvtest: %s PASS\n", name);
}

static void vfail(const char *name, const char *fmt, va_list ap)
{
	char detail[200];

	guest_vsnprintf(detail, sizeof(detail), fmt, ap);
	guest_printf("hvtest: %s FAIL %s\n", name, detail);
	failures++;
}

void hvtest_fail(const char *name, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(name, fmt, ap);
	va_end(ap);
}

bool hvtest_check(bool cond, const char *name, const char *fmt, ...)
{
	va_list ap;

	if (cond) {
		hvtest_pass(name);
		return true;
	}
	va_start(ap, fmt);
	vfail(name, fmt, ap);
	va_end(ap);
	return false;
}

void hvtest_finish(void)
{
	guest_printf("hvtest: done, %d failed\n", failures);
	guest_shutdown(failures ? 1 : 0);
}
