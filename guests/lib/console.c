/* console.c - the guests' formatted output: %s %c %d %u %x %lx %ld %lu %p, a field width. */
#include <guest.h>

void *memset(void *dst, int c, size_t n)
{
	for (u8 *d = dst; n--;)
		*d++ = (u8)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;

	for (const u8 *s = src; n--;)
		*d++ = *s++;
	return dst;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	for (; *a && *a == *b; a++, b++)
		;
	return (u8)*a - (u8)*b;
}

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_number(struct out *o, u64 v, unsigned int base, bool negative, int width,
		       char pad)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative)
		digits[n++] = '-';
	while (width-- > n)
		put(o, pad);
	while (n)
		put(o, digits[--n]);
}

int guest_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		int width = 0, longs = 0;
		char pad = ' ';

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		if (*++fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l')
			longs++, fmt++;
		switch (*fmt) {
		case 'd': {
			s64 v = longs ? va_arg(ap, long) : va_arg(ap, int);

			put_number(&o, v < 0 ? -(u64)v : (u64)v, 10, v < 0, width, pad);
			break;
		}
		case 'u':
			put_number(&o, longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int),
				   10, false, width, pad);
			break;
		case 'x':
			put_number(&o, longs ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int),
				   16, false, width, pad);
			break;
		case 'p':
			put(&o, '0'), put(&o, 'x');
			put_number(&o, (u64)(uintptr_t)va_arg(ap, void *), 16, false, 16, '0');
			break;
		case 's':
			for (const char *s = va_arg(ap, const char *); s && *s; s++)
				put(&o, *s);
			break;
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case '\0':
			fmt--;
			break;
		default:
			put(&o, *fmt);
		}
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int guest_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = guest_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void guest_puts(const char *s)
{
	while (*s)
		guest_putc(*s++);
}

int guest_printf(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = guest_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	guest_puts(line);
	return n;
}
