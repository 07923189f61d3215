/* printf.c - a small printf: enough conversions for logs, reports and tests. */
#include <console.h>
#include <printf.h>
#include <string.h>

struct format_spec {
	bool left; /* '-': pad on the right */
	bool zero; /* '0': pad with zeros */
	bool alt; /* '#': 0x in front of hex */
	int width; /* minimum field width */
	int precision; /* '.N': minimum digits, or maximum characters of a string; -1: none */
	int length; /* 0: int, 1: long, 2: long long */
};

#define MAX_PRECISION 32

/*
 * Emits prefix (a sign or "0x") and body, padded to the field width: with spaces in
 * front of both, or - for zero padding of numbers - with zeros between them.
 */
static int emit_padded(void (*out)(char, void *), void *arg, const char *prefix, const char *body,
		       int len, const struct format_spec *spec, bool numeric)
{
	int plen = (int)strlen(prefix);
	int pad = spec->width > plen + len ? spec->width - plen - len : 0;
	bool zeros = numeric && spec->zero && !spec->left && spec->precision < 0;
	int count = plen + len + pad;

	if (!spec->left && !zeros)
		for (; pad; pad--)
			out(' ', arg);
	while (*prefix)
		out(*prefix++, arg);
	if (zeros)
		for (; pad; pad--)
			out('0', arg);
	for (int i = 0; i < len; i++)
		out(body[i], arg);
	for (; pad; pad--)
		out(' ', arg);
	return count;
}

/* Writes v in the given base, at least min_digits long, into the end of a buffer;
 * returns the first digit. */
static char *format_digits(char *end, u64 v, unsigned int base, bool upper, int min_digits)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;

	do {
		*--p = digits[v % base];
		v /= base;
	} while (v);
	while (end - p < min_digits)
		*--p = '0';
	return p;
}

static u64 fetch_unsigned(va_list *ap, int length)
{
	if (length == 2)
		return va_arg(*ap, unsigned long long);
	if (length == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static s64 fetch_signed(va_list *ap, int length)
{
	if (length == 2)
		return va_arg(*ap, long long);
	if (length == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

int vformat(void (*out)(char, void *), void *arg, const char *fmt, va_list ap_in)
{
	char buf[MAX_PRECISION + 24]; /* the digits of a 64-bit value, zero-extended */
	char *end = buf + sizeof(buf);
	int count = 0;
	va_list ap;

	va_copy(ap, ap_in);
	for (; *fmt; fmt++) {
		struct format_spec spec = {0};
		const char *s;
		char *p;

		if (*fmt != '%') {
			out(*fmt, arg);
			count++;
			continue;
		}
		fmt++;
		spec.precision = -1;
		for (;; fmt++) {
			if (*fmt == '-')
				spec.left = true;
			else if (*fmt == '0')
				spec.zero = true;
			else if (*fmt == '#')
				spec.alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			spec.width = va_arg(ap, int);
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			spec.width = spec.width * 10 + (*fmt - '0');
		if (*fmt == '.') {
			spec.precision = 0;
			if (*++fmt == '*') {
				spec.precision = va_arg(ap, int);
				fmt++;
			}
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				spec.precision = spec.precision * 10 + (*fmt - '0');
			if (spec.precision > MAX_PRECISION)
				spec.precision = MAX_PRECISION;
		}
		for (; *fmt == 'l' && spec.length < 2; fmt++)
			spec.length++;
		if (*fmt == 'z') {
			spec.length = 1;
			fmt++;
		}

		switch (*fmt) {
		case 'd':
		case 'i': {
			s64 v = fetch_signed(&ap, spec.length);

			p = format_digits(end, v < 0 ? -(u64)v : (u64)v, 10, false, spec.precision);
			count += emit_padded(out, arg, v < 0 ? "-" : "", p, end - p, &spec, true);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			u64 v = fetch_unsigned(&ap, spec.length);
			unsigned int base = *fmt == 'u' ? 10 : 16;
			const char *prefix = "";

			if (spec.alt && base == 16 && v)
				prefix = *fmt == 'X' ? "0X" : "0x";
			p = format_digits(end, v, base, *fmt == 'X', spec.precision);
			count += emit_padded(out, arg, prefix, p, end - p, &spec, true);
			break;
		}
		case 'p': {
			u64 v = (u64)(uintptr_t)va_arg(ap, void *);

			p = format_digits(end, v, 16, false, 16);
			count += emit_padded(out, arg, "0x", p, end - p, &spec, false);
			break;
		}
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			count += emit_padded(out, arg, "", s,
					     spec.precision >= 0 ? (int)strnlen(s, spec.precision)
								 : (int)strlen(s),
					     &spec, false);
			break;
		case 'c':
			buf[0] = (char)va_arg(ap, int);
			count += emit_padded(out, arg, "", buf, 1, &spec, false);
			break;
		case '%':
			out('%', arg);
			count++;
			break;
		case '\0':
			fmt--; /* a lone '%' at the end: stop at the terminator */
			break;
		default: /* unknown conversion: show it as written */
			out('%', arg);
			out(*fmt, arg);
			count += 2;
			break;
		}
	}
	va_end(ap);
	return count;
}

static void console_out(char c, void *arg)
{
	(void)arg;
	console_putc(c);
}

int vprintf(const char *fmt, va_list ap)
{
	int n;

	console_lock(); /* the whole message at once, whatever other CPUs print */
	n = vformat(console_out, NULL, fmt, ap);
	console_unlock();
	return n;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

struct buffer_sink {
	char *buf;
	size_t size;
	size_t pos;
};

static void buffer_out(char c, void *arg)
{
	struct buffer_sink *sink = arg;

	if (sink->pos + 1 < sink->size)
		sink->buf[sink->pos] = c;
	sink->pos++;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer_sink sink = {buf, size, 0};
	int n = vformat(buffer_out, &sink, fmt, ap);

	if (size)
		buf[sink.pos < size ? sink.pos : size - 1] = '\0';
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
