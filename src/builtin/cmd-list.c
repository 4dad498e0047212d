/* ebpf-tool list: the events -e takes, and whether this machine has them. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "builtin/builtin.h"
#include "builtin/cmdline.h"
#include "record/counter.h"
#include "record/events.h"
#include "lib/util.h"

#define CMD "list"

static const char usage_text[] =
	"Usage: ebpf-tool list [hw|sw|tracepoint|probe] [FILTER]\n"
	"\n"
	"List the events 'ebpf-tool record -e' and 'ebpf-tool stat -e' take, marking\n"
	"those this machine does not support; FILTER keeps names containing it\n"
	"(a shell glob such as 'sched:*' matches whole names).\n";

static const struct cmd_option options[] = {
	CMD_OPTION_HELP,
};

/* Whether the kernel lets us count the event on this CPU (for us). */
static bool supported(uint32_t type, uint64_t config)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr), .type = type, .config = config, .disabled = 1,
		.exclude_kernel = 1, .exclude_hv = 1,
	};
	int fd = (int)syscall(__NR_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);

	if (fd < 0)
		return errno == EACCES || errno == EPERM;	/* there, but not for us */
	close(fd);
	return true;
}

static bool wanted(const char *name, const char *filter)
{
	if (!filter)
		return true;
	if (strpbrk(filter, "*?["))
		return !fnmatch(filter, name, 0);
	return strstr(name, filter) != NULL;
}

static void line(const char *name, const char *kind, bool ok)
{
	printf("  %-48s [%s]%s\n", name, kind, ok ? "" : " <not supported>");
}

static void list_table(const char *filter, bool hw)
{
	const struct event_desc *t;
	unsigned int n;

	t = event_table(&n);
	for (unsigned int i = 0; i < n; i++) {
		if (t[i].hardware != hw || !wanted(t[i].name, filter))
			continue;
		line(t[i].name, hw ? "Hardware event" : "Software event",
		     supported(t[i].type, t[i].config));
	}
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* sys:name of every tracepoint tracefs knows, sorted. */
static int list_tracepoints(const char *filter)
{
	const char *dir = tracefs_events_dir();
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0;
	struct dirent *sys, *ev;
	DIR *d, *sd;
	int err = 0;

	if (!dir) {
		cmd_warn(CMD, "no tracepoints listed: tracefs is not mounted");
		return 0;
	}
	d = opendir(dir);
	if (!d)
		return -errno;
	while (!err && (sys = readdir(d))) {
		if (sys->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, sys->d_name);
		sd = opendir(path);
		if (!sd)
			continue;
		while (!err && (ev = readdir(sd))) {
			char *name;

			if (ev->d_name[0] == '.' || !strcmp(ev->d_name, "enable") ||
			    !strcmp(ev->d_name, "filter") || ev->d_type == DT_REG)
				continue;
			if (asprintf(&name, "%s:%s", sys->d_name, ev->d_name) < 0) {
				err = -ENOMEM;
				break;
			}
			if (!wanted(name, filter)) {
				free(name);
				continue;
			}
			if (grow_array((void **)&names, &cap, n + 1, sizeof(*names))) {
				free(name);
				err = -ENOMEM;
				break;
			}
			names[n++] = name;
		}
		closedir(sd);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		if (!err)
			line(names[i], "Tracepoint event", true);
		free(names[i]);
	}
	free(names);
	return err;
}

int cmd_list(int argc, char **argv)
{
	const struct cmdline cl = { .cmd = CMD, .usage = usage_text, CMDLINE_OPTIONS(options) };
	const char *kind = NULL, *filter = NULL;
	int status = cmdline_parse(&cl, argc, argv);

	if (status)
		return cmdline_exit(status);
	if (optind < argc && (!strcmp(argv[optind], "hw") || !strcmp(argv[optind], "sw") ||
			      !strcmp(argv[optind], "tracepoint") || !strcmp(argv[optind], "probe")))
		kind = argv[optind++];
	if (optind < argc)
		filter = argv[optind++];
	if (optind < argc)
		return usage_error(CMD, "unexpected argument '%s'", argv[optind]);

	printf("\nList of pre-defined events (to be used in -e):\n\n");
	if (!kind || !strcmp(kind, "hw"))
		list_table(filter, true);
	if (!kind || !strcmp(kind, "sw")) {
		list_table(filter, false);
		if (wanted("offcpu-time", filter))
			printf("  %-48s [%s]\n", "offcpu-time", "Off-CPU time, record --off-cpu");
	}
	if ((!kind || !strcmp(kind, "probe")) && (wanted("kprobe:", filter) ||
						   wanted("kretprobe:", filter))) {
		printf("  %-48s [%s]\n", "kprobe:FUNCTION", "Kernel function entry, record only");
		printf("  %-48s [%s]\n", "kretprobe:FUNCTION", "Kernel function return, record only");
	}
	if (!kind || !strcmp(kind, "tracepoint"))
		status = list_tracepoints(filter);
	if (status) {
		cmd_error(CMD, "cannot list the tracepoints: %s", strerror(-status));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
