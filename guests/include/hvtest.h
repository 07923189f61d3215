/*
 * hvtest.h - the guests' side of the test protocol: one verdict line per check,
 *     hvtest: <name> PASS
 *     hvtest: <name> FAIL <detail>
 * then hvtest_finish() powers the VM off with status 0 if every check passed, 1 if not.
 */
#ifndef HVTEST_H
#define HVTEST_H

#include <guest.h>

void hvtest_pass(const char *name);
void hvtest_fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* PASS when cond holds, else FAIL with the formatted detail; returns cond. */
bool hvtest_check(bool cond, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void hvtest_finish(void) __attribute__((noreturn));

#endif
