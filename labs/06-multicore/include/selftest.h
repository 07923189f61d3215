/* selftest.h - built-in checks chosen on the boot command line, for the grader. */
#ifndef HVLAB_SELFTEST_H
#define HVLAB_SELFTEST_H

#include <machine.h>

/*
 * hvlab.test=palloc   exercise the page allocator and print "palloc-test: PASS|FAIL ..."
 * hvlab.fault=KIND    cause a trap on purpose: load / store past the end of RAM, or an
 *                     illegal instruction; the trap report follows.
 */
void selftest_run(const struct machine *m);

#endif
