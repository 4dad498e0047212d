/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for src/unwind/: tables of libc, ld.so, python3.11 and
 * programs gcc builds here, held row by row against readelf's reading of
 * the same CFI; the PLT, signal and end-of-stack rows; the .debug_frame
 * fallbacks; and the errors.  Without readelf, gcc or objcopy the checks
 * that need them are SKIP lines, never passes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "unwind/cfi-table.h"

#include "check.h"
#include "readelf-frames.h"

#define LIBC "/usr/lib/x86_64-linux-gnu/libc.so.6"
#define LDSO "/lib64/ld-linux-x86-64.so.2"
#define PYTHON "/usr/bin/python3.11"

static char tmpdir[] = "/tmp/test-cfi.XXXXXX";
static int have_readelf, have_gcc, have_objcopy;

static void skip(const char *what, const char *why)
{
	printf("SKIP: %s (%s)\n", what, why);
}

static int have(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

static int run(const char *cmd)
{
	int rc = system(cmd);

	if (rc)
		printf("INFO: command failed (%d): %s\n", rc, cmd);
	return rc;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int load(const char *path, const char *debug_dir, struct unwind_table *t)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = unwind_table_from_fd_debug(fd, debug_dir, t);
	close(fd);
	return rc;
}

/* A section's address range, or the ELF entry point (name NULL). */
static int elf_info(const char *path, const char *name, uint64_t *lo, uint64_t *hi)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), found = 0;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	GElf_Ehdr eh;
	Elf *elf;

	if (fd < 0)
		return 0;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (elf && !name && gelf_getehdr(elf, &eh)) {
		*lo = *hi = eh.e_entry;
		found = 1;
	}
	while (elf && name && !found && !elf_getshdrstrndx(elf, &shstrndx) &&
	       (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *s;

		if (gelf_getshdr(scn, &sh) && (s = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(s, name)) {
			*lo = sh.sh_addr;
			*hi = sh.sh_addr + sh.sh_size;
			found = 1;
		}
	}
	elf_end(elf);
	close(fd);
	return found;
}

static size_t count_kind(const struct unwind_table *t, unsigned kind)
{
	size_t n = 0;

	for (uint32_t i = 0; i < t->n_rows; i++)
		n += (t->rows[i].kind & UNWIND_KIND_MASK) == kind;
	return n;
}

/* What every table promises, whatever the file. */
static void check_shape(const char *label, const struct unwind_table *t)
{
	char name[256];
	uint32_t i, bad = 0;

	for (i = 0; i < t->n_rows; i++) {
		const struct unwind_row *r = &t->rows[i], *p = i ? r - 1 : NULL;

		if ((r->kind & UNWIND_KIND_MASK) > UNWIND_UNSUPPORTED ||
		    (r->kind & ~(UNWIND_KIND_MASK | UNWIND_RBP_SAVED)) ||
		    (!(r->kind & UNWIND_RBP_SAVED) && r->rbp_off) ||
		    (p && (p->pc >= r->pc || (p->kind == r->kind && p->cfa_off == r->cfa_off &&
					      p->rbp_off == r->rbp_off))))
			bad++;
	}
	snprintf(name, sizeof(name), "%s: rows sorted, merged and well-formed", label);
	CHECK(name, t->n_rows > 0 && !bad);
	snprintf(name, sizeof(name), "%s: the last row is UNWIND_NONE", label);
	CHECK(name, t->n_rows && t->rows[t->n_rows - 1].kind == UNWIND_NONE);
	snprintf(name, sizeof(name), "%s: n_unsupported counts its rows", label);
	CHECK(name, t->n_unsupported == count_kind(t, UNWIND_UNSUPPORTED));
}

static void compare(const char *label, const char *path, const char *section,
		    const struct unwind_table *t)
{
	struct rf_counts c;
	uint64_t plt_lo = 0, plt_hi = 0;
	char name[256];

	snprintf(name, sizeof(name), "%s: every row of readelf's %s agrees", label, section);
	if (!have_readelf) {
		skip(name, "no readelf");
		return;
	}
	elf_info(path, ".plt", &plt_lo, &plt_hi);
	if (rf_compare(path, section, t, plt_lo, plt_hi, &c)) {
		CHECK(name, !"readelf read the file");
		return;
	}
	printf("INFO: %s: %zu readelf rows in %zu FDEs, %zu gaps; table %u rows, %u unsupported\n",
	       label, c.rows, c.fdes, c.gaps, t->n_rows, t->n_unsupported);
	CHECK(name, c.mismatches == 0);
}

static void timed(const char *label, const char *path)
{
	struct unwind_table t;
	double t0 = now_ms(), ms;
	int rc = load(path, NULL, &t);

	ms = now_ms() - t0;
	if (rc == 0)
		printf("INFO: %s: %u rows (%u unsupported) in %.1f ms\n", label, t.n_rows,
		       t.n_unsupported, ms);
	unwind_table_release(&t);
}

static int read_whole(const char *path, char **buf, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t r = -1;

	if (fd < 0 || fstat(fd, &st) || !(*buf = malloc((size_t)st.st_size))) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*len = (size_t)st.st_size;
	r = read(fd, *buf, *len);
	close(fd);
	return r == (ssize_t)*len ? 0 : -1;
}

static void test_libc(void)
{
	struct unwind_table t, m = { 0 };
	const struct unwind_row *r;
	uint64_t lo, hi;
	char *img;
	size_t len;
	int rc;

	if (access(LIBC, R_OK)) {
		skip("libc.so.6 tables", "no " LIBC);
		return;
	}
	rc = load(LIBC, NULL, &t);
	CHECK("libc.so.6: a table", rc == 0);
	if (rc)
		return;
	check_shape("libc.so.6", &t);
	compare("libc.so.6", LIBC, ".eh_frame", &t);
	if (elf_info(LIBC, ".plt", &lo, &hi)) {
		r = unwind_table_lookup(&t, lo + 16);
		CHECK("libc.so.6: .plt's stubs are UNWIND_CFA_PLT with cfa_off 8",
		      r && r->kind == UNWIND_CFA_PLT && r->cfa_off == 8 && r->pc < hi);
	} else {
		skip("libc.so.6: .plt rows", "no .plt section");
	}
	CHECK("libc.so.6: thread starts (clone, clone3) end stacks", count_kind(&t, UNWIND_END) >= 2);
	if (read_whole(LIBC, &img, &len) == 0) {
		rc = unwind_table_from_mem(img, len, &m);
		CHECK("libc.so.6: from memory, the same rows as from the file",
		      rc == 0 && m.n_rows == t.n_rows &&
		      !memcmp(m.rows, t.rows, t.n_rows * sizeof(*t.rows)));
		unwind_table_release(&m);
		/* A truncated file fails cleanly; where does not matter. */
		rc = unwind_table_from_mem(img, len / 3, &m);
		CHECK("libc.so.6 cut to a third: an error, no table", rc < 0 && !m.rows && !m.n_rows);
		free(img);
	}
	unwind_table_release(&t);
}

static void *volatile restorer;

static void on_usr1(int sig)
{
	(void)sig;
	restorer = __builtin_return_address(0);
}

/* A handler returns into libc's __restore_rt: its row must say so. */
static void test_signal(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	const struct unwind_row *r;
	struct unwind_table t;
	Dl_info info;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) || raise(SIGUSR1) || !restorer ||
	    !dladdr(restorer, &info) || !info.dli_fname || !strstr(info.dli_fname, "libc.so")) {
		skip("__restore_rt is UNWIND_CFA_SIGNAL", "the handler's return address is not in libc");
		return;
	}
	if (load(info.dli_fname, NULL, &t)) {
		CHECK("__restore_rt: a table of the libc it is in", 0);
		return;
	}
	r = unwind_table_lookup(&t, (uint64_t)((char *)restorer - (char *)info.dli_fbase));
	CHECK("__restore_rt is UNWIND_CFA_SIGNAL", r && r->kind == UNWIND_CFA_SIGNAL);
	unwind_table_release(&t);
}

static void test_python(void)
{
	const struct unwind_row *r;
	struct unwind_table t;
	uint64_t entry, unused;
	int rc;

	if (access(PYTHON, R_OK)) {
		skip("python3.11 tables", "no " PYTHON);
		return;
	}
	rc = load(PYTHON, NULL, &t);
	CHECK("python3.11: a table", rc == 0);
	if (rc)
		return;
	check_shape("python3.11", &t);
	compare("python3.11", PYTHON, ".eh_frame", &t);
	r = elf_info(PYTHON, NULL, &entry, &unused) ? unwind_table_lookup(&t, entry) : NULL;
	CHECK("python3.11: _start (the entry point) begins with UNWIND_END",
	      r && r->kind == UNWIND_END && r->pc == entry);
	unwind_table_release(&t);
}

static void test_ldso(void)
{
	struct unwind_table t;
	int rc;

	if (access(LDSO, R_OK)) {
		skip("ld.so tables", "no " LDSO);
		return;
	}
	rc = load(LDSO, NULL, &t);
	CHECK("ld.so: a table", rc == 0);
	if (rc)
		return;
	check_shape("ld.so", &t);
	compare("ld.so", LDSO, ".eh_frame", &t);
	unwind_table_release(&t);
}

/* A frame kept in rbp (the VLA), pushes, a leaf: gcc -O2's usual shapes. */
static const char prog_src[] =
	"#include <stdio.h>\n"
	"#include <string.h>\n"
	"__attribute__((noinline)) int leaf(int x) { return x * 3 + 1; }\n"
	"__attribute__((noinline)) long vla(int n) {\n"
	"  char buf[n]; long s = 0;\n"
	"  memset(buf, n, (size_t)n);\n"
	"  for (int i = 0; i < n; i++) s += buf[i] * leaf(i);\n"
	"  return s;\n"
	"}\n"
	"__attribute__((noinline)) long pushes(long a, long b, long c) {\n"
	"  long x = leaf((int)a), y = leaf((int)b), z = leaf((int)c);\n"
	"  return x * y + z + vla((int)(a & 63) + 1);\n"
	"}\n"
	"int main(int argc, char **argv) {\n"
	"  (void)argv;\n"
	"  printf(\"%ld\\n\", pushes(argc, argc + 1, argc + 2));\n"
	"  return 0;\n"
	"}\n";

static int build(const char *out, const char *flags)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "gcc %s -o %s/%s %s/prog.c", flags, tmpdir, out, tmpdir);
	return run(cmd);
}

static void test_gcc(void)
{
	struct unwind_table t;
	char path[512];
	int rc;

	snprintf(path, sizeof(path), "%s/prog-O2", tmpdir);
	if (build("prog-O2", "-O2")) {
		CHECK("gcc -O2 builds the test program", 0);
		return;
	}
	rc = load(path, "/nonexistent", &t);
	CHECK("gcc -O2 program: a table", rc == 0);
	if (rc)
		return;
	check_shape("gcc -O2 program", &t);
	compare("gcc -O2 program", path, ".eh_frame", &t);
	CHECK("gcc -O2 program: the VLA's frame is UNWIND_CFA_RBP with rbp saved",
	      count_kind(&t, UNWIND_CFA_RBP) > 0);
	for (uint32_t i = 0; i < t.n_rows; i++)
		if ((t.rows[i].kind & UNWIND_KIND_MASK) == UNWIND_CFA_RBP) {
			CHECK("gcc -O2 program: rbp+16, caller's rbp at CFA-16",
			      t.rows[i].cfa_off == 16 && (t.rows[i].kind & UNWIND_RBP_SAVED) &&
			      t.rows[i].rbp_off == -16);
			break;
		}
	unwind_table_release(&t);
}

static int same_rows(const struct unwind_table *a, const struct unwind_table *b)
{
	return a->n_rows == b->n_rows && a->n_rows &&
	       !memcmp(a->rows, b->rows, a->n_rows * sizeof(*a->rows));
}

/* The index of a section, for patching its header. */
static size_t section_index(const char *path, const char *name)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	Elf_Scn *scn = NULL;
	size_t shstrndx, idx = 0;
	Elf *elf;

	if (fd < 0)
		return 0;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	while (elf && !idx && !elf_getshdrstrndx(elf, &shstrndx) && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *s;

		if (gelf_getshdr(scn, &sh) && (s = elf_strptr(elf, shstrndx, sh.sh_name)) &&
		    !strcmp(s, name))
			idx = elf_ndxscn(scn);
	}
	elf_end(elf);
	close(fd);
	return idx;
}

/*
 * Files whose code clang compiled may type .eh_frame SHT_X86_64_UNWIND
 * (Debian's libLLVM-14.so.1 does); the linkers here write PROGBITS for
 * anything small, so the test program's section header is patched.
 */
static void test_unwind_type(void)
{
	struct unwind_table want, got;
	Elf64_Ehdr eh;
	char path[512], *img;
	size_t len, idx;
	uint32_t type = SHT_X86_64_UNWIND;

	snprintf(path, sizeof(path), "%s/prog-O2", tmpdir);
	idx = section_index(path, ".eh_frame");
	if (!idx || read_whole(path, &img, &len) || load(path, "/nonexistent", &want)) {
		CHECK(".eh_frame typed SHT_X86_64_UNWIND: the test program", 0);
		return;
	}
	memcpy(&eh, img, sizeof(eh));
	if (eh.e_shoff + (idx + 1) * sizeof(Elf64_Shdr) <= len) {
		memcpy(img + eh.e_shoff + idx * sizeof(Elf64_Shdr) + offsetof(Elf64_Shdr, sh_type),
		       &type, sizeof(type));
		CHECK(".eh_frame typed SHT_X86_64_UNWIND: the rows of PROGBITS",
		      unwind_table_from_mem(img, len, &got) == 0 && same_rows(&want, &got));
		unwind_table_release(&got);
	} else {
		CHECK(".eh_frame typed SHT_X86_64_UNWIND: the test program's section headers", 0);
	}
	unwind_table_release(&want);
	free(img);
}

/* The header's first entry moved 4 bytes into its FDE: libdw would
 * parse instructions as an entry there; the table must refuse. */
static void test_bad_hdr(void)
{
	struct unwind_table t;
	Elf64_Ehdr eh;
	Elf64_Shdr sh;
	char path[512], *img;
	size_t len, idx;
	int32_t fde;

	snprintf(path, sizeof(path), "%s/prog-O2", tmpdir);
	idx = section_index(path, ".eh_frame_hdr");
	if (!idx || read_whole(path, &img, &len)) {
		CHECK("a header entry inside an FDE: the test program", 0);
		return;
	}
	memcpy(&eh, img, sizeof(eh));
	memcpy(&sh, img + eh.e_shoff + idx * sizeof(sh), sizeof(sh));
	CHECK("the test program's own header passes", unwind_table_from_mem(img, len, &t) == 0);
	unwind_table_release(&t);
	memcpy(&fde, img + sh.sh_offset + 16, 4);	/* entry 0: initial loc, FDE */
	fde += 4;
	memcpy(img + sh.sh_offset + 16, &fde, 4);
	CHECK("a header entry inside an FDE: -EINVAL", unwind_table_from_mem(img, len, &t) == -EINVAL);
	free(img);
}

/* A shared object of one function f, its body repeated n times. */
static int build_asm(const char *name, const char *body, int n)
{
	char src[512], cmd[1536];
	FILE *f;

	snprintf(src, sizeof(src), "%s/%s.s", tmpdir, name);
	if (!(f = fopen(src, "w")))
		return -1;
	fprintf(f, "\t.text\n\t.globl f\nf:\n\t.cfi_startproc\n\t.rept %d\n%s\t.endr\n"
		"\tret\n\t.cfi_endproc\n\t.section .note.GNU-stack,\"\",@progbits\n", n, body);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "gcc -shared -nostdlib -o %s/%s.so %s", tmpdir, name, src);
	return run(cmd);
}

static int load_asm(const char *name, struct unwind_table *t)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.so", tmpdir, name);
	return load(path, "/nonexistent", t);
}

/* Stack pushes and pops one byte apart: two rows a repetition. */
static const char push_pop[] =
	"\tnop\n\t.cfi_adjust_cfa_offset 8\n\tnop\n\t.cfi_adjust_cfa_offset -8\n";

/*
 * What libdw would take too long or too much memory over.  It replays a
 * function's CFI up to each row, so n rows cost n^2: the work limit
 * refuses a function of 40,000 rows (no compiler writes one; gcc's own
 * largest has 646).  It sizes its state by the largest register number
 * named and copies it per remember_state: those are bounded before
 * libdw sees them.
 */
static void test_crafted(void)
{
	struct unwind_table t;
	char path[512];
	int rc;

	if (build_asm("rows-2k", push_pop, 1000) || build_asm("rows-40k", push_pop, 20000) ||
	    build_asm("reg-300", "\tnop\n\t.cfi_offset 300, -16\n", 1) ||
	    build_asm("reg-130", "\tnop\n\t.cfi_offset 130, -16\n", 1) ||
	    build_asm("nest-40", "\tnop\n\t.cfi_remember_state\n", 40) ||
	    build_asm("nest-2", "\tnop\n\t.cfi_remember_state\n\tnop\n\t.cfi_restore_state\n", 2)) {
		CHECK("gcc assembles the crafted functions", 0);
		return;
	}
	rc = load_asm("rows-2k", &t);
	CHECK("a function of 2,000 rows: a table", rc == 0 && t.n_rows >= 2000);
	snprintf(path, sizeof(path), "%s/rows-2k.so", tmpdir);
	if (!rc)
		compare("a function of 2,000 rows", path, ".eh_frame", &t);
	unwind_table_release(&t);
	rc = load_asm("rows-40k", &t);
	CHECK("a function of 40,000 rows: -E2BIG, past the work limit", rc == -E2BIG && !t.rows);
	rc = load_asm("reg-130", &t);
	CHECK("a rule for DWARF register 130 (x86-64's last): a table", rc == 0);
	unwind_table_release(&t);
	rc = load_asm("reg-300", &t);
	CHECK("a rule for DWARF register 300: -EINVAL", rc == -EINVAL && !t.rows);
	rc = load_asm("nest-2", &t);
	CHECK("remember_state and restore_state twice: a table", rc == 0);
	unwind_table_release(&t);
	rc = load_asm("nest-40", &t);
	CHECK("remember_state nested 40 deep: -EINVAL", rc == -EINVAL && !t.rows);
}

/* The build-id as readelf -n prints it, into hex. */
static int build_id(const char *path, char *hex, size_t sz)
{
	char cmd[1024], line[512];
	int ok = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "LC_ALL=C readelf -n '%s' 2>/dev/null", path);
	if (!(p = popen(cmd, "r")))
		return 0;
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, " Build ID: %127[0-9a-f]", hex) == 1 && strlen(hex) >= 4 &&
		    strlen(hex) < sz)
			ok = 1;
	pclose(p);
	return ok;
}

/*
 * gcc -g -fno-asynchronous-unwind-tables puts the program's CFI in
 * .debug_frame only; with .eh_frame (crt's) removed, the table must come
 * from the file's own .debug_frame, and once that is split off with
 * objcopy --only-keep-debug, from the debug file's by build-id.
 */
static void test_debug_frame(void)
{
	struct unwind_table own, dbg, none;
	char cmd[2048], id[128], ddir[512], dfile[768], path[512];
	uint64_t lo, hi;
	int rc;

	if (!have_objcopy || !have_readelf) {
		skip(".debug_frame fallbacks", "no objcopy or readelf");
		return;
	}
	if (build("prog-g", "-O2 -g -fno-asynchronous-unwind-tables")) {
		CHECK("gcc -g -fno-asynchronous-unwind-tables builds the test program", 0);
		return;
	}
	snprintf(path, sizeof(path), "%s/prog-g", tmpdir);
	if (!elf_info(path, ".debug_frame", &lo, &hi) || !build_id(path, id, sizeof(id))) {
		skip(".debug_frame fallbacks", "gcc wrote no .debug_frame or no build-id");
		return;
	}
	snprintf(ddir, sizeof(ddir), "%s/debug", tmpdir);
	snprintf(dfile, sizeof(dfile), "%s/.build-id/%.2s/%s.debug", ddir, id, id + 2);
	snprintf(cmd, sizeof(cmd),
		 "cd %s && objcopy -R .eh_frame -R .eh_frame_hdr prog-g prog-own && "
		 "objcopy --only-keep-debug prog-g prog-g.debug && "
		 "objcopy --strip-debug -R .eh_frame -R .eh_frame_hdr prog-g prog-stripped && "
		 "mkdir -p %s/.build-id/%.2s && mv prog-g.debug %s",
		 tmpdir, ddir, id, dfile);
	if (run(cmd)) {
		CHECK("objcopy splits the test program", 0);
		return;
	}
	snprintf(path, sizeof(path), "%s/prog-own", tmpdir);
	rc = load(path, "/nonexistent", &own);
	CHECK("no .eh_frame: a table from the file's own .debug_frame", rc == 0);
	if (!rc) {
		check_shape("own .debug_frame", &own);
		compare("own .debug_frame", path, ".debug_frame", &own);
	}
	snprintf(path, sizeof(path), "%s/prog-stripped", tmpdir);
	rc = load(path, ddir, &dbg);
	CHECK("no CFI at all: a table from the debug file's .debug_frame", rc == 0);
	if (!rc) {
		compare("debug file's .debug_frame", dfile, ".debug_frame", &dbg);
		CHECK("the debug file gives the rows the file's own .debug_frame gave",
		      same_rows(&own, &dbg));
	}
	rc = load(path, "/nonexistent", &none);
	CHECK("no CFI and no debug file: -ENOENT", rc == -ENOENT && !none.rows);
	unwind_table_release(&own);
	unwind_table_release(&dbg);
}

static void test_errors(void)
{
	static const char junk[64] = "\177ELF but not really an ELF file at all, no";
	struct unwind_table t = { 0 };
	char path[512], *img;
	size_t len;
	int fd;

	CHECK("not an ELF image: -EINVAL", unwind_table_from_mem("hello, world", 12, &t) == -EINVAL);
	CHECK("a broken ELF header: -EINVAL", unwind_table_from_mem(junk, sizeof(junk), &t) == -EINVAL);
	CHECK("no image: -EINVAL", unwind_table_from_mem(NULL, 100, &t) == -EINVAL);
	fd = open("/", O_RDONLY | O_DIRECTORY);
	CHECK("a directory: -EINVAL", fd >= 0 && unwind_table_from_fd(fd, &t) == -EINVAL);
	if (fd >= 0)
		close(fd);
	CHECK("lookup in an empty table: NULL", !unwind_table_lookup(&t, 0x1000));
	snprintf(path, sizeof(path), "%s/prog-O2", tmpdir);
	if (!have_gcc || read_whole(path, &img, &len)) {
		skip("another machine's ELF: -ENOENT", "no test program");
		return;
	}
	img[18] = (char)183;	/* e_machine: EM_AARCH64 */
	img[19] = 0;
	CHECK("another machine's ELF: -ENOENT", unwind_table_from_mem(img, len, &t) == -ENOENT);
	free(img);
}

int main(void)
{
	char cmd[512];
	FILE *f;

	setvbuf(stdout, NULL, _IOLBF, 0);
	have_readelf = have("readelf");
	have_gcc = have("gcc");
	have_objcopy = have("objcopy");
	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return 1;
	}
	test_libc();
	test_signal();
	test_ldso();
	test_python();
	snprintf(cmd, sizeof(cmd), "%s/prog.c", tmpdir);
	if (have_gcc && (f = fopen(cmd, "w"))) {
		fputs(prog_src, f);
		fclose(f);
		test_gcc();
		test_unwind_type();
		test_crafted();
		test_bad_hdr();
		test_debug_frame();
	} else {
		skip("tables of programs gcc builds", "no gcc");
	}
	test_errors();
	timed("libc.so.6", LIBC);
	timed("ld.so", LDSO);
	timed("python3.11", PYTHON);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	if (system(cmd))
		printf("INFO: could not remove %s\n", tmpdir);
	return check_summary();
}
