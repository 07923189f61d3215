/*
 * unit.h - the little test harness of the host unit tests: CHECK(cond, fmt, ...) counts
 * a check and prints "FAIL file:line: cond: detail" when it does not hold;
 * unit_summary() prints "<name>: N checks, M failed" and gives main()'s exit status.
 *
 * The hypervisor's headers stand in for libc's (string.h, errno.h), so the few stdio
 * and stdlib functions the tests need are declared here by hand. Output goes through
 * fprintf: a test that links lib/printf.c has the hypervisor's printf, not libc's.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stddef.h>

typedef struct _IO_FILE FILE;
extern FILE *stdout, *stderr;
int fprintf(FILE *f, const char *fmt, ...);
FILE *fopen(const char *path, const char *mode);
size_t fread(void *buf, size_t size, size_t n, FILE *f);
int fclose(FILE *f);
void *malloc(size_t n);
void *aligned_alloc(size_t align, size_t size);
void free(void *p);

static int unit_checks, unit_failures;

#define CHECK(cond, ...)                                                                   \
	do {                                                                               \
		unit_checks++;                                                             \
		if (!(cond)) {                                                             \
			unit_failures++;                                                   \
			fprintf(stdout, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);    \
			fprintf(stdout, __VA_ARGS__);                                      \
			fprintf(stdout, "\n");                                             \
		}                                                                          \
	} while (0)

static inline int unit_summary(const char *name)
{
	fprintf(stdout, "%s: %d checks, %d failed\n", name, unit_checks, unit_failures);
	return unit_failures ? 1 : 0;
}

#endif
