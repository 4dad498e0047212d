/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Flame graph SVG (see output-svg.h).  The layout follows flamegraph.pl's,
 * which people know: 16-pixel rows, the root at the bottom (the top for
 * icicles), the title on top, details of the frame under the pointer at
 * the bottom.  The script reads the layout back from data-* attributes:
 * o and n are a frame's offset and width in samples, d its depth.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/escape.h"
#include "output/output-svg.h"
#include "lib/hash.h"
#include "lib/util.h"

#include "output/flamegraph-js.h"

#define PAD		10	/* left and right of the graph */
#define ROW		16
#define FONT		12
#define FONT_W		(FONT * 0.59)	/* average glyph width, as the script assumes */
#define TOP		36	/* above the first row */
#define TOP_SUB		56	/* ... with a subtitle */
#define BOTTOM		34	/* below the last row: the details line */

static const char *const palette_names[PAL__COUNT] = {
	"hot", "mem", "io", "red", "green", "blue", "aqua", "yellow", "purple",
	"orange",
};

int svg_parse_palette(const char *name, enum svg_palette *out)
{
	for (int i = 0; i < PAL__COUNT; i++) {
		if (!strcmp(name, palette_names[i])) {
			*out = (enum svg_palette)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *svg_palette_names(void)
{
	return "hot, mem, io, red, green, blue, aqua, yellow, purple, orange";
}

struct rgb {
	int r, g, b;
};

/* flamegraph.pl's palettes; v1, v2, v3 in [0, 1) vary the shade. */
static struct rgb palette(enum svg_palette p, double v1, double v2, double v3)
{
	switch (p) {
	case PAL_MEM: return (struct rgb){ 0, 190 + (int)(50 * v2), (int)(210 * v1) };
	case PAL_IO: {
		int x = 80 + (int)(60 * v1);

		return (struct rgb){ x, x, 190 + (int)(55 * v2) };
	}
	case PAL_RED: {
		int x = 50 + (int)(80 * v1);

		return (struct rgb){ 200 + (int)(55 * v1), x, x };
	}
	case PAL_GREEN: {
		int x = 50 + (int)(60 * v1);

		return (struct rgb){ x, 200 + (int)(55 * v1), x };
	}
	case PAL_BLUE: {
		int x = 80 + (int)(60 * v1);

		return (struct rgb){ x, x, 205 + (int)(50 * v1) };
	}
	case PAL_AQUA: {
		int x = 165 + (int)(55 * v1);

		return (struct rgb){ 50 + (int)(60 * v1), x, x };
	}
	case PAL_YELLOW: {
		int x = 175 + (int)(55 * v1);

		return (struct rgb){ x, x, 50 + (int)(20 * v1) };
	}
	case PAL_PURPLE: {
		int x = 190 + (int)(65 * v1);

		return (struct rgb){ x, 80 + (int)(60 * v1), x };
	}
	case PAL_ORANGE:
		return (struct rgb){ 190 + (int)(65 * v1), 90 + (int)(65 * v1), 0 };
	case PAL_HOT:
	default:
		return (struct rgb){ 205 + (int)(50 * v3), (int)(230 * v1), (int)(55 * v2) };
	}
}

/* Kernel frames get a hue the user palette does not use. */
static enum svg_palette kernel_palette(enum svg_palette user)
{
	switch (user) {
	case PAL_HOT: case PAL_RED: case PAL_YELLOW: case PAL_ORANGE:
		return PAL_AQUA;
	default:
		return PAL_ORANGE;
	}
}

/* The shade follows the name, so a function has one colour everywhere. */
static struct rgb name_colour(enum svg_palette p, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
		h ^= *c;
		h *= 0x100000001b3ull;
	}
	h = hash_u64(h);	/* names differing in their last letter differ everywhere */
	return palette(p, (double)(h & 0xffff) / 65536.0,
		       (double)(h >> 16 & 0xffff) / 65536.0,
		       (double)(h >> 32 & 0xffff) / 65536.0);
}

struct svg {
	FILE *f;
	const struct flametree *t;
	const struct svg_opts *o;
	unsigned int prof;	/* the profile whose widths are drawn */
	double gwidth;		/* of the graph, pixels */
	double scale;		/* pixels per unit of weight */
	double min_w;		/* narrowest frame drawn, in weight */
	double max_delta;	/* differential: the largest change of share */
	uint32_t rows;		/* deepest drawn depth + 1 */
	unsigned int top, height;
	bool emit;		/* false while measuring */
	struct svg_stats st;
};

static double share(const struct svg *s, uint64_t v, unsigned int prof)
{
	uint64_t total = s->t->nodes[0].value[prof];

	return total ? 100.0 * (double)v / (double)total : 0.0;
}

/* Differential: the change of share, in points. */
static double delta(const struct svg *s, const struct ft_node *n)
{
	return share(s, n->value[1], 1) - share(s, n->value[0], 0);
}

static struct rgb diff_colour(const struct svg *s, const struct ft_node *n)
{
	double d = s->max_delta > 0 ? delta(s, n) / s->max_delta : 0;
	/* Never fully saturated: the names must stay readable. */
	int fade = 60 + (int)lround(150 * (1 - fabs(d)));

	if (s->o->negate)
		d = -d;
	if (d > 0)
		return (struct rgb){ 255, fade, fade };
	if (d < 0)
		return (struct rgb){ fade, fade, 255 };
	return (struct rgb){ 225, 225, 225 };	/* unchanged */
}

static struct rgb frame_colour(const struct svg *s, const struct ft_node *n)
{
	if (s->o->diff)
		return diff_colour(s, n);
	if (n->flags & FT_COMM || !n->depth)
		return (struct rgb){ 200, 200, 190 };
	if (n->flags & FT_KERNEL)
		return name_colour(kernel_palette(s->o->palette), n->name);
	return name_colour(s->o->palette, n->name);
}

static unsigned int row_y(const struct svg *s, uint32_t depth)
{
	if (s->o->inverted)
		return s->top + depth * ROW;
	return s->top + (s->rows - 1 - depth) * ROW;
}

/* The name as far as it fits, as the script's fit() cuts it. */
static void put_label(FILE *f, const char *name, double w)
{
	long chars = lround(floor((w - 6) / FONT_W));
	size_t len = strlen(name);
	char buf[1024];

	if (chars < 3)
		return;
	if ((size_t)chars >= len) {
		xml_puts(f, name);
		return;
	}
	/* Cut on a character boundary: never inside a UTF-8 sequence. */
	len = (size_t)chars - 2 < sizeof(buf) - 3 ? (size_t)chars - 2 : sizeof(buf) - 3;
	while (len && ((unsigned char)name[len] & 0xc0) == 0x80)
		len--;
	memcpy(buf, name, len);
	memcpy(buf + len, "..", 3);
	xml_puts(f, buf);
}

static void put_title(const struct svg *s, const char *name, uint64_t v,
		      const struct ft_node *n)
{
	FILE *f = s->f;

	fputs("<title>", f);
	xml_puts(f, name);
	fprintf(f, " (%" PRIu64 " ", v);
	xml_puts(f, s->o->countname ? s->o->countname : "samples");
	fprintf(f, ", %.2f%%", share(s, v, s->prof));
	if (s->o->diff && n)
		fprintf(f, ", was %.2f%%: %+.2f", share(s, n->value[0], 0), delta(s, n));
	fputc(')', f);
	/* After the counts: flamegraph.js takes the name up to the last " (". */
	if (n && (n->flags & FT_INLINED))
		fputs(" - inlined", f);
	if (n && n->file) {
		fputs(n->flags & FT_INLINED ? ", " : " - ", f);
		xml_puts(f, n->file);
		if (n->line)
			fprintf(f, ":%" PRIu32, n->line);
	}
	fputs("</title>", f);
}

/* One frame: n is NULL for a merged one. */
static void frame(struct svg *s, const struct ft_node *n, const char *name,
		  uint32_t depth, uint64_t off, uint64_t v, struct rgb c)
{
	double x = PAD + (double)off * s->scale, w = (double)v * s->scale;
	unsigned int y = row_y(s, depth);
	FILE *f = s->f;

	fprintf(f, "<g data-o=\"%" PRIu64 "\" data-n=\"%" PRIu64 "\" data-d=\"%" PRIu32 "\"",
		off, v, depth);
	if (!n)
		fputs(" data-kind=\"merged\"", f);
	else if (n->flags & FT_KERNEL)
		fputs(" class=\"k\"", f);
	fputc('>', f);
	put_title(s, name, v, n);
	fprintf(f, "<rect x=\"%.1f\" y=\"%u\" width=\"%.1f\" height=\"%d\" "
		"fill=\"rgb(%d,%d,%d)\"/>", x, y, w, ROW - 1, c.r, c.g, c.b);
	if (w - 6 >= 3 * FONT_W) {
		fprintf(f, "<text x=\"%.1f\" y=\"%u\">", x + 3, y + 11);
		put_label(f, name, w);
		fputs("</text>", f);
	}
	fputs("</g>\n", f);
}

static void visit(struct svg *s, uint32_t depth, const struct ft_node *n,
		  const char *name, uint64_t off, uint64_t v)
{
	if (depth + 1 > s->rows)
		s->rows = depth + 1;
	if (!s->emit) {
		if (s->o->diff && n && fabs(delta(s, n)) > s->max_delta)
			s->max_delta = fabs(delta(s, n));
		return;
	}
	s->st.frames++;
	frame(s, n, name, depth, off, v,
	      n ? frame_colour(s, n) : (struct rgb){ 225, 225, 225 });
}

static void merged(struct svg *s, uint32_t depth, uint64_t off, uint64_t v,
		   uint32_t count)
{
	char name[64];

	if (s->emit)
		s->st.merged += count;
	if ((double)v < s->min_w)
		return;
	snprintf(name, sizeof(name), "[%" PRIu32 " small frames]", count);
	visit(s, depth, NULL, name, off, v);
}

/*
 * Draws the node and, from off on, its children: those narrower than the
 * minimum width are merged, all into one frame after the others in a flame
 * graph, and each run of neighbours into one in a flame chart, where
 * positions are times.
 */
static void walk(struct svg *s, uint32_t idx, uint64_t off)
{
	const struct ft_node *n = &s->t->nodes[idx];
	uint64_t at = off, small = 0;
	uint32_t nsmall = 0;

	visit(s, n->depth, n, n->name, off, n->value[s->prof]);
	for (uint32_t c = n->first_child; c; c = s->t->nodes[c].next_sibling) {
		uint64_t v = s->t->nodes[c].value[s->prof];

		if (!v)
			continue;
		if ((double)v < s->min_w) {
			small += v;
			nsmall++;
			continue;
		}
		if (s->o->chart && nsmall) {
			merged(s, n->depth + 1, at, small, nsmall);
			at += small;
			small = nsmall = 0;
		}
		walk(s, c, at);
		at += v;
	}
	if (nsmall)
		merged(s, n->depth + 1, at, small, nsmall);
}

static const char *default_title(const struct svg_opts *o)
{
	if (o->diff)
		return o->inverted ? "Differential Icicle Graph" : "Differential Flame Graph";
	if (o->chart)
		return o->inverted ? "Icicle Chart" : "Flame Chart";
	return o->inverted ? "Icicle Graph" : "Flame Graph";
}

static const char style[] =
	"<style type=\"text/css\">\n"
	"text{font-family:Verdana,sans-serif;font-size:12px;fill:#000}\n"
	"#title{font-size:17px;text-anchor:middle}\n"
	"#subtitle{fill:#555;text-anchor:middle}\n"
	"#search,#matched,#legend text{text-anchor:end}\n"
	".btn{cursor:pointer;fill:#336}.btn:hover{text-decoration:underline}\n"
	"#frames g{cursor:pointer}#frames rect{rx:2px;ry:2px}\n"
	"#frames g:hover rect{stroke:#000;stroke-width:0.5}\n"
	"#frames text{pointer-events:none}\n"
	".hide{display:none}.parent{opacity:0.5}\n"
	"#frames.diff g.k rect{stroke:#333;stroke-width:0.6;stroke-dasharray:3,2}\n";

static void put_text(FILE *f, const char *id, const char *cls, double x,
		     unsigned int y, const char *text)
{
	fprintf(f, "<text id=\"%s\"%s%s%s x=\"%.1f\" y=\"%u\">", id,
		cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "", x, y);
	xml_puts(f, text);
	fputs("</text>\n", f);
}

static void legend_item(const struct svg *s, double *right, const char *label,
			struct rgb c)
{
	FILE *f = s->f;
	unsigned int y = s->height - 12;

	fprintf(f, "<text x=\"%.1f\" y=\"%u\">%s</text>", *right, y, label);
	*right -= FONT_W * (double)strlen(label) + 16;
	fprintf(f, "<rect x=\"%.1f\" y=\"%u\" width=\"10\" height=\"10\" "
		"fill=\"rgb(%d,%d,%d)\"/>\n", *right + 2, y - 9, c.r, c.g, c.b);
	*right -= 12;
}

static void legend(const struct svg *s)
{
	double right = s->o->width - PAD;
	enum svg_palette p = s->o->palette;

	fputs("<g id=\"legend\">", s->f);
	if (s->o->diff) {
		struct rgb red = { 255, 60, 60 }, blue = { 60, 60, 255 };

		legend_item(s, &right, "shrank", s->o->negate ? red : blue);
		legend_item(s, &right, "grew", s->o->negate ? blue : red);
	} else {
		legend_item(s, &right, "kernel", palette(kernel_palette(p), 0.5, 0.5, 0.5));
		legend_item(s, &right, "user", palette(p, 0.5, 0.5, 0.5));
	}
	fputs("</g>\n", s->f);
}

static void header(const struct svg *s)
{
	const struct svg_opts *o = s->o;
	FILE *f = s->f;
	double mid = o->width / 2.0;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
		"<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" "
		"width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\">\n"
		"<!-- Drawn by ebpf-tool " PACKAGE_VERSION ". -->\n%s</style>\n",
		o->width, s->height, o->width, s->height, style);
	fprintf(f, "<script type=\"text/ecmascript\"><![CDATA[\n%s]]></script>\n",
		flamegraph_js);
	fprintf(f, "<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%u\" fill=\"#f8f8f4\"/>\n",
		o->width, s->height);
	put_text(f, "title", NULL, mid, 24, o->title ? o->title : default_title(o));
	if (o->subtitle)
		put_text(f, "subtitle", NULL, mid, 42, o->subtitle);
	put_text(f, "details", NULL, PAD, s->height - 12, " ");
	put_text(f, "unzoom", "btn hide", PAD, 24, "Reset Zoom");
	put_text(f, "search", "btn", o->width - PAD, 24, "Search");
	put_text(f, "matched", NULL, o->width - PAD, o->subtitle ? 42 : 40, "");
	legend(s);
}

int svg_write(FILE *f, const struct flametree *t, const struct svg_opts *o,
	      struct svg_stats *stats)
{
	struct svg s = { .f = f, .t = t, .o = o, .prof = o->diff ? 1 : 0 };
	uint64_t total = t->nodes[0].value[s.prof];

	if (!total)
		return -ENODATA;
	s.gwidth = o->width - 2.0 * PAD;
	s.scale = s.gwidth / (double)total;
	s.min_w = o->minwidth_pct ? (double)total * o->minwidth / 100.0 :
		  o->minwidth / s.scale;
	walk(&s, 0, 0);		/* measure: rows and the largest change */
	s.top = o->subtitle ? TOP_SUB : TOP;
	s.height = s.top + s.rows * ROW + BOTTOM;
	s.emit = true;
	header(&s);
	fprintf(f, "<g id=\"frames\" data-pad=\"%d\" data-width=\"%.1f\" data-inverted=\"%d\"%s>\n",
		PAD, s.gwidth, o->inverted, o->diff ? " class=\"diff\"" : "");
	walk(&s, 0, 0);
	fputs("</g>\n</svg>\n", f);
	if (stats)
		*stats = s.st;
	return ferror(f) ? -EIO : 0;
}
