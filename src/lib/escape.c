/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "lib/escape.h"

#define REPLACEMENT "\xef\xbf\xbd"	/* U+FFFD */

/*
 * The length of the valid UTF-8 sequence at p (1 to 4), or 0: overlong
 * forms, surrogates and code points past U+10FFFF are invalid (RFC 3629).
 */
static size_t utf8_seq(const unsigned char *p)
{
	uint32_t cp;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, cp = p[0] & 0x1f;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, cp = p[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return n;
}

/* Valid and printable: what may be copied as is. */
static size_t clean_seq(const unsigned char *p)
{
	if (*p < 0x20 || *p == 0x7f)
		return 0;
	return utf8_seq(p);
}

void xml_puts(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		size_t n = clean_seq(p);

		switch (n ? *p : 0) {
		case 0: fputs(REPLACEMENT, f); p++; continue;
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&apos;", f); break;
		default: fwrite(p, 1, n, f); break;
		}
		p += n;
	}
}

void json_puts(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	while (*p) {
		size_t n = clean_seq(p);

		if (!n) {
			fputs(REPLACEMENT, f);
			p++;
			continue;
		}
		if (*p == '"' || *p == '\\')
			fputc('\\', f);
		fwrite(p, 1, n, f);
		p += n;
	}
	fputc('"', f);
}

const char *utf8_clean(const char *s, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = 0, n;
	bool dirty = false;

	for (; *p; p += n ? n : 1) {
		n = clean_seq(p);
		dirty |= !n;
		len += n ? n : sizeof(REPLACEMENT) - 1;
	}
	if (!dirty)
		return s;
	if (len >= size)
		return NULL;
	len = 0;
	for (p = (const unsigned char *)s; *p; p += n ? n : 1) {
		n = clean_seq(p);
		memcpy(buf + len, n ? (const char *)p : REPLACEMENT,
		       n ? n : sizeof(REPLACEMENT) - 1);
		len += n ? n : sizeof(REPLACEMENT) - 1;
	}
	buf[len] = '\0';
	return buf;
}
