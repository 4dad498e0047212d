/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include <errno.h>
#include <inttypes.h>

#include "output/output-folded.h"

/*
 * flamegraph.pl splits a line at ';' and at its last blank; names keep
 * their blanks but for the command's, which stackcollapse-perf.pl turns
 * into '_' too.  Control characters would break the line.
 */
static void put_name(FILE *f, const struct ft_node *n, const struct folded_opts *o)
{
	for (const unsigned char *p = (const unsigned char *)n->name; *p; p++) {
		if (*p == ';' || (*p == ' ' && (n->flags & FT_COMM)))
			fputc('_', f);
		else if (*p < 0x20 || *p == 0x7f)
			fputc('?', f);
		else
			fputc(*p, f);
	}
	if ((n->flags & FT_KERNEL) && o->kernel_suffix)
		fputs("_[k]", f);
}

static void put_line(FILE *f, const struct flametree *t, const uint32_t *path,
		     uint32_t depth, const struct folded_opts *o)
{
	for (uint32_t d = 1; d <= depth; d++) {
		if (d > 1)
			fputc(';', f);
		put_name(f, &t->nodes[path[d]], o);
	}
	fprintf(f, " %" PRIu64 "\n", t->nodes[path[depth]].self[0]);
}

/* Pre-order, children in the tree's order: a line wherever stacks end. */
int folded_print(FILE *f, const struct flametree *t, const struct folded_opts *o)
{
	uint32_t path[FT_MAX_PATH + 1];
	uint32_t at = t->nodes[0].first_child;

	while (at) {
		const struct ft_node *n = &t->nodes[at];

		path[n->depth] = at;
		if (n->self[0])
			put_line(f, t, path, n->depth, o);
		if (n->first_child) {
			at = n->first_child;
			continue;
		}
		while (at && !t->nodes[at].next_sibling)
			at = t->nodes[at].parent;
		if (at)
			at = t->nodes[at].next_sibling;
	}
	return ferror(f) ? -EIO : 0;
}
