/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the containers of src/lib/. */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/arena.h"
#include "lib/bsearch.h"
#include "lib/hashtab.h"
#include "lib/idmap.h"
#include "lib/rangemap.h"
#include "lib/symtab.h"
#include "lib/util.h"

#include "check.h"

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

/* ---------------- hashtab ---------------- */

static bool u64_eq(const void *ctx, uint32_t idx, const void *key)
{
	return ((const uint64_t *)ctx)[idx] == *(const uint64_t *)key;
}

static void test_hashtab(void)
{
	static uint64_t keys[5000];
	struct hashtab t;
	int ok = 1;

	hashtab_init(&t);
	CHECK("hashtab empty", hashtab_find(&t, hash_u64(1), &keys[0], u64_eq, keys) == -1);
	for (uint32_t i = 0; i < 5000 && ok; i++) {
		keys[i] = (uint64_t)i * 7919;
		ok = !hashtab_insert(&t, hash_u64(keys[i]), i);
	}
	CHECK("hashtab insert grows", ok && t.used == 5000 && 2 * t.used <= t.mask + 1);
	for (uint32_t i = 0; i < 5000 && ok; i++)
		ok = hashtab_find(&t, hash_u64(keys[i]), &keys[i], u64_eq, keys) == i;
	CHECK("hashtab finds every entry", ok);
	/* The same hash for another key: the caller's eq tells them apart. */
	CHECK("hashtab a colliding hash is not a match",
	      hashtab_find(&t, hash_u64(keys[3]), &keys[4], u64_eq, keys) == -1);
	CHECK("hash_u64 never returns 0", hash_u64(0) && hash_bytes("", 0));
	hashtab_release(&t);
	CHECK("hashtab released", !t.hashes && t.used == 0);
}

/* ---------------- idmap ---------------- */

static void test_idmap(void)
{
	static int vals[3];
	struct idmap m;
	int ok = 1;

	idmap_init(&m);
	CHECK("idmap empty", !idmap_get(&m, 0) && !idmap_get(&m, UINT32_MAX));
	for (uint32_t i = 0; i < 10000 && ok; i++)
		ok = !idmap_put(&m, i, &vals[i % 2]);
	CHECK("idmap dense ids", ok && m.n == 10000 && m.n_dense >= 10000 &&
				 idmap_get(&m, 9999) == &vals[1]);
	ok = !idmap_put(&m, 4000000000u, &vals[2]) && !idmap_put(&m, 3000000000u, &vals[2]);
	CHECK("idmap far ids go to the map", ok && m.n == 10002 && m.n_dense < 1000000 &&
					     idmap_get(&m, 4000000000u) == &vals[2] &&
					     m.min_sparse == 3000000000u);
	ok = !idmap_put(&m, 5, &vals[2]) && !idmap_put(&m, 4000000000u, &vals[0]);
	CHECK("idmap replaces without counting twice", ok && m.n == 10002 &&
		idmap_get(&m, 5) == &vals[2] && idmap_get(&m, 4000000000u) == &vals[0]);
	CHECK("idmap unset id", !idmap_get(&m, 3999999999u) && !idmap_get(&m, 10000));
	idmap_release(&m);
	CHECK("idmap released", m.n == 0 && !idmap_get(&m, 5) && !idmap_get(&m, 4000000000u));
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

/* ---------------- symtab ---------------- */

static const char *name_at(const struct symtab *t, uint64_t addr)
{
	size_t i = symtab_upto(t, addr);

	return i && t->v[i - 1].start == addr ? t->v[i - 1].name : NULL;
}

static int add(struct symtab *t, uint64_t start, uint64_t size, const char *name,
	       uint32_t rank)
{
	return symtab_add(t, &(struct symtab_sym){ start, size, name, rank, 0 });
}

/* Sorting batch by batch keeps what one sort of everything keeps. */
static void test_symtab_batches(enum symtab_order order, const char *what)
{
	static const char *const names[] = { "a", "b", "c", "d", "e" };
	struct symtab one, many;
	int ok = 1;

	symtab_init(&one, order);
	symtab_init(&many, order);
	srand(7);
	for (int batch = 0; batch < 20 && ok; batch++) {
		int k = rand() % 200;

		for (int i = 0; i < k && ok; i++) {
			struct symtab_sym sym = {
				.start = (uint64_t)(rand() % 500) * 16, .size = (uint64_t)(rand() % 3),
				.name = names[rand() % 5], .rank = (uint32_t)(rand() % 4),
			};

			ok = !symtab_add(&one, &sym) && !symtab_add(&many, &sym);
		}
		ok = ok && !symtab_sort(&many);
	}
	ok = ok && !symtab_sort(&one) && one.n == many.n;
	for (size_t i = 0; ok && i < one.n; i++)
		ok = one.v[i].start == many.v[i].start && one.v[i].name == many.v[i].name &&
		     one.v[i].size == many.v[i].size && one.v[i].rank == many.v[i].rank;
	CHECK(what, ok);
	symtab_release(&one);
	symtab_release(&many);
}

static void test_symtab(void)
{
	struct symtab t, w;
	int ok = 1;

	symtab_init(&t, SYMTAB_BY_RANK);
	ok = !add(&t, 0x300, 0, "c", 1) && !add(&t, 0x100, 0, "a_low", 1) &&
	     !add(&t, 0x100, 0, "a_high", 5) && !add(&t, 0x100, 0, "a_high_too", 5) &&
	     !add(&t, 0x200, 0, "b", 0);
	CHECK("symtab by rank sorts", ok && !symtab_sort(&t) && t.n == 3 && t.sorted == 3 &&
				      t.v[0].start == 0x100 && t.v[2].start == 0x300);
	CHECK("symtab by rank keeps the higher rank, then the first added",
	      !strcmp(name_at(&t, 0x100), "a_high"));
	CHECK("symtab upto", symtab_upto(&t, 0xff) == 0 && symtab_upto(&t, 0x100) == 1 &&
			     symtab_upto(&t, 0x2ff) == 2 && symtab_upto(&t, ~0ull) == 3);
	/* Later batches merge in: a better alias replaces, an equal one does not. */
	ok = !add(&t, 0x200, 0, "b_better", 1) && !add(&t, 0x100, 0, "a_late", 5) &&
	     !add(&t, 0x50, 0, "first", 0) && !add(&t, 0x400, 0, "last", 0);
	CHECK("symtab unsorted additions are not seen before the sort",
	      symtab_upto(&t, ~0ull) == 3);
	CHECK("symtab merges a later batch", ok && !symtab_sort(&t) && t.n == 5 &&
		!strcmp(name_at(&t, 0x200), "b_better") &&
		!strcmp(name_at(&t, 0x100), "a_high") && !strcmp(name_at(&t, 0x50), "first") &&
		!strcmp(name_at(&t, 0x400), "last"));
	for (int i = 1000; i > 0 && ok; i--)
		ok = !add(&t, 0x10000 + (uint64_t)(i % 100) * 16, 0, i % 100 == 7 ? "seven" : "x",
			  (uint32_t)(i % 100 == 7 && i == 7));
	CHECK("symtab sorts a large batch", ok && !symtab_sort(&t) && t.n == 105 &&
		!strcmp(name_at(&t, 0x10000 + 7 * 16), "seven"));
	for (size_t i = 1; i < t.n; i++)
		ok = ok && t.v[i - 1].start < t.v[i].start;
	CHECK("symtab one symbol per start, in order", ok);
	symtab_trim(&t);
	CHECK("symtab trim", t.cap == t.n);
	CHECK("symtab find: an unsized symbol reaches the next",
	      symtab_find(&t, 0x1ff, 0x1000) == &t.v[1] && symtab_find(&t, 0x200, 0x1000) == &t.v[2]);
	CHECK("symtab find: but no further than the guess",
	      symtab_find(&t, 0x17f, 0x80) == &t.v[1] && !symtab_find(&t, 0x180, 0x80));
	CHECK("symtab find: below the first", !symtab_find(&t, 0x4f, 0x1000));
	t.v[1].size = 0x10;
	CHECK("symtab find: a sized symbol holds its size",
	      symtab_find(&t, 0x10f, 0x1000) == &t.v[1] && !symtab_find(&t, 0x110, 0x1000));
	t.v[t.n - 1].start = UINT64_MAX - 4;
	t.v[t.n - 1].size = 0;
	CHECK("symtab find: the guess does not wrap",
	      symtab_find(&t, UINT64_MAX - 1, 0x1000) == &t.v[t.n - 1]);
	symtab_release(&t);
	CHECK("symtab released", t.n == 0 && t.order == SYMTAB_BY_RANK && !symtab_upto(&t, 1));

	symtab_init(&w, SYMTAB_WIDEST);
	ok = !add(&w, 0x100, 8, "narrow", 9) && !add(&w, 0x100, 16, "wide_b", 0) &&
	     !add(&w, 0x100, 16, "wide_a", 0) && !symtab_sort(&w);
	CHECK("symtab widest keeps the larger size, then the lower name",
	      ok && w.n == 1 && !strcmp(name_at(&w, 0x100), "wide_a"));
	ok = !add(&w, 0x100, 16, "wide_0", 0) && !symtab_sort(&w);
	CHECK("symtab widest: a later lower name wins", ok && !strcmp(name_at(&w, 0x100), "wide_0"));
	symtab_release(&w);
	test_symtab_batches(SYMTAB_BY_RANK, "symtab by rank: batches sort as one");
	test_symtab_batches(SYMTAB_WIDEST, "symtab widest: batches sort as one");
}

/* lib/bsearch.h and list_append(): the searches and lists the tables share. */
static void test_helpers(void)
{
	static const struct range r[] = { { 10, 20, 0, 0 }, { 20, 30, 0, 0 }, { 40, 50, 0, 0 } };
	static const char *const w[] = { "comm", "pid", "sym" };
	char buf[32];
	size_t len = 0;

	CHECK("UPPER_BOUND: the first element above the key",
	      UPPER_BOUND(r, 3, start, 5) == 0 && UPPER_BOUND(r, 3, start, 10) == 1 &&
	      UPPER_BOUND(r, 3, start, 39) == 2 && UPPER_BOUND(r, 3, start, 40) == 3 &&
	      UPPER_BOUND(r, 3, end, 20) == 1 && UPPER_BOUND(r, 0, end, 20) == 0);
	buf[0] = '\0';
	for (size_t i = 0; i < 3; i++)
		len = list_append(buf, sizeof(buf), len, w[i], i, 3, " or ");
	CHECK("list_append: a, b or c", !strcmp(buf, "comm, pid or sym") && len == strlen(buf));
	len = 0;
	for (size_t i = 0; i < 3; i++)
		len = list_append(buf, 8, len, w[i], i, 3, " or ");
	CHECK("list_append cuts a list too long", !strcmp(buf, "comm, p") && len == 7);
}

int main(void)
{
	test_helpers();
	test_symtab();
	test_rangemap();
	test_arena();
	test_hashtab();
	test_idmap();
	return check_summary();
}
