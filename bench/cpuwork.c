/*
 * Benchmark workload: CPU-bound, single-threaded, with varied and
 * deep-ish call stacks (4 to 24 frames under main) through 16 functions
 * called by pointer, so a sampler unwinds many distinct stacks.
 * Built with frame pointers.  It times its own work loop, so the start-up
 * of a profiler that launches it is not counted.
 *
 * Usage: cpuwork [-n ROUNDS | -t SECONDS] [-s SEED] [-p PATHS] [-k PERCENT]
 *                [-c COMM] [-o FILE]
 *   -n ROUNDS   a fixed amount of work (default 2000); prints the seconds
 *               it took ("%.6f\n") to FILE or stdout
 *   -t SECONDS  work for this long instead, print nothing
 *   -s SEED     picks the set of call paths (default 1)
 *   -p PATHS    distinct call paths walked in turn (default 256)
 *   -k PERCENT  time spent in system calls, for kernel stacks (default 0)
 *   -c COMM     the process name (prctl PR_SET_NAME)
 *   -C          calibrate: print the ROUNDS that take about one second
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define NFUNCS 16
#define MAX_DEPTH 24
#define LEAF_WORK 400

struct path {
	uint8_t depth;
	uint8_t fn[MAX_DEPTH];
};

typedef uint64_t (*step_fn)(const struct path *p, unsigned int level, uint64_t x);

static volatile uint64_t sink;
static step_fn steps[NFUNCS];

__attribute__((noinline)) static uint64_t leaf(uint64_t x)
{
	for (unsigned int i = 0; i < LEAF_WORK; i++)
		x = x * 6364136223846793005ull + 1442695040888963407ull;
	return x;
}

/* Each step does a little work of its own, calls the next, then uses the
 * result, so no call becomes a tail call and every frame stays visible. */
#define STEP(N)								\
__attribute__((noinline)) static uint64_t step_##N(const struct path *p, \
		unsigned int level, uint64_t x)				\
{									\
	uint64_t r;							\
	for (unsigned int i = 0; i < 8 * (N + 1); i++)			\
		x ^= x << 7, x ^= x >> 9;				\
	if (level + 1 < p->depth)					\
		r = steps[p->fn[level + 1]](p, level + 1, x);		\
	else								\
		r = leaf(x);						\
	sink += r;							\
	return r ^ (N);							\
}

STEP(0) STEP(1) STEP(2) STEP(3) STEP(4) STEP(5) STEP(6) STEP(7)
STEP(8) STEP(9) STEP(10) STEP(11) STEP(12) STEP(13) STEP(14) STEP(15)

static step_fn steps[NFUNCS] = {
	step_0, step_1, step_2, step_3, step_4, step_5, step_6, step_7,
	step_8, step_9, step_10, step_11, step_12, step_13, step_14, step_15,
};

static uint64_t rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A few system calls that keep the kernel busy for a while. */
__attribute__((noinline)) static void kernel_work(int fd, char *buf, size_t len)
{
	if (fd >= 0 && read(fd, buf, len) < 0)
		sink++;
	sink += (uint64_t)getppid();
}

/* One round: every path once. */
__attribute__((noinline)) static void round_once(const struct path *paths, unsigned int n,
						 int kpct, int fd, char *buf)
{
	for (unsigned int i = 0; i < n; i++) {
		sink += steps[paths[i].fn[0]](&paths[i], 0, i + 1);
		if (kpct && (int)(i % 100) < kpct)
			kernel_work(fd, buf, 16384);
	}
}

int main(int argc, char **argv)
{
	unsigned long rounds = 2000, npaths = 256;
	uint64_t seed = 1;
	double seconds = 0, t0, t1;
	const char *out = NULL;
	int kpct = 0, calibrate = 0, fd = -1, c;
	struct path *paths;
	static char buf[16384];

	while ((c = getopt(argc, argv, "n:t:s:p:k:c:o:C")) != -1) {
		switch (c) {
		case 'n': rounds = strtoul(optarg, NULL, 10); break;
		case 't': seconds = atof(optarg); break;
		case 's': seed = strtoull(optarg, NULL, 10); break;
		case 'p': npaths = strtoul(optarg, NULL, 10); break;
		case 'k': kpct = atoi(optarg); break;
		case 'c': prctl(PR_SET_NAME, optarg, 0, 0, 0); break;
		case 'o': out = optarg; break;
		case 'C': calibrate = 1; break;
		default:
			fprintf(stderr, "usage: cpuwork [-n ROUNDS | -t SECONDS] [-s SEED] "
				"[-p PATHS] [-k PERCENT] [-c COMM] [-o FILE] [-C]\n");
			return 2;
		}
	}
	if (!npaths || npaths > 1u << 20)
		npaths = 256;
	paths = calloc(npaths, sizeof(*paths));
	if (!paths)
		return 1;
	seed = seed * 0x9e3779b97f4a7c15ull + 1;
	for (unsigned long i = 0; i < npaths; i++) {
		paths[i].depth = 4 + rng(&seed) % (MAX_DEPTH - 3);
		for (unsigned int d = 0; d < paths[i].depth; d++)
			paths[i].fn[d] = rng(&seed) % NFUNCS;
	}
	if (kpct)
		fd = open("/dev/zero", O_RDONLY);

	if (calibrate) {
		unsigned long n = 0;

		t0 = now();
		while (now() - t0 < 0.5) {
			round_once(paths, npaths, kpct, fd, buf);
			n++;
		}
		printf("%lu\n", (unsigned long)(n / (now() - t0)));
		return 0;
	}
	t0 = now();
	if (seconds > 0) {
		while (now() - t0 < seconds)
			round_once(paths, npaths, kpct, fd, buf);
		return 0;
	}
	for (unsigned long r = 0; r < rounds; r++)
		round_once(paths, npaths, kpct, fd, buf);
	t1 = now();
	if (out) {
		FILE *f = fopen(out, "w");

		if (!f)
			return 1;
		fprintf(f, "%.6f\n", t1 - t0);
		return fclose(f) ? 1 : 0;
	}
	printf("%.6f\n", t1 - t0);
	return 0;
}
