/*
 * A small printf: %s %c %d %i %u %x %p %%, with l/ll/z length, '0' and '-'
 * flags and a field width. Enough for TAP lines and diagnostics.
 */
#include "conf.h"

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

static void put_padded(struct out *o, const char *s, size_t n, int width,
		       bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			put(o, pad);
	for (size_t i = 0; i < n; i++)
		put(o, s[i]);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

static void put_number(struct out *o, uint64_t v, bool negative, unsigned base,
		       int width, bool left, char pad)
{
	char digits[24];
	size_t n = 0;

	do {
		digits[sizeof(digits) - 1 - n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (negative)
		digits[sizeof(digits) - 1 - n++] = '-';
	put_padded(o, digits + sizeof(digits) - n, n, width, left, pad);
}

static const char *parse_spec(const char *f, int *width, bool *left, char *pad,
			      int *longs)
{
	*width = 0, *left = false, *pad = ' ', *longs = 0;
	for (;; f++) {
		if (*f == '-')
			*left = true;
		else if (*f == '0')
			*pad = '0';
		else
			break;
	}
	while (*f >= '0' && *f <= '9')
		*width = *width * 10 + (*f++ - '0');
	while (*f == 'l' || *f == 'z')
		(*longs)++, f++;
	return f;
}

static void format_one(struct out *o, char conv, int width, bool left,
		       char pad, int longs, va_list *ap)
{
	switch (conv) {
	case 's': {
		const char *s = va_arg(*ap, const char *);
		s = s ? s : "(null)";
		put_padded(o, s, strlen(s), width, left, ' ');
		break;
	}
	case 'c': {
		char c = (char)va_arg(*ap, int);
		put_padded(o, &c, 1, width, left, ' ');
		break;
	}
	case 'd':
	case 'i': {
		int64_t v = longs ? va_arg(*ap, int64_t) : va_arg(*ap, int);
		put_number(o, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, width, left, pad);
		break;
	}
	case 'u':
	case 'x': {
		uint64_t v = longs ? va_arg(*ap, uint64_t) : va_arg(*ap, unsigned);
		put_number(o, v, false, conv == 'x' ? 16 : 10, width, left, pad);
		break;
	}
	case 'p':
		put(o, '0'), put(o, 'x');
		put_number(o, (uintptr_t)va_arg(*ap, void *), false, 16, width, left, pad);
		break;
	default:
		put(o, '%');
		put(o, conv);
	}
}

int conf_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	for (const char *f = fmt; *f; f++) {
		int width, longs;
		bool left;
		char pad;

		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		if (f[1] == '%') {
			put(&o, '%');
			f++;
			continue;
		}
		f = parse_spec(f + 1, &width, &left, &pad, &longs);
		if (!*f)
			break;
		format_one(&o, *f, width, left, pad, longs, &args);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int conf_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = conf_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

void conf_printf(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	conf_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	for (const char *c = line; *c; c++)
		serial_putc(*c);
}
