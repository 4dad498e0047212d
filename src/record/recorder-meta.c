#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#include "record/recorder-meta.h"
#include "lib/util.h"

/* The value of "key : value" in a /proc file such as cpuinfo, or "". */
static void proc_field(const char *path, const char *key, char *out, size_t size)
{
	static char buf[65536];
	char *p, *end;

	out[0] = '\0';
	if (read_file_str(path, buf, sizeof(buf)) < 0)
		return;
	for (p = buf; (p = strstr(p, key)); p++) {
		if (p != buf && p[-1] != '\n')
			continue;
		p = strchr(p, ':');
		if (!p)
			return;
		p++;
		p += strspn(p, " \t");
		end = strchr(p, '\n');
		snprintf(out, size, "%.*s", end ? (int)(end - p) : (int)strlen(p), p);
		return;
	}
}

static int put_u64(struct df_writer *w, const char *key, uint64_t v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return df_write_meta(w, key, buf);
}

int recorder_write_meta(struct df_writer *w, const struct sample_args *a, const char *call_graph,
			const char *cmdline, const char *event)
{
	struct cpuset online, possible;
	struct timespec now;
	struct utsname u;
	char cpu[256], mem[64];
	int err;

	if (uname(&u))
		return -errno;
	clock_gettime(CLOCK_REALTIME, &now);
	proc_field("/proc/cpuinfo", "model name", cpu, sizeof(cpu));
	proc_field("/proc/meminfo", "MemTotal", mem, sizeof(mem));
	if (cpuset_online(&online) || cpuset_possible(&possible))
		return -EIO;

	err = df_write_meta(w, DF_META_HOSTNAME, u.nodename);
	err = err ?: df_write_meta(w, DF_META_OS_RELEASE, u.release);
	err = err ?: df_write_meta(w, DF_META_ARCH, u.machine);
	err = err ?: put_u64(w, DF_META_NR_CPUS_ONLINE, cpuset_count(&online));
	err = err ?: put_u64(w, DF_META_NR_CPUS_AVAIL, cpuset_count(&possible));
	err = err ?: df_write_meta(w, DF_META_CPU_DESC, cpu);
	err = err ?: df_write_meta(w, DF_META_TOTAL_MEM, mem);
	err = err ?: df_write_meta(w, DF_META_CMDLINE, cmdline);
	err = err ?: df_write_meta(w, DF_META_EVENT, event);
	err = err ?: put_u64(w, DF_META_FREQUENCY, a->freq);
	err = err ?: put_u64(w, DF_META_START_TIME,
			     (uint64_t)now.tv_sec * 1000000000ull + now.tv_nsec);
	err = err ?: put_u64(w, DF_META_START_MONOTONIC, monotonic_ns());
	err = err ?: df_write_meta(w, DF_META_TOOL_VERSION, PACKAGE_VERSION);
	err = err ?: df_write_meta(w, DF_META_CALL_GRAPH, call_graph);
	return err;
}
