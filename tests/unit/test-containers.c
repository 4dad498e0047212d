/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the containers of src/lib/. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/rangemap.h"

static int failures, passes;

#define CHECK(name, cond)                                                     \
	do {                                                                  \
		if (cond) {                                                   \
			printf("PASS: %s\n", name);                           \
			passes++;                                             \
		} else {                                                      \
			printf("FAIL: %s (%s:%d: %s)\n", name, __FILE__,      \
			       __LINE__, #cond);                              \
			failures++;                                           \
		}                                                             \
	} while (0)

/* ---------------- rangemap ---------------- */

static int put(struct rangemap *m, uint64_t start, uint64_t end, uint64_t pgoff,
	       uintptr_t val)
{
	return rangemap_insert(m, &(struct range){ start, end, pgoff, val }, SIZE_MAX);
}

static void test_rangemap(void)
{
	struct rangemap m = { 0 }, copy = { 0 };
	const struct range *r;
	int ok;

	ok = !put(&m, 0x1000, 0x5000, 0, 1) && !put(&m, 0x2000, 0x3000, 0x9000, 2);
	CHECK("rangemap split", ok && m.n == 3);
	r = rangemap_find(&m, 0x3800);
	CHECK("rangemap right remainder keeps file offset",
	      r && r->val == 1 && r->start == 0x3000 && r->pgoff == 0x2000);
	r = rangemap_find(&m, 0x1fff);
	CHECK("rangemap left remainder", r && r->val == 1 && r->end == 0x2000);
	r = rangemap_find(&m, 0x2000);
	CHECK("rangemap middle", r && r->val == 2 && r->pgoff == 0x9000);
	CHECK("rangemap end exclusive", rangemap_find(&m, 0x5000) == NULL);
	ok = !put(&m, 0x8000, 0x9000, 0, 4) && !put(&m, 0x500, 0x800, 0, 5);
	CHECK("rangemap disjoint inserts stay sorted",
	      ok && m.n == 5 && m.v[0].val == 5 && m.v[4].val == 4);
	ok = !put(&m, 0x1800, 0x8800, 0, 3);
	CHECK("rangemap covering insert",
	      ok && m.n == 4 && rangemap_find(&m, 0x4000)->val == 3 &&
		      rangemap_find(&m, 0x8900)->val == 4 &&
		      rangemap_find(&m, 0x8900)->pgoff == 0x800 &&
		      rangemap_find(&m, 0x17ff)->val == 1);
	CHECK("rangemap empty range", put(&m, 0x10, 0x10, 0, 9) == -EINVAL && m.n == 4);
	CHECK("rangemap limit", rangemap_insert(&m, &(struct range){ 0x100, 0x200, 0, 9 },
						4) == -E2BIG && m.n == 4);
	CHECK("rangemap exact replacement within the limit",
	      rangemap_insert(&m, &(struct range){ 0x500, 0x800, 0, 6 }, 4) == 0 &&
	      m.n == 4 && rangemap_find(&m, 0x600)->val == 6);
	CHECK("rangemap copy", !rangemap_copy(&copy, &m) && copy.n == 4 &&
			       !memcmp(copy.v, m.v, 4 * sizeof(*m.v)));
	rangemap_release(&m);
	CHECK("rangemap released", m.n == 0 && !rangemap_find(&m, 0x4000));
	CHECK("rangemap copy outlives the original", rangemap_find(&copy, 0x4000)->val == 3);
	rangemap_release(&copy);
}

/* ---------------- arena ---------------- */

static void test_arena(void)
{
	struct arena a = { 0 };
	char *first, *big, *s;
	int ok = 1;

	first = arena_alloc(&a, 3, 1);
	CHECK("arena first allocation", first && a.bytes >= 3);
	memcpy(first, "abc", 3);
	for (int i = 0; i < 10000 && ok; i++) {
		uint64_t *p = arena_alloc(&a, 8 * (size_t)(i % 7 + 1), i % 2 ? 8 : 16);

		ok = p && !((uintptr_t)p % (i % 2 ? 8 : 16));
		if (ok)
			*p = (uint64_t)i;
	}
	CHECK("arena aligns every allocation", ok);
	CHECK("arena memory does not move", !memcmp(first, "abc", 3));
	big = arena_alloc(&a, 3u << 20, 16);
	s = arena_strndup(&a, "name!", 4);
	CHECK("arena takes a request larger than a chunk", big != NULL);
	if (big)
		memset(big, 0x5a, 3u << 20);
	CHECK("arena strndup", s && !strcmp(s, "name"));
	CHECK("arena counts what it holds", a.bytes >= (3u << 20) + 10000 * 8);
	CHECK("arena refuses the impossible", arena_alloc(&a, SIZE_MAX - 8, 8) == NULL);
	arena_release(&a);
	CHECK("arena released", a.chunks == NULL && a.bytes == 0);
	CHECK("arena usable after release", arena_alloc(&a, 1, 1) != NULL);
	arena_release(&a);
}

int main(void)
{
	test_rangemap();
	test_arena();
	printf("%d passed, %d failed\n", passes, failures);
	return failures ? 1 : 0;
}
