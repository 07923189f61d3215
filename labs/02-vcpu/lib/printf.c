/* printf.c - a small printf: enough conversions for logs, reports and tests. */
#include <console.h>
#include <printf.h>
#include <string.h>

struct format_spec {
	bool left;  /* '-': pad on the right */
	bool zero;  /* '0': pad with zeros */
	int width;  /* minimum field width */
	int length; /* 0: int, 1: long, 2: long long */
};

static int emit_padded(void (*out)(char, void *), void *arg, const char *s, int len,
		       const struct format_spec *spec, bool numeric)
{
	int pad = spec->width > len ? spec->width - len : 0;
	int count = 0;

	/* A zero-padded negative number keeps its sign in front of the zeros. */
	if (numeric && spec->zero && !spec->left && len && s[0] == '-') {
		out('-', arg);
		s++, len--, count++;
	}
	if (!spec->left)
		for (; pad; pad--, count++)
			out(numeric && spec->zero ? '0' : ' ', arg);
	for (int i = 0; i < len; i++, count++)
		out(s[i], arg);
	for (; pad; pad--, count++)
		out(' ', arg);
	return count;
}

/* Writes v in the given base into the end of buf; returns the first digit. */
static char *format_unsigned(char *end, u64 v, unsigned int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;

	do {
		*--p = digits[v % base];
		v /= base;
	} while (v);
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
	char buf[24]; /* 64-bit value in base 10 with sign, or 0x + 16 digits */
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
		for (;; fmt++) {
			if (*fmt == '-')
				spec.left = true;
			else if (*fmt == '0')
				spec.zero = true;
			else
				break;
		}
		if (*fmt == '*') {
			spec.width = va_arg(ap, int);
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			spec.width = spec.width * 10 + (*fmt - '0');
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

			p = format_unsigned(end, v < 0 ? -(u64)v : (u64)v, 10, false);
			if (v < 0)
				*--p = '-';
			count += emit_padded(out, arg, p, end - p, &spec, true);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			u64 v = fetch_unsigned(&ap, spec.length);
			unsigned int base = *fmt == 'u' ? 10 : 16;

			p = format_unsigned(end, v, base, *fmt == 'X');
			count += emit_padded(out, arg, p, end - p, &spec, true);
			break;
		}
		case 'p': {
			u64 v = (u64)(uintptr_t)va_arg(ap, void *);

			p = format_unsigned(end, v, 16, false);
			while (p > end - 16)
				*--p = '0';
			*--p = 'x';
			*--p = '0';
			count += emit_padded(out, arg, p, end - p, &spec, false);
			break;
		}
		case 's':
			s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			count += emit_padded(out, arg, s, (int)strlen(s), &spec, false);
			break;
		case 'c':
			buf[0] = (char)va_arg(ap, int);
			count += emit_padded(out, arg, buf, 1, &spec, false);
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
	return vformat(console_out, NULL, fmt, ap);
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
