/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Writes the small, deterministic data files that report and script are
 * tested against (testsuite/data/).  Usage: make-golden DIR
 *
 *   callchain.data  the "50/30/20" profile: prog's main calls func_a,
 *                   func_b and func_c, which call leaf; 1000 samples
 *                   split 500/300/200, ten of func_a's in the kernel
 *   nochain.data    the same profile recorded without call chains
 *   multi.data      two processes, one with a named second thread, lost
 *                   samples, an unresolved address, an unmapped one, a
 *                   kernel module symbol and the vDSO, in two blocks
 *   variant.data    callchain.data's program with the split moved to
 *                   40/40/20, for diff
 *   phases.data     two threads in turn at 100 Hz: 5 s of func_a on CPU 0
 *                   from 0.5 s after the recording's start, then 5 s of
 *                   func_b on CPU 1, for --time and timelines
 *   counted.data    callchain.data's profile counted in the kernel
 *                   (record --aggregate, version 1.4): two 5 s intervals,
 *                   the second of them by a second thread, and samples
 *                   lost to stack collisions
 *   names.data      names that XML, JSON, protobuf and folded stacks must
 *                   escape: markup, quotes, ';', blanks, control bytes,
 *                   invalid UTF-8, a 300-byte symbol
 *
 *   callchain2.data, multi2.data, counted2.data
 *                   the same as version 2.0 files: each must read as
 *                   its 1.x twin does
 *
 * Nothing here depends on the machine: names, addresses and times are
 * made up, so the expected outputs never change.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "data/datafile.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define TICK_NS 10101010ull	/* 99 Hz */

/* Kernel addresses shared by the files. */
#define K_ASM_SYSVEC	0xffffffff82000e00ull
#define K_IRQ_EXIT	0xffffffff81100000ull
#define K_SOFTIRQS	0xffffffff81101000ull
#define K_DO_SYSCALL	0xffffffff81000100ull
#define K_ENTRY_SYSCALL	0xffffffff82000000ull
#define K_VFS_WRITE	0xffffffff81200000ull
#define K_EXT4_WRITE	0xffffffffc0100000ull

/* Set: write version 2.0 (stacks against earlier ones, samples in columns). */
static bool v2;

static int new_writer(struct df_writer **w, int fd, uint16_t minor)
{
	return v2 ? df_writer_new_v2(w, fd) : df_writer_new_minor(w, fd, minor);
}

static int check(int err, const char *what)
{
	if (err) {
		fprintf(stderr, "make-golden: %s: %s\n", what, strerror(-err));
		exit(1);
	}
	return 0;
}

static void meta(struct df_writer *w, const char *cmdline, const char *cg,
		 const char *start_monotonic)
{
	static const char *const kv[][2] = {
		{ DF_META_HOSTNAME, "golden" },
		{ DF_META_OS_RELEASE, "6.1.0-golden-amd64" },
		{ DF_META_ARCH, "x86_64" },
		{ DF_META_NR_CPUS_ONLINE, "2" },
		{ DF_META_NR_CPUS_AVAIL, "4" },
		{ DF_META_CPU_DESC, "Golden Test CPU @ 2.00GHz" },
		{ DF_META_TOTAL_MEM, "16384000 kB" },
		{ DF_META_EVENT, "cpu-clock" },
		{ DF_META_FREQUENCY, "99" },
		{ DF_META_START_TIME, "1700000000000000000" },
		{ DF_META_TOOL_VERSION, "0.1.0" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(kv); i++)
		check(df_write_meta(w, kv[i][0], kv[i][1]), "meta");
	check(df_write_meta(w, DF_META_CMDLINE, cmdline), "meta");
	check(df_write_meta(w, DF_META_CALL_GRAPH, cg), "meta");
	if (start_monotonic)
		check(df_write_meta(w, DF_META_START_MONOTONIC, start_monotonic), "meta");
}

static void comm(struct df_writer *w, uint32_t kind, uint32_t pid, uint32_t tid,
		 const char *name)
{
	struct df_task t = { .kind = kind, .pid = pid, .tid = tid };

	snprintf(t.comm, sizeof(t.comm), "%s", name);
	check(df_write_task(w, &t), "task");
}

static void dso(struct df_writer *w, uint32_t id, uint32_t flags, const char *path)
{
	uint8_t bid[20];
	struct df_dso d = { .dso_id = id, .flags = flags, .path = path };

	for (size_t i = 0; i < sizeof(bid); i++)
		bid[i] = (uint8_t)(id * 16 + i);
	if (!(flags & DF_DSO_KERNEL)) {
		d.build_id = bid;
		d.build_id_len = sizeof(bid);
	}
	check(df_write_dso(w, &d), "dso");
}

static void map(struct df_writer *w, uint32_t pid, uint64_t start, uint64_t len,
		uint64_t pgoff, uint32_t id)
{
	struct df_mmap m = {
		.pid = pid, .start = start, .len = len, .pgoff = pgoff, .dso_id = id,
	};

	check(df_write_mmap(w, &m), "mmap");
}

static void syms(struct df_writer *w, uint32_t id, const struct df_symbol *s, size_t n)
{
	check(df_write_symbols(w, id, s, n), "symbols");
}

static void stack(struct df_writer *w, uint32_t id, const uint64_t *k, uint16_t nk,
		  const uint64_t *u, uint16_t nu)
{
	uint64_t ips[DF_MAX_FRAMES];

	if (nk)
		memcpy(ips, k, nk * sizeof(*k));
	if (nu)
		memcpy(ips + nk, u, nu * sizeof(*u));
	check(df_write_stack(w, id, ips, nk, nu), "stack");
}

static uint64_t now_ns = 1000000000000ull;	/* CLOCK_MONOTONIC: 1000 s */
static uint64_t tick_ns = TICK_NS;

static void sample(struct df_writer *w, uint32_t pid, uint32_t tid, uint32_t cpu,
		   uint32_t stack_id)
{
	struct df_sample s = {
		.time_ns = now_ns, .pid = pid, .tid = tid, .cpu = cpu,
		.stack_id = stack_id, .weight = 1,
	};

	now_ns += tick_ns;
	check(df_write_sample(w, &s), "sample");
}

static void finish(struct df_writer *w, uint64_t samples, uint64_t lost)
{
	struct df_end e = {
		.samples = samples, .lost = lost, .flags = DF_END_FINISHED,
		.duration_ns = samples * TICK_NS,
	};

	check(df_writer_finish(w, &e), "end");
	df_writer_free(w);
}

/* ---- the 50/30/20 profile ---------------------------------------------- */

#define PROG_BASE	0x555555555000ull	/* maps ELF address 0x1000 */
#define PROG(a)		(PROG_BASE + (a) - 0x1000)

static void prog_sideband(struct df_writer *w, bool callchain)
{
	static const struct df_symbol user[] = {
		{ 0x1100, 0x40, "leaf" }, { 0x1140, 0x40, "main" },
		{ 0x1180, 0x20, "func_a" }, { 0x11a0, 0x20, "func_b" },
		{ 0x11c0, 0x20, "func_c" },
	};
	static const struct df_symbol kernel[] = {
		{ K_IRQ_EXIT, 0x100, "__irq_exit_rcu" },
		{ K_SOFTIRQS, 0x200, "handle_softirqs" },
		{ K_ASM_SYSVEC, 0x20, "asm_sysvec_apic_timer_interrupt" },
	};
	uint64_t a[] = { PROG(0x1119), PROG(0x118e), PROG(0x1152) };
	uint64_t b[] = { PROG(0x1119), PROG(0x11ae), PROG(0x1157) };
	uint64_t c[] = { PROG(0x1119), PROG(0x11ce), PROG(0x115c) };
	uint64_t k[] = { K_SOFTIRQS + 0x4c, K_IRQ_EXIT + 0x8d, K_ASM_SYSVEC + 0x1a };

	comm(w, DF_TASK_COMM, 100, 100, "prog");
	dso(w, 1, 0, "/usr/bin/prog");
	dso(w, 2, DF_DSO_KERNEL, "[kernel.kallsyms]");
	map(w, 100, PROG_BASE, 0x1000, 0x1000, 1);
	syms(w, 1, user, ARRAY_SIZE(user));
	syms(w, 2, kernel, ARRAY_SIZE(kernel));
	if (callchain) {
		stack(w, 1, NULL, 0, a, 3);
		stack(w, 2, NULL, 0, b, 3);
		stack(w, 3, NULL, 0, c, 3);
		stack(w, 4, k, 3, a, 3);
	} else {
		stack(w, 1, NULL, 0, a, 1);
		stack(w, 4, k, 1, NULL, 0);
	}
}

/*
 * Ten samples a round: five in func_a, three in func_b, two in func_c; or
 * in the variant four, four and two.
 */
static void prog_samples(struct df_writer *w, bool callchain, bool variant)
{
	static const uint32_t split[10] = { 1, 1, 1, 1, 1, 2, 2, 2, 3, 3 };
	static const uint32_t moved[10] = { 1, 1, 1, 1, 2, 2, 2, 2, 3, 3 };
	const uint32_t *round = variant ? moved : split;

	for (int i = 0; i < 1000; i++) {
		uint32_t id = round[i % 10];

		/* Every tenth round, func_a's first sample is in an interrupt. */
		if (i % 100 == 0)
			id = 4;
		else if (!callchain)
			id = 1;
		sample(w, 100, 100, (uint32_t)(i / 10) % 2, id);
	}
}

static void write_prog(int fd, bool callchain, bool variant)
{
	struct df_writer *w;

	check(new_writer(&w, fd, 0), "writer");
	meta(w, callchain ? "ebpf-tool record -g -- ./prog" : "ebpf-tool record -- ./prog",
	     callchain ? "fp" : "no", NULL);
	prog_sideband(w, callchain);
	prog_samples(w, callchain, variant);
	finish(w, 1000, 0);
}

/* ---- two phases ------------------------------------------------------- */

static void write_phases(int fd)
{
	struct df_writer *w;

	check(new_writer(&w, fd, 0), "writer");
	meta(w, "ebpf-tool record -g -F 100 -- ./prog", "fp", "1000000000000");
	check(df_write_meta(w, DF_META_FREQUENCY, "100"), "meta");
	prog_sideband(w, true);
	comm(w, DF_TASK_FORK, 100, 101, "");
	comm(w, DF_TASK_COMM, 100, 101, "prog-worker");
	now_ns = 1000500000000ull;
	tick_ns = 10000000;
	for (int i = 0; i < 1000; i++)
		sample(w, 100, i < 500 ? 100 : 101, i < 500 ? 0 : 1, i < 500 ? 1 : 2);
	tick_ns = TICK_NS;
	finish(w, 1000, 0);
}

/* ---- counted in the kernel ---------------------------------------------- */

static void write_counted(int fd)
{
	static const struct df_count first[] = {
		{ 100, 100, 1, 245 }, { 100, 100, 2, 150 }, { 100, 100, 3, 100 },
		{ 100, 100, 4, 5 },
	};
	static const struct df_count second[] = {
		{ 100, 101, 1, 250 }, { 100, 101, 2, 150 }, { 100, 101, 3, 100 },
	};
	struct df_writer *w;

	check(new_writer(&w, fd, DF_MINOR_AGGREGATE), "writer");
	meta(w, "ebpf-tool record -g --aggregate=5s -- ./prog", "fp", "1000000000000");
	prog_sideband(w, true);
	check(df_write_counts(w, 1000000000000ull, 5000000000ull, first, ARRAY_SIZE(first)),
	      "counts");
	check(df_writer_flush(w), "flush");
	comm(w, DF_TASK_FORK, 100, 101, "");
	comm(w, DF_TASK_COMM, 100, 101, "prog-worker");
	check(df_write_counts(w, 1005000000000ull, 5000000000ull, second, ARRAY_SIZE(second)),
	      "counts");
	check(df_write_lost(w, DF_LOST_STACK_COLLISION, 3), "lost");
	finish(w, 1000, 3);
}

/* ---- annotate: code in the file ----------------------------------------- */

/*
 * loop() at 0x1100 with its line rows, spin() at 0x1110 without (a
 * binary without debug information), main() with no code at all (left
 * out by the recorder).  The source path leads nowhere, so the listing
 * is file:line alone whatever the machine.
 */
static void write_code(int fd)
{
	static const uint8_t loop[] = {
		0x31, 0xc0,			/* 1100: xor %eax,%eax */
		0x48, 0x89, 0xfa,		/* 1102: mov %rdi,%rdx */
		0x48, 0x83, 0xc0, 0x01,		/* 1105: add $1,%rax */
		0x48, 0x39, 0xf0,		/* 1109: cmp %rsi,%rax */
		0x72, 0xf7,			/* 110c: jb 1105 */
		0xc3,				/* 110e: ret */
	};
	static const uint8_t spin[] = {
		0xf3, 0x90,			/* 1110: pause */
		0xeb, 0xfc,			/* 1112: jmp 1110 */
		0x06,				/* 1114: no instruction in 64-bit mode */
	};
	static const struct df_code_line rows[] = {
		{ 0x0, 1, 3 }, { 0x5, 1, 4 }, { 0x9, 1, 5 }, { 0xc, 1, 4 }, { 0xe, 1, 7 },
	};
	static const struct df_symbol user[] = {
		{ 0x1100, 0xf, "loop" }, { 0x1110, 0x5, "spin" }, { 0x1120, 0x20, "main" },
	};
	/* Samples at each offset of loop, then spin's, then main's. */
	static const struct { uint64_t addr; int n; } at[] = {
		{ 0x1100, 1 }, { 0x1105, 10 }, { 0x1109, 30 }, { 0x110c, 5 }, { 0x110e, 2 },
		{ 0x1110, 8 }, { 0x1112, 4 }, { 0x1130, 3 },
	};
	struct df_code c = { .dso_id = 1, .start = 0x1100, .bytes = loop, .len = sizeof(loop),
			     .lines = rows, .n_lines = ARRAY_SIZE(rows) };
	struct df_writer *w;
	uint64_t total = 0;

	check(df_writer_new_minor(&w, fd, DF_MINOR_CODE), "writer");
	meta(w, "ebpf-tool record -- ./loop", "no", NULL);
	comm(w, DF_TASK_COMM, 100, 100, "loop");
	dso(w, 1, 0, "/usr/bin/loop");
	map(w, 100, PROG_BASE, 0x1000, 0x1000, 1);
	syms(w, 1, user, ARRAY_SIZE(user));
	check(df_write_srcstr(w, 1, "/nonexistent/src/loop.c"), "srcstr");
	check(df_write_code(w, &c), "code");
	c = (struct df_code){ .dso_id = 1, .start = 0x1110, .bytes = spin, .len = sizeof(spin) };
	check(df_write_code(w, &c), "code");
	for (size_t i = 0; i < ARRAY_SIZE(at); i++) {
		uint64_t ip = PROG(at[i].addr);

		stack(w, (uint32_t)i + 1, NULL, 0, &ip, 1);
	}
	for (size_t i = 0; i < ARRAY_SIZE(at); i++)
		for (int k = 0; k < at[i].n; k++, total++)
			sample(w, 100, 100, 0, (uint32_t)i + 1);
	check(df_write_meta(w, DF_META_CODE_OMITTED, "1"), "meta");
	finish(w, total, 0);
}

/* ---- two processes ------------------------------------------------------ */

#define SRV(a)		(a)			/* not PIE: mapped at its addresses */
#define LIBC_S		0x7f0000000000ull	/* libc in server, ELF 0x26000 */
#define LIBC_C		0x7f1000000000ull	/* libc in client */
#define CLIENT_BASE	0x555555554000ull	/* maps ELF address 0 */
#define VDSO		0x7ffff7fc1000ull

static void multi_dsos(struct df_writer *w)
{
	static const struct df_symbol server[] = {
		{ 0x401000, 0x100, "main" }, { 0x401100, 0x200, "handle_request" },
		{ 0x401300, 0, "parse" }, { 0x401400, 0x100, "compress" },
	};
	static const struct df_symbol libc[] = {
		{ 0x26100, 0x80, "__libc_start_call_main" }, { 0x27000, 0x100, "memcpy" },
	};
	static const struct df_symbol client[] = {
		{ 0x1100, 0x80, "main" }, { 0x1200, 0x80, "send_loop" },
	};
	static const struct df_symbol kernel[] = {
		{ K_DO_SYSCALL, 0x100, "do_syscall_64" },
		{ K_VFS_WRITE, 0x200, "vfs_write" },
		{ K_ENTRY_SYSCALL, 0x80, "entry_SYSCALL_64" },
	};
	static const struct df_symbol ext4[] = {
		{ K_EXT4_WRITE, 0x400, "ext4_file_write_iter" },
	};
	static const struct df_symbol vdso[] = { { 0x700, 0x100, "__vdso_clock_gettime" } };

	dso(w, 1, 0, "/usr/sbin/server");
	dso(w, 2, 0, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	dso(w, 3, DF_DSO_KERNEL, "[kernel.kallsyms]");
	dso(w, 4, DF_DSO_KERNEL, "[ext4]");
	dso(w, 5, DF_DSO_VDSO, "[vdso]");
	dso(w, 6, 0, "/usr/bin/client");
	syms(w, 1, server, ARRAY_SIZE(server));
	syms(w, 2, libc, ARRAY_SIZE(libc));
	syms(w, 6, client, ARRAY_SIZE(client));
	syms(w, 3, kernel, ARRAY_SIZE(kernel));
	syms(w, 4, ext4, ARRAY_SIZE(ext4));
	syms(w, 5, vdso, ARRAY_SIZE(vdso));
}

static void multi_server(struct df_writer *w)
{
	uint64_t work[] = { LIBC_S + 0x1010, SRV(0x401420), SRV(0x401180) };
	uint64_t parse[] = { SRV(0x401310), SRV(0x401150), SRV(0x401020),
			     LIBC_S + 0x110 };
	uint64_t wr_k[] = { K_EXT4_WRITE + 0x40, K_VFS_WRITE + 0x99,
			    K_DO_SYSCALL + 0x50, K_ENTRY_SYSCALL + 0x6b };
	uint64_t wr_u[] = { LIBC_S + 0x1234, SRV(0x4011f0), SRV(0x401020) };
	uint64_t lost_k[] = { 0xffffffff81ffff00ull, K_ENTRY_SYSCALL + 0x6b };

	comm(w, DF_TASK_COMM, 200, 200, "server");
	map(w, 200, SRV(0x400000), 0x10000, 0x400000, 1);
	map(w, 200, LIBC_S, 0x100000, 0x26000, 2);
	stack(w, 10, NULL, 0, work, 3);
	stack(w, 11, NULL, 0, parse, 4);
	stack(w, 12, wr_k, 4, wr_u, 3);
	stack(w, 13, lost_k, 2, wr_u, 3);
	/* The second thread names itself before its first sample. */
	comm(w, DF_TASK_FORK, 200, 201, "");
	comm(w, DF_TASK_COMM, 200, 201, "worker");
	for (int i = 0; i < 40; i++)
		sample(w, 200, 201, 1, 10);
	for (int i = 0; i < 30; i++)
		sample(w, 200, 200, 0, 11);
	for (int i = 0; i < 15; i++)
		sample(w, 200, 200, 0, 12);
	for (int i = 0; i < 2; i++)
		sample(w, 200, 200, 0, 13);
}

static void multi_client(struct df_writer *w)
{
	uint64_t loop[] = { CLIENT_BASE + 0x1230, CLIENT_BASE + 0x1140,
			    LIBC_C + 0x110 };
	uint64_t lost[] = { 0xdeadbeefull, CLIENT_BASE + 0x1240, CLIENT_BASE + 0x1140 };
	uint64_t clock[] = { VDSO + 0x71a, CLIENT_BASE + 0x1250, CLIENT_BASE + 0x1140 };

	comm(w, DF_TASK_EXEC, 300, 300, "client");
	map(w, 300, CLIENT_BASE, 0x2000, 0, 6);
	map(w, 300, LIBC_C, 0x100000, 0x26000, 2);
	map(w, 300, VDSO, 0x2000, 0, 5);
	stack(w, 20, NULL, 0, loop, 3);
	stack(w, 21, NULL, 0, lost, 3);
	stack(w, 22, NULL, 0, clock, 3);
	for (int i = 0; i < 10; i++)
		sample(w, 300, 300, 1, 20);
	for (int i = 0; i < 5; i++)
		sample(w, 300, 300, 1, 21);
	for (int i = 0; i < 5; i++)
		sample(w, 300, 300, 0, 22);
}

static void write_multi(int fd)
{
	struct df_writer *w;

	check(new_writer(&w, fd, 0), "writer");
	meta(w, "ebpf-tool record -a -g", "fp", NULL);
	multi_dsos(w);
	multi_server(w);
	check(df_write_lost(w, DF_LOST_RINGBUF_FULL, 7), "lost");
	/* A second block, so that a cut file still has a complete one. */
	check(df_writer_flush(w), "flush");
	multi_client(w);
	check(df_write_lost(w, DF_LOST_STACK_TRUNCATED, 2), "lost");
	finish(w, 107, 9);
}

/* ---- hostile names ------------------------------------------------------ */

#define ODD_BASE	0x400000ull

static void write_names(int fd)
{
	static char longname[301];
	struct df_symbol odd[] = {
		{ 0x401000, 0x100, "main" },
		{ 0x401100, 0x100, "operator<<(std::ostream&, char const*) \"q\" 'a'" },
		{ 0x401200, 0x100, "semi;colon and blank" },
		{ 0x401300, 0x100, "ctl\001char\ttab" },
		{ 0x401400, 0x100, "bad\xff\xfeutf8 \xc3\xa9t\xc3\xa9 ]]> </script>" },
		{ 0x401500, 0x100, longname },
	};
	uint64_t st[] = { ODD_BASE + 0x1510, ODD_BASE + 0x1410, ODD_BASE + 0x1310,
			  ODD_BASE + 0x1210, ODD_BASE + 0x1110, ODD_BASE + 0x1010 };
	struct df_writer *w;

	memset(longname, 'x', sizeof(longname) - 1);
	check(new_writer(&w, fd, 0), "writer");
	meta(w, "ebpf-tool record -g -- ./odd", "fp", NULL);
	comm(w, DF_TASK_COMM, 400, 400, "we;ird <n\"me>");
	dso(w, 1, 0, "/opt/odd dir/odd&<bin>");
	map(w, 400, ODD_BASE, 0x10000, ODD_BASE, 1);
	syms(w, 1, odd, ARRAY_SIZE(odd));
	stack(w, 1, NULL, 0, st, ARRAY_SIZE(st));
	stack(w, 2, NULL, 0, st + 3, 3);
	for (int i = 0; i < 20; i++)
		sample(w, 400, 400, 0, i < 15 ? 1 : 2);
	finish(w, 20, 0);
}

static int create(const char *dir, const char *name)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "make-golden: cannot create '%s': %s\n", path,
			strerror(errno));
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	uint64_t counted_ns;
	int fd;

	if (argc != 2) {
		fprintf(stderr, "Usage: make-golden DIR\n");
		return 2;
	}
	fd = create(argv[1], "callchain.data");
	write_prog(fd, true, false);
	close(fd);
	fd = create(argv[1], "nochain.data");
	now_ns = 1000000000000ull;
	write_prog(fd, false, false);
	close(fd);
	fd = create(argv[1], "variant.data");
	now_ns = 1000000000000ull;
	write_prog(fd, true, true);
	close(fd);
	fd = create(argv[1], "phases.data");
	write_phases(fd);
	close(fd);
	fd = create(argv[1], "counted.data");
	counted_ns = now_ns;
	write_counted(fd);
	close(fd);
	fd = create(argv[1], "names.data");
	now_ns = 1000000000000ull;
	write_names(fd);
	close(fd);
	fd = create(argv[1], "code.data");
	now_ns = 1000000000000ull;
	write_code(fd);
	close(fd);
	fd = create(argv[1], "multi.data");
	now_ns = 1000000000000ull;
	write_multi(fd);
	if (close(fd)) {
		fprintf(stderr, "make-golden: close: %s\n", strerror(errno));
		return 1;
	}
	v2 = true;
	fd = create(argv[1], "callchain2.data");
	now_ns = 1000000000000ull;
	write_prog(fd, true, false);
	close(fd);
	fd = create(argv[1], "counted2.data");
	now_ns = counted_ns;
	write_counted(fd);
	close(fd);
	fd = create(argv[1], "multi2.data");
	now_ns = 1000000000000ull;
	write_multi(fd);
	if (close(fd)) {
		fprintf(stderr, "make-golden: close: %s\n", strerror(errno));
		return 1;
	}
	return 0;
}
