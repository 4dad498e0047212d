/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for ksyms, procmaps, perfmap, elfsyms and symbolizer. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "symbols/elfsyms.h"
#include "symbols/ksyms.h"
#include "symbols/perfmap.h"
#include "symbols/procmaps.h"
#include "symbols/symbolizer.h"

#include "check.h"

static char tmpdir[] = "/tmp/test-symbols.XXXXXX";

#define TPATH 256   /* paths under tmpdir stay short */
#define TCMD 4096

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

int test_function_one(int x);

__attribute__((noinline)) int test_function_one(int x)
{
	return x * 7 + 3;
}

/* ---------------- ksyms ---------------- */

static void test_ksyms_synthetic(void)
{
	static const char buf[] =
		"ffffffff81000000 T _stext\n"
		"ffffffff81000000 T _text\n"
		"ffffffff81000000 T startup_64\n"
		"ffffffff81000100 t local_fn\n"
		"ffffffff81000200 W weak_fn\n"
		"ffffffff81000200 t __alias_of_weak\n"
		"ffffffff81000300 D some_data\n"
		"ffffffff81000400 T last_core\n"
		"garbage line here\n"
		"ffffffff8100zzzz T bad_hex\n"
		"ffffffffc0001000 t mod_a_fn\t[mod_a]\n"
		"ffffffffc0001080 T mod_a_fn2\t[mod_a]\n"
		"ffffffffc0002000 t mod_b_fn\t[mod_b]\n"
		"ffffffffc0003000 t mod_c_fn\t[mod_a"; /* unterminated module */
	struct ksyms *ks = NULL;
	struct ksym k;
	int rc = ksyms_parse(buf, sizeof(buf) - 1, &ks);

	CHECK("ksyms parse synthetic", rc == 0 && ks);
	if (!ks)
		return;
	CHECK("ksyms count (aliases deduped, data dropped)", ksyms_count(ks) == 7);
	CHECK("ksyms module count", ksyms_module_count(ks) == 2);
	CHECK("ksyms alias preference", !ksyms_lookup(ks, 0xffffffff81000010, &k) &&
						streq(k.name, "startup_64") && k.size == 0x100 &&
						k.addr == 0xffffffff81000000 && !k.module);
	CHECK("ksyms local symbol", !ksyms_lookup(ks, 0xffffffff81000100, &k) &&
					    streq(k.name, "local_fn"));
	CHECK("ksyms local beats weak with fewer underscores? weak loses",
	      !ksyms_lookup(ks, 0xffffffff81000201, &k) && streq(k.name, "__alias_of_weak"));
	CHECK("ksyms data address falls into preceding text",
	      !ksyms_lookup(ks, 0xffffffff81000300, &k) && streq(k.name, "__alias_of_weak"));
	CHECK("ksyms module symbol",
	      !ksyms_lookup(ks, 0xffffffffc0001004, &k) && streq(k.name, "mod_a_fn") &&
		      streq(k.module, "mod_a") && k.module_id == 1 && k.size == 0x80);
	CHECK("ksyms last symbol of a module has unknown size",
	      !ksyms_lookup(ks, 0xffffffffc0001090, &k) && streq(k.name, "mod_a_fn2") &&
		      k.size == 0);
	CHECK("ksyms far past a module's end is unresolved",
	      ksyms_lookup(ks, 0xffffffffc1000000, &k) == -ENOENT);
	CHECK("ksyms below first symbol", ksyms_lookup(ks, 0x1000, &k) == -ENOENT);
	CHECK("ksyms find by name", !ksyms_find(ks, "mod_b_fn", &k) &&
					    streq(k.module, "mod_b") && k.module_id == 2);
	CHECK("ksyms memory accounted", ksyms_memory(ks) > 0);
	ksyms_free(ks);
}

static void test_ksyms_restricted(void)
{
	static const char hidden[] = "0000000000000000 T _stext\n"
				     "0000000000000000 t foo\t[mod]\n";
	struct ksyms *ks = (struct ksyms *)1;

	CHECK("ksyms kptr_restrict -> -EPERM",
	      ksyms_parse(hidden, sizeof(hidden) - 1, &ks) == -EPERM && ks == NULL);
	CHECK("ksyms empty -> -ENOENT", ksyms_parse("", 0, &ks) == -ENOENT);
	CHECK("ksyms only data -> -ENOENT",
	      ksyms_parse("ffffffff81000000 D x\n", 21, &ks) == -ENOENT);
}

static void test_ksyms_real(void)
{
	struct mallinfo2 before = mallinfo2(), after;
	struct ksyms *ks = NULL;
	double t0 = now_s(), t1;
	struct ksym k, k2;
	int rc = ksyms_load(NULL, &ks);

	t1 = now_s();
	after = mallinfo2();
	if (rc == -EPERM) {
		printf("SKIP: real kallsyms (kernel symbols hidden: kernel.kptr_restrict)\n");
		return;
	}
	CHECK("ksyms load /proc/kallsyms", rc == 0);
	if (rc)
		return;
	printf("INFO: kallsyms: %zu text symbols, %zu modules, load %.1f ms, "
	       "table %zu KiB, heap delta %zu KiB\n",
	       ksyms_count(ks), (size_t)ksyms_module_count(ks), (t1 - t0) * 1e3,
	       ksyms_memory(ks) >> 10, (after.uordblks + after.hblkhd - before.uordblks - before.hblkhd) >> 10);
	CHECK("ksyms real: find schedule", !ksyms_find(ks, "schedule", &k));
	CHECK("ksyms real: lookup schedule+1",
	      !ksyms_lookup(ks, k.addr + 1, &k2) && streq(k2.name, "schedule") &&
		      k2.addr == k.addr && k2.size > 1);
	ksyms_free(ks);
}

/* ---------------- procmaps ---------------- */

static void test_procmaps(void)
{
	static const char buf[] =
		"00400000-00452000 r-xp 00000000 08:02 173521      /usr/bin/dbus daemon\n"
		"00651000-00652000 rw-s 00051000 fd:01 99                  /tmp/x (deleted)\n"
		"7f0000000000-7f0000001000 ---p 00000000 00:00 0 \n"
		"7f0000001000-7f0000002000 r-xp 00000000 00:00 0\n"
		"7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0                          [stack]\n"
		"7ffd00100000-7ffd00102000 r-xp 00000000 00:00 0                          [vdso]\n"
		"7ffd00200000-7ffd00201000 rw-p 00000000 00:00 0                          [anon:my name]\n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n"
		"7f0000003000-7f0000004000 r-xp 00001000 103:0a 18446744073709551615 /a b/ (deleted)  c\n";
	struct procmaps m;
	const struct procmap_entry *e;
	int rc = procmaps_parse(buf, sizeof(buf) - 1, &m);

	CHECK("procmaps parse", rc == 0 && m.count == 9);
	if (rc)
		return;
	CHECK("procmaps sorted", m.entries[0].start == 0x400000 &&
					 m.entries[8].start == 0xffffffffff600000);
	e = procmaps_find(&m, 0x400010);
	CHECK("procmaps space in path", e && streq(e->path, "/usr/bin/dbus daemon") &&
						e->perms == (PROCMAP_READ | PROCMAP_EXEC | PROCMAP_PRIVATE) &&
						e->dev_major == 8 && e->dev_minor == 2 &&
						e->inode == 173521 && e->kind == PROCMAP_FILE);
	e = procmaps_find(&m, 0x651000);
	CHECK("procmaps deleted suffix", e && streq(e->path, "/tmp/x") && e->deleted &&
						 !(e->perms & PROCMAP_PRIVATE) &&
						 e->dev_major == 0xfd && e->pgoff == 0x51000);
	e = procmaps_find(&m, 0x7f0000000000);
	CHECK("procmaps no path (trailing space)", e && streq(e->path, "") &&
							   e->kind == PROCMAP_ANON);
	e = procmaps_find(&m, 0x7f0000001fff);
	CHECK("procmaps no path", e && streq(e->path, "") && (e->perms & PROCMAP_EXEC));
	CHECK("procmaps end is exclusive", procmaps_find(&m, 0x7f0000002000) == NULL);
	e = procmaps_find(&m, 0x7ffd00000000);
	CHECK("procmaps stack", e && e->kind == PROCMAP_STACK);
	e = procmaps_find(&m, 0x7ffd00100000);
	CHECK("procmaps vdso", e && e->kind == PROCMAP_VDSO);
	e = procmaps_find(&m, 0x7ffd00200000);
	CHECK("procmaps anon name", e && e->kind == PROCMAP_ANON && streq(e->path, "[anon:my name]"));
	e = procmaps_find(&m, 0xffffffffff600000);
	CHECK("procmaps vsyscall", e && e->kind == PROCMAP_VSYSCALL);
	e = procmaps_find(&m, 0x7f0000003000);
	CHECK("procmaps deleted only as suffix, big dev and inode",
	      e && streq(e->path, "/a b/ (deleted)  c") && !e->deleted && e->dev_major == 0x103 &&
		      e->dev_minor == 0xa && e->inode == UINT64_MAX);
	procmaps_release(&m);

	CHECK("procmaps bad perms", procmaps_parse("1000-2000 rwzp 0 00:00 0\n", 25, &m) == -EINVAL);
	CHECK("procmaps start >= end", procmaps_parse("2000-1000 r-xp 0 00:00 0\n", 25, &m) == -EINVAL);
	CHECK("procmaps inode overflow",
	      procmaps_parse("1000-2000 r-xp 0 00:00 18446744073709551616\n", 44, &m) == -EINVAL);
	CHECK("procmaps truncated", procmaps_parse("1000-2000 r-xp 0 00:", 20, &m) == -EINVAL);
	CHECK("procmaps empty", procmaps_parse("", 0, &m) == 0 && m.count == 0);
	procmaps_release(&m);
	rc = procmaps_read_pid((uint32_t)getpid(), &m);
	CHECK("procmaps read self", rc == 0 && m.count > 5 &&
					    procmaps_find(&m, (uint64_t)(uintptr_t)&test_function_one));
	procmaps_release(&m);
	CHECK("procmaps read missing pid", procmaps_read_pid(0x7ffffff0, &m) == -ENOENT);
}

/* ---------------- perfmap ---------------- */

static void test_perfmap(void)
{
	static const char buf[] =
		"1000 100 LazyCompile:~foo bar.js:1\n"
		"0x2000 0x10 Interpreter stub\r\n"
		"3000 zz broken\n"
		"3000\n"
		"4000 1000 outer\n"
		"4100 10 inner\n"
		"1000 80 recompiled foo\n"
		"ffffffffffffff00 1000 overflowing\n"
		"5000 0 zero sized\n"
		"6000 10 last without newline";
	struct perfmap *pm = NULL;
	struct perfmap_sym ps;
	int rc;

	CHECK("perfmap new", perfmap_new(&pm) == 0);
	rc = perfmap_parse(pm, buf, sizeof(buf) - 1);
	CHECK("perfmap parse", rc == 0 && perfmap_count(pm) == 6);
	CHECK("perfmap later entry wins", !perfmap_lookup(pm, 0x1010, &ps) &&
						  streq(ps.name, "recompiled foo") && ps.size == 0x80);
	CHECK("perfmap older entry's tail gone", perfmap_lookup(pm, 0x1090, &ps) == -ENOENT);
	CHECK("perfmap 0x prefix and CR", !perfmap_lookup(pm, 0x200f, &ps) &&
						  streq(ps.name, "Interpreter stub"));
	CHECK("perfmap end exclusive", perfmap_lookup(pm, 0x2010, &ps) == -ENOENT);
	CHECK("perfmap nested inner", !perfmap_lookup(pm, 0x4105, &ps) && streq(ps.name, "inner"));
	CHECK("perfmap enclosing outer", !perfmap_lookup(pm, 0x4200, &ps) && streq(ps.name, "outer"));
	CHECK("perfmap zero size exact", !perfmap_lookup(pm, 0x5000, &ps) &&
						 perfmap_lookup(pm, 0x5001, &ps) == -ENOENT);
	CHECK("perfmap last line", !perfmap_lookup(pm, 0x6001, &ps) &&
					   streq(ps.name, "last without newline"));
	perfmap_free(pm);
}

static void test_perfmap_update(void)
{
	char path[TPATH];
	struct perfmap *pm = NULL;
	struct perfmap_sym ps;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/perf-update.map", tmpdir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || perfmap_new(&pm))
		return;
	CHECK("perfmap update write", write(fd, "100 10 a\n200 10 partial", 23) == 23);
	rc = perfmap_update_fd(pm, fd);
	CHECK("perfmap update keeps partial line", rc == 0 && perfmap_count(pm) == 1 &&
							   perfmap_offset(pm) == 9);
	CHECK("perfmap update write more", write(fd, "_name\n300 10 c\n", 15) == 15);
	rc = perfmap_update_fd(pm, fd);
	CHECK("perfmap update appends", rc == 0 && perfmap_count(pm) == 3 &&
						!perfmap_lookup(pm, 0x205, &ps) &&
						streq(ps.name, "partial_name"));
	CHECK("perfmap update truncate", ftruncate(fd, 4) == 0 &&
						 perfmap_update_fd(pm, fd) == -ESTALE);
	close(fd);
	perfmap_free(pm);
}

static void test_perfmap_open(void)
{
	char path[TPATH], link[TPATH], fifo[TPATH];
	int fd;

	snprintf(path, sizeof(path), "%s/perf-owner.map", tmpdir);
	snprintf(link, sizeof(link), "%s/perf-link.map", tmpdir);
	snprintf(fifo, sizeof(fifo), "%s/perf-fifo.map", tmpdir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	close(fd);
	fd = perfmap_open(path, 1000);
	CHECK("perfmap_open own file", fd >= 0);
	if (fd >= 0)
		close(fd);
	CHECK("perfmap_open refuses symlinks", symlink(path, link) == 0 &&
						       perfmap_open(link, 1000) == -ELOOP);
	CHECK("perfmap_open refuses fifos", mkfifo(fifo, 0644) == 0 &&
						    perfmap_open(fifo, 1000) == -ENOEXEC);
	CHECK("perfmap_open missing", perfmap_open("/nonexistent/perf-1.map", 0) == -ENOENT);
	if (geteuid() != 0 || chown(path, 54321, 54321) != 0)
		return;
	CHECK("perfmap_open foreign owner", perfmap_open(path, 1000) == -EPERM);
	fd = perfmap_open(path, 54321);
	CHECK("perfmap_open process owner", fd >= 0);
	if (fd >= 0)
		close(fd);
}

/* ---------------- helpers: a small test program ---------------- */

static const char helper_src[] =
	"#include <stdio.h>\n"
	"#include <unistd.h>\n"
	"__attribute__((noinline)) int target_fn(int x) { return x * 3 + 1; }\n"
	"int main(void) {\n"
	"  char c;\n"
	"  printf(\"%p\\n\", (void *)&target_fn);\n"
	"  fflush(stdout);\n"
	"  while (read(0, &c, 1) > 0) ;\n"
	"  return target_fn(0) - 1;\n"
	"}\n";

static char helper_pie[TPATH], helper_nopie[TPATH];

static int run(const char *cmd)
{
	int rc = system(cmd);

	if (rc != 0)
		printf("INFO: command failed (%d): %s\n", rc, cmd);
	return rc;
}

static int build_helpers(void)
{
	char src[TPATH], cmd[TCMD];
	FILE *f;

	snprintf(src, sizeof(src), "%s/helper.c", tmpdir);
	if (!(f = fopen(src, "w")))
		return -1;
	fputs(helper_src, f);
	fclose(f);
	snprintf(helper_pie, sizeof(helper_pie), "%s/helper-pie", tmpdir);
	snprintf(helper_nopie, sizeof(helper_nopie), "%s/helper-nopie", tmpdir);
	snprintf(cmd, sizeof(cmd),
		 "gcc -O0 -g -fno-omit-frame-pointer -fPIE -pie -Wl,--build-id %s -o %s && "
		 "gcc -O0 -fno-omit-frame-pointer -fno-pie -no-pie -Wl,--build-id %s -o %s",
		 src, helper_pie, src, helper_nopie);
	return run(cmd);
}

struct child {
	pid_t pid;
	int in;  /* closing it makes the child exit */
	uint64_t target;
};

static int spawn(const char *path, struct child *c)
{
	int in[2], out[2];
	char line[64];
	ssize_t n;

	if (pipe(in) || pipe(out))
		return -1;
	if ((c->pid = fork()) == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl(path, path, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	c->in = in[1];
	n = read(out[0], line, sizeof(line) - 1);
	close(out[0]);
	if (n <= 0)
		return -1;
	line[n] = '\0';
	c->target = strtoull(line, NULL, 16);
	return c->target ? 0 : -1;
}

static void reap(struct child *c)
{
	int st;

	close(c->in);
	waitpid(c->pid, &st, 0);
}

/* ---------------- elfsyms ---------------- */

static void test_elfsyms_self(void)
{
	struct elfsyms *es = NULL;
	struct elfsym sym;
	const uint8_t *bid;
	int fd = open("/proc/self/exe", O_RDONLY);
	int rc = elfsyms_load_fd(fd, NULL, &es);

	close(fd);
	CHECK("elfsyms load self", rc == 0 && elfsyms_count(es) > 10);
	if (rc)
		return;
	CHECK("elfsyms self from symtab", elfsyms_flags(es) & ELFSYMS_SYMTAB);
	CHECK("elfsyms find test_function_one", !elfsyms_find(es, "test_function_one", &sym) &&
							  sym.size > 0);
	CHECK("elfsyms lookup inside", !elfsyms_lookup(es, sym.addr + sym.size - 1, &sym) &&
					       streq(sym.name, "test_function_one"));
	CHECK("elfsyms build-id", elfsyms_build_id(es, &bid) >= 16);
	elfsyms_free(es);
}

static void test_elfsyms_vdso(void)
{
	unsigned long base = getauxval(AT_SYSINFO_EHDR);
	struct elfsyms *es = NULL;
	struct elfsym sym;
	uint64_t v;

	if (!base) {
		printf("SKIP: no vdso\n");
		return;
	}
	CHECK("elfsyms load vdso image", elfsyms_load_mem((void *)base, 8192, &es) == 0);
	CHECK("elfsyms vdso has clock_gettime",
	      !elfsyms_find(es, "__vdso_clock_gettime", &sym) ||
		      !elfsyms_find(es, "clock_gettime", &sym));
	CHECK("elfsyms vdso offset conversion", !elfsyms_off_to_vaddr(es, sym.addr, &v));
	elfsyms_free(es);
}

static void test_elfsyms_malformed(void)
{
	static const char junk[] = "\177ELF\2\1\1\0\0\0\0\0\0\0\0\0garbage garbage garbage";
	struct elfsyms *es = NULL;
	char *img;
	size_t size, cut;
	int fd = open("/proc/self/exe", O_RDONLY);
	struct stat st;
	int ok = 1;

	CHECK("elfsyms not ELF", elfsyms_load_mem("hello world", 11, &es) == -ENOEXEC);
	CHECK("elfsyms tiny", elfsyms_load_mem("\177EL", 3, &es) == -ENOEXEC);
	CHECK("elfsyms bogus header", elfsyms_load_mem(junk, sizeof(junk), &es) == -ENOEXEC);
	if (fd < 0 || fstat(fd, &st))
		return;
	size = (size_t)st.st_size;
	img = malloc(size);
	if (!img || pread(fd, img, size, 0) != (ssize_t)size) {
		free(img);
		close(fd);
		return;
	}
	close(fd);
	/* every truncation must fail cleanly or load */
	for (cut = 0; cut < size; cut += size / 97 + 1) {
		int rc = elfsyms_load_mem(img, cut, &es);

		ok &= rc == 0 || rc == -ENOEXEC;
		elfsyms_free(es);
		es = NULL;
	}
	CHECK("elfsyms truncated images", ok);
	free(img);
}

static int load_path(const char *path, const struct elfsyms_opts *o, struct elfsyms **es)
{
	int fd = open(path, O_RDONLY), rc;

	if (fd < 0)
		return -errno;
	rc = elfsyms_load_fd(fd, o, es);
	close(fd);
	return rc;
}

/* The /usr/lib/debug/<dir>/ candidate, and a debug file of another build. */
static void test_debuglink_dirs(void)
{
	char cmd[TCMD], bin[TPATH], ddir[TPATH];
	struct elfsyms_opts o = { 0 };
	struct elfsyms *es = NULL;
	struct elfsym sym;
	int rc;

	snprintf(bin, sizeof(bin), "%s/dl2/helper", tmpdir);
	snprintf(ddir, sizeof(ddir), "%s/debug2", tmpdir);
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/dl2 %s%s/dl2 %s/dl3 && objcopy --only-keep-debug %s %s%s/dl2/helper.dbg && "
		 "strip --strip-all -o %s %s && cd %s%s/dl2 && objcopy --add-gnu-debuglink=helper.dbg %s && "
		 "cp %s %s/dl3/helper && objcopy --only-keep-debug %s %s/dl3/helper.dbg",
		 tmpdir, ddir, tmpdir, tmpdir, helper_pie, ddir, tmpdir,
		 bin, helper_pie, ddir, tmpdir, bin,
		 bin, tmpdir, helper_nopie, tmpdir);
	if (run(cmd))
		return;
	o.path = bin;
	o.debug_dir = ddir;
	rc = load_path(bin, &o, &es);
	CHECK("elfsyms debuglink under debug dir", rc == 0 &&
							   (elfsyms_flags(es) & ELFSYMS_DEBUGFILE) &&
							   !elfsyms_find(es, "target_fn", &sym));
	elfsyms_free(es);
	es = NULL;
	snprintf(bin, sizeof(bin), "%s/dl3/helper", tmpdir);
	o.path = bin;
	rc = load_path(bin, &o, &es);
	CHECK("elfsyms debuglink to another build is rejected",
	      rc == 0 && !(elfsyms_flags(es) & ELFSYMS_DEBUGFILE) &&
		      elfsyms_find(es, "target_fn", &sym) == -ENOENT);
	elfsyms_free(es);
}

static void test_elfsyms_debuglink(void)
{
	char cmd[TCMD], stripped[TPATH], bidonly[TPATH], ddir[TPATH];
	struct elfsyms_opts o = { 0 };
	struct elfsyms *es = NULL;
	struct elfsym sym;
	const uint8_t *bid;
	size_t len, i;
	int rc, n;

	snprintf(stripped, sizeof(stripped), "%s/dl/helper", tmpdir);
	snprintf(bidonly, sizeof(bidonly), "%s/helper-bidonly", tmpdir);
	snprintf(ddir, sizeof(ddir), "%s/debug", tmpdir);
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p %s/dl/.debug && objcopy --only-keep-debug %s %s/dl/.debug/helper.dbg && "
		 "strip --strip-all -o %s %s && cp %s %s && "
		 "objcopy --add-gnu-debuglink=%s/dl/.debug/helper.dbg %s",
		 tmpdir, helper_pie, tmpdir, stripped, helper_pie, stripped, bidonly,
		 tmpdir, stripped);
	if (run(cmd)) {
		printf("SKIP: debuglink (binutils)\n");
		return;
	}
	o.path = stripped;
	o.debug_dir = ddir;
	rc = load_path(stripped, &o, &es);
	CHECK("elfsyms debuglink in .debug/", rc == 0 &&
						      (elfsyms_flags(es) & ELFSYMS_DEBUGFILE) &&
						      !elfsyms_find(es, "target_fn", &sym));
	elfsyms_free(es);
	es = NULL;
	o.no_debug = 1;
	rc = load_path(stripped, &o, &es);
	CHECK("elfsyms stripped falls back to dynsym",
	      rc == 0 && (elfsyms_flags(es) & ELFSYMS_DYNSYM || elfsyms_count(es) == 0) &&
		      elfsyms_find(es, "target_fn", &sym) == -ENOENT);
	len = elfsyms_build_id(es, &bid);
	n = snprintf(cmd, sizeof(cmd), "mkdir -p %s/.build-id/%02x && cp %s/dl/.debug/helper.dbg %s/.build-id/%02x/",
		     ddir, len ? bid[0] : 0, tmpdir, ddir, len ? bid[0] : 0);
	for (i = 1; i < len; i++)
		n += snprintf(cmd + n, sizeof(cmd) - (size_t)n, "%02x", bid[i]);
	snprintf(cmd + n, sizeof(cmd) - (size_t)n, ".debug");
	elfsyms_free(es);
	es = NULL;
	if (!len || run(cmd))
		return;
	o.no_debug = 0;
	o.path = bidonly;  /* stripped copy without debuglink */
	rc = load_path(bidonly, &o, &es);
	CHECK("elfsyms build-id debug dir", rc == 0 && (elfsyms_flags(es) & ELFSYMS_DEBUGFILE) &&
						    !elfsyms_find(es, "target_fn", &sym));
	elfsyms_free(es);
	test_debuglink_dirs();
}

/* ---------------- symbolizer ---------------- */

static void test_symbolizer_self(void)
{
	struct symbolizer *s = NULL;
	struct sym_result r;
	char exe[TPATH];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	exe[n > 0 ? n : 0] = '\0';
	CHECK("symbolizer new", symbolizer_new(&s) == 0);
	CHECK("symbolizer add self", symbolizer_add_pid(s, (uint32_t)getpid()) == 0);
	CHECK("symbolizer resolve own function",
	      !symbolizer_resolve(s, (uint32_t)getpid(),
				  (uint64_t)(uintptr_t)&test_function_one + 3, 0, &r) &&
		      streq(r.name, "test_function_one") && r.offset == 3 && streq(r.dso, exe) &&
		      r.dso_id > 0 && !r.is_kernel && r.dso_addr == r.sym_start + 3);
	/* div: not an IFUNC, and no sanitizer intercepts it */
	CHECK("symbolizer resolve libc function",
	      !symbolizer_resolve(s, (uint32_t)getpid(), (uint64_t)(uintptr_t)&div + 1, 0, &r) &&
		      streq(r.name, "div") && r.offset == 1 && strstr(r.dso, "libc.so"));
	CHECK("symbolizer unknown pid",
	      !symbolizer_resolve(s, 0x7ffffff0, 0x1234, 0, &r) && streq(r.dso, "[unknown]") &&
		      r.dso_id == 0 && !r.name && r.dso_addr == 0x1234);
	CHECK("symbolizer unmapped address",
	      !symbolizer_resolve(s, (uint32_t)getpid(), 8, 0, &r) && !r.name &&
		      streq(r.dso, "[unknown]"));
	symbolizer_forget_pid(s, (uint32_t)getpid());
	CHECK("symbolizer forget pid",
	      !symbolizer_resolve(s, (uint32_t)getpid(),
				  (uint64_t)(uintptr_t)&test_function_one, 0, &r) && !r.name);
	symbolizer_free(s);
	symbolizer_free(NULL);
}

/* The code bytes of a function of this program are those that run, and its rows cover it. */
static void test_symbolizer_code(void)
{
	struct src_row rows[4096];
	struct symbolizer *s = NULL;
	struct sym_result r;
	const uint8_t *p;
	size_t got;
	int n, ordered = 1;

	CHECK("code: symbolizer new", symbolizer_new(&s) == 0);
	symbolizer_set_code(s, 1);
	CHECK("code: srclines on", symbolizer_set_srclines(s, 1, 0) == 0);
	CHECK("code: add self", symbolizer_add_pid(s, (uint32_t)getpid()) == 0);
	CHECK("code: resolve own function",
	      !symbolizer_resolve(s, (uint32_t)getpid(),
				  (uint64_t)(uintptr_t)&test_function_one, 0, &r) &&
		      streq(r.name, "test_function_one") && r.sym_size > 0);
	CHECK("code: the bytes of test_function_one are those in memory",
	      !symbolizer_code(s, r.dso_id, r.sym_start, r.sym_size, &p, &got) &&
		      got == r.sym_size &&
		      !memcmp(p, (const void *)(uintptr_t)&test_function_one, got));
	CHECK("code: none for an unknown DSO", symbolizer_code(s, 0, 0, 16, &p, &got) == -ENOENT);
	n = symbolizer_code_rows(s, r.dso_id, r.sym_start, r.sym_start + r.sym_size, rows,
				 sizeof(rows) / sizeof(rows[0]));
	for (int i = 1; i < n; i++)
		ordered &= rows[i].addr > rows[i - 1].addr && rows[i].addr < r.sym_start + r.sym_size;
	if (symbolizer_has_srclines(s, r.dso_id))
		CHECK("code: line rows from the function's start, in order",
		      n > 0 && rows[0].addr == r.sym_start && ordered && rows[0].line > 0 &&
			      rows[0].file && strstr(rows[0].file, "test-symbols.c"));
	else
		printf("INFO: no DWARF in the test program: rows not checked\n");
	symbolizer_free(s);
}

static void test_symbolizer_vdso(void)
{
	unsigned long base = getauxval(AT_SYSINFO_EHDR);
	struct symbolizer *s = NULL;
	struct elfsyms *es = NULL;
	struct sym_result r;
	struct elfsym sym;
	uint64_t ip;

	if (!base || elfsyms_load_mem((void *)base, 8192, &es) ||
	    elfsyms_find(es, "__vdso_clock_gettime", &sym)) {
		printf("SKIP: vdso\n");
		elfsyms_free(es);
		return;
	}
	/* the vDSO is linked at 0 with offset == vaddr */
	ip = base + sym.addr + 2;
	elfsyms_free(es);
	symbolizer_new(&s);
	symbolizer_add_pid(s, (uint32_t)getpid());
	CHECK("symbolizer vdso", !symbolizer_resolve(s, (uint32_t)getpid(), ip, 0, &r) &&
					 streq(r.dso, "[vdso]") && r.name &&
					 strstr(r.name, "clock_gettime") && r.offset == 2);
	symbolizer_free(s);
}

static void test_symbolizer_kernel(void)
{
	struct symbolizer *s = NULL;
	struct ksyms *ks = NULL;
	struct sym_result r;
	struct ksym k;
	int rc;

	if (ksyms_load(NULL, &ks) || ksyms_find(ks, "schedule", &k)) {
		printf("SKIP: kernel symbols\n");
		ksyms_free(ks);
		return;
	}
	ksyms_free(ks);
	symbolizer_new(&s);
	rc = symbolizer_load_kernel(s);
	CHECK("symbolizer kernel load", rc == 0);
	CHECK("symbolizer kernel schedule+4",
	      !symbolizer_resolve(s, 0, k.addr + 4, 1, &r) && streq(r.name, "schedule") &&
		      r.offset == 4 && streq(r.dso, "[kernel.kallsyms]") && r.is_kernel &&
		      r.dso_addr == k.addr + 4);
	symbolizer_free(s);
}

static void test_symbolizer_child(const char *path, const char *what)
{
	struct symbolizer *s = NULL;
	struct child c;
	struct sym_result r;
	char name[128];
	int rc;

	if (spawn(path, &c)) {
		snprintf(name, sizeof(name), "spawn %s helper", what);
		CHECK(name, 0);
		return;
	}
	symbolizer_new(&s);
	rc = symbolizer_add_pid(s, (uint32_t)c.pid);
	snprintf(name, sizeof(name), "symbolizer add %s child", what);
	CHECK(name, rc == 0);
	reap(&c);
	snprintf(name, sizeof(name), "symbolizer %s child resolves after exit", what);
	CHECK(name, !symbolizer_resolve(s, (uint32_t)c.pid, c.target + 3, 0, &r) &&
			    streq(r.name, "target_fn") && r.offset == 3 && streq(r.dso, path));
	CHECK("symbolizer re-add exited pid", symbolizer_add_pid(s, (uint32_t)c.pid) == -ESRCH);
	symbolizer_free(s);
}

static void test_symbolizer_deleted(int delete_before_add)
{
	char copy[TPATH], cmd[TCMD], name[96];
	struct symbolizer *s = NULL;
	struct sym_dso_info info;
	struct sym_result r;
	struct child c;
	int rc;

	/* /proc/PID/map_files, the only way to a deleted file, needs CAP_SYS_ADMIN. */
	if (delete_before_add && geteuid() != 0) {
		printf("SKIP: symbolizer deleted binary (needs root for map_files)\n");
		return;
	}
	snprintf(copy, sizeof(copy), "%s/deleted-helper-%d", tmpdir, delete_before_add);
	snprintf(cmd, sizeof(cmd), "cp %s %s", helper_pie, copy);
	if (run(cmd) || spawn(copy, &c)) {
		CHECK("spawn deleted helper", 0);
		return;
	}
	symbolizer_new(&s);
	if (delete_before_add)
		unlink(copy);
	rc = symbolizer_add_pid(s, (uint32_t)c.pid);
	if (!delete_before_add)
		unlink(copy);
	reap(&c);
	snprintf(name, sizeof(name), "symbolizer deleted binary (%s add_pid)",
		 delete_before_add ? "before" : "after");
	CHECK(name, rc == 0 &&
			    !symbolizer_resolve(s, (uint32_t)c.pid, c.target + 1, 0, &r) &&
			    streq(r.name, "target_fn") && r.offset == 1 && streq(r.dso, copy));
	if (delete_before_add)
		CHECK("symbolizer deleted flag", !symbolizer_dso_info(s, r.dso_id, &info) &&
							 (info.flags & SYM_DSO_DELETED));
	symbolizer_free(s);
}

static void test_symbolizer_jit(void)
{
	char path[64], line[128];
	struct symbolizer *s = NULL;
	struct sym_result r;
	uint64_t ip;
	void *code = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int fd, n;

	if (code == MAP_FAILED)
		return;
	ip = (uint64_t)(uintptr_t)code;
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	n = snprintf(line, sizeof(line), "%" PRIx64 " 40 JIT frame one\n%" PRIx64 " 20 two\n",
		     ip, ip + 0x40);
	CHECK("jit write perf map", fd >= 0 && write(fd, line, (size_t)n) == n);
	close(fd);
	symbolizer_new(&s);
	symbolizer_add_pid(s, (uint32_t)getpid());
	CHECK("symbolizer jit perf map",
	      !symbolizer_resolve(s, (uint32_t)getpid(), ip + 0x45, 0, &r) && streq(r.name, "two") &&
		      r.offset == 5 && streq(r.dso, path) && r.dso_addr == ip + 0x45);
	CHECK("symbolizer jit unresolved in anon",
	      !symbolizer_resolve(s, (uint32_t)getpid(), ip + 0x100, 0, &r) && !r.name &&
		      streq(r.dso, path));
	symbolizer_free(s);
	if (chown(path, 54321, 54321) == 0) {
		symbolizer_new(&s);
		symbolizer_add_pid(s, (uint32_t)getpid());
		CHECK("symbolizer jit perf map with foreign owner ignored",
		      !symbolizer_resolve(s, (uint32_t)getpid(), ip + 1, 0, &r) && !r.name);
		symbolizer_free(s);
	}
	unlink(path);
	munmap(code, 4096);
}

static void test_symbolizer_mapping(void)
{
	const struct elfsyms_segment *seg = NULL;
	struct symbolizer *s = NULL;
	struct elfsyms *es = NULL;
	struct sym_mapping m = { 0 };
	struct sym_result r;
	struct elfsym sym;
	uint64_t base = 0x555500000000ULL, ip;
	size_t i, nseg;
	const uint32_t pid = 0x7ffffff1;  /* no such process */

	if (load_path(helper_pie, NULL, &es) || elfsyms_find(es, "target_fn", &sym)) {
		CHECK("mapping: load helper", 0);
		elfsyms_free(es);
		return;
	}
	nseg = elfsyms_segments(es, &seg);
	for (i = 0; i < nseg && !(seg[i].flags & 1 /* PF_X */); i++)
		;
	if (i == nseg) {
		CHECK("mapping: helper has text segment", 0);
		elfsyms_free(es);
		return;
	}
	m.start = base + (seg[i].vaddr & ~0xfffULL);
	m.pgoff = seg[i].offset & ~0xfffULL;
	m.len = ((seg[i].vaddr + seg[i].memsz + 0xfff) & ~0xfffULL) - (seg[i].vaddr & ~0xfffULL);
	m.path = helper_pie;
	ip = base + sym.addr + 2;
	symbolizer_new(&s);
	CHECK("symbolizer add_mapping", symbolizer_add_mapping(s, pid, &m) == 0);
	CHECK("symbolizer add_mapping resolves",
	      !symbolizer_resolve(s, pid, ip, 0, &r) && streq(r.name, "target_fn") &&
		      r.offset == 2 && streq(r.dso, helper_pie) && r.dso_addr == sym.addr + 2);
	m.start = ip & ~0xfffULL;
	m.len = 0x1000;
	m.pgoff = 0;
	m.path = "//anon";
	CHECK("symbolizer add_mapping overlay", symbolizer_add_mapping(s, pid, &m) == 0 &&
							!symbolizer_resolve(s, pid, ip, 0, &r) &&
							!r.name && strstr(r.dso, "perf-"));
	CHECK("symbolizer add_mapping left remainder intact",
	      m.start - 0x10 < base + (seg[i].vaddr & ~0xfffULL) ||
		      (!symbolizer_resolve(s, pid, m.start - 0x10, 0, &r) && streq(r.dso, helper_pie)));
	CHECK("symbolizer add_mapping bad", symbolizer_add_mapping(s, pid, &(struct sym_mapping){
									  .start = 1, .len = 0 }) == -EINVAL);
	elfsyms_free(es);
	symbolizer_free(s);
}

static void test_symbolizer_dsos(void)
{
	struct symbolizer *s = NULL;
	struct sym_dso_info info;
	struct sym_result r;
	uint32_t id, hits = 0;
	int found_exe = 0;

	symbolizer_new(&s);
	symbolizer_add_pid(s, (uint32_t)getpid());
	symbolizer_resolve(s, (uint32_t)getpid(), (uint64_t)(uintptr_t)&test_function_one, 0, &r);
	for (id = 1; id <= symbolizer_dso_count(s); id++) {
		if (symbolizer_dso_info(s, id, &info) || info.id != id || !info.path)
			break;
		if (info.flags & SYM_DSO_HIT) {
			hits++;
			found_exe = id == r.dso_id && info.build_id_len >= 16 &&
				    (info.flags & SYM_DSO_SYMBOLS);
		}
	}
	CHECK("symbolizer dso listing", id > symbolizer_dso_count(s) && hits == 1 && found_exe);
	CHECK("symbolizer dso info bounds", symbolizer_dso_info(s, 0, &info) == -ENOENT &&
						    symbolizer_dso_info(s, id, &info) == -ENOENT);
	symbolizer_free(s);
}

__attribute__((noinline)) static uint64_t rnd(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

static void bench_kernel(struct symbolizer *s)
{
	uint64_t state = 2463534242ULL, base;
	struct ksyms *ks = NULL;
	struct sym_result r;
	struct ksym k;
	size_t i, named = 0;
	double t0, t1;

	if (symbolizer_load_kernel(s) || ksyms_load(NULL, &ks) || ksyms_find(ks, "schedule", &k)) {
		ksyms_free(ks);
		return;
	}
	ksyms_free(ks);
	base = k.addr - (8u << 20);  /* 16 MiB around schedule(): kernel text */
	t0 = now_s();
	for (i = 0; i < 100000; i++) {
		symbolizer_resolve(s, 0, base + rnd(&state) % (16u << 20), 1, &r);
		named += r.name != NULL;
	}
	t1 = now_s();
	printf("INFO: resolve 100k kernel addresses: %.1f ms (%.0f ns each), %zu named\n",
	       (t1 - t0) * 1e3, (t1 - t0) * 1e9 / 1e5, named);
}

static void bench_resolve(void)
{
	const struct procmap_entry *text[64];
	struct symbolizer *s = NULL;
	struct procmaps m;
	struct sym_result r;
	size_t i, ntext = 0, named = 0;
	uint64_t state = 88172645463325252ULL;
	double t0, t1;

	if (procmaps_read_pid((uint32_t)getpid(), &m))
		return;
	for (i = 0; i < m.count && ntext < 64; i++)
		if ((m.entries[i].perms & PROCMAP_EXEC) && m.entries[i].kind == PROCMAP_FILE)
			text[ntext++] = &m.entries[i];
	symbolizer_new(&s);
	symbolizer_add_pid(s, (uint32_t)getpid());
	symbolizer_load_kernel(s);
	/* warm: load every DSO once so the loop measures lookups */
	for (i = 0; i < ntext; i++)
		symbolizer_resolve(s, (uint32_t)getpid(), text[i]->start, 0, &r);
	t0 = now_s();
	for (i = 0; i < 100000 && ntext; i++) {
		const struct procmap_entry *e = text[rnd(&state) % ntext];

		symbolizer_resolve(s, (uint32_t)getpid(),
				   e->start + rnd(&state) % (e->end - e->start), 0, &r);
		named += r.name != NULL;
	}
	t1 = now_s();
	printf("INFO: resolve 100k user addresses: %.1f ms (%.0f ns each), %zu named\n",
	       (t1 - t0) * 1e3, (t1 - t0) * 1e9 / 1e5, named);
	CHECK("bench resolved most addresses", named > 50000);
	bench_kernel(s);
	procmaps_release(&m);
	symbolizer_free(s);
}

int main(void)
{
	char cmd[TCMD];

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_ksyms_synthetic();
	test_ksyms_restricted();
	test_ksyms_real();
	test_procmaps();
	test_perfmap();
	test_perfmap_update();
	test_perfmap_open();
	test_elfsyms_self();
	test_elfsyms_vdso();
	test_elfsyms_malformed();
	test_symbolizer_self();
	test_symbolizer_code();
	test_symbolizer_vdso();
	test_symbolizer_kernel();
	test_symbolizer_jit();
	test_symbolizer_dsos();
	if (build_helpers() == 0) {
		test_elfsyms_debuglink();
		test_symbolizer_child(helper_pie, "PIE");
		test_symbolizer_child(helper_nopie, "non-PIE");
		test_symbolizer_deleted(0);
		test_symbolizer_deleted(1);
		test_symbolizer_mapping();
	} else {
		CHECK("build helper programs with gcc", 0);
	}
	bench_resolve();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		printf("INFO: could not remove %s\n", tmpdir);
	return check_summary();
}
