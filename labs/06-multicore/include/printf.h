/* printf.h - formatted output: to the console, or into a buffer. */
#ifndef HVLAB_PRINTF_H
#define HVLAB_PRINTF_H

#include <stdarg.h>
#include <types.h>

/*
 * Conversions: %d %i %u %x %X %p %s %c %%, with the length modifiers l, ll and z,
 * a field width (number or *), '-' to left-justify, '0' to pad with zeros, '#' for a
 * 0x in front of non-zero hex, and a precision ('.N' or '.*': the minimum number of
 * digits, or the most characters of a string). %p prints 0x and 16 hex digits.
 */
int printf(const char *fmt, ...) __printf(1, 2);
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* The formatting engine: calls out(c, arg) for every character, returns the count. */
int vformat(void (*out)(char c, void *arg), void *arg, const char *fmt, va_list ap);

#endif
