// SPDX-License-Identifier: GPL-2.0
/*
 * sluice-failinit: module load and namespace creation under allocation
 * failures (the debug kernel: fail-nth, dynamic debug; the knobs are set
 * by tests/vm/faults/failnth.sh).
 *
 *   sluice-failinit module PATH --bad REGEX [--samples N]
 *                   (the module not loaded; left unloaded)
 *   sluice-failinit netns --bad REGEX [--samples N]
 *                   (the module loaded, its pr_debug()s on)
 *
 * One request (finit_module of PATH; unshare(CLONE_NEWNET)) is made with
 * its n-th allocation failed (/proc/thread-self/fail-nth). Hundreds of
 * allocations are the kernel's own (the loader; every subsystem's part of
 * a namespace), some the module's: the kernel's log tells where a refusal
 * fell, before the module's part began (no "loading version" /
 * "namespace: setting up"), inside it (begun, not "version ... loaded" /
 * "namespace: ready") or after it (a later part failed: the module's exit
 * ran for a namespace or a load that did not happen). First 1 in
 * total/N allocations is failed, then every one from the last refusal
 * before the module's part to the first after it (module load, where
 * nothing after init refuses: to N past the last refusal inside).
 *
 * After each attempt: a refused request left nothing (module: not loaded,
 * no sluice family; namespace: still in ours); one that coped with the
 * failure works (the family answers, with no service and no connection)
 * and is undone (module unloaded; the new namespace left). A failure
 * inside the module's part must be refused, and module load must have
 * met some; a namespace's part copes with every single failure (its
 * tables are kvmalloc()ed: vmalloc stands in for a failed kmalloc), so
 * its sweep must have met a refusal after it instead.
 *
 * The kernel's log of each attempt is read here: anything in it that
 * --bad REGEX matches (the harness's pattern: KASAN, lockdep, WARNING, a
 * stack trace, ...) fails the sweep, except what an injected failure is
 * expected to print (read_log()); then the log is cleared, so that the
 * harness, which reads it after the test, does not see those. Leaks are
 * the script's to find (kmemleak).
 */
#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/klog.h>
#include <sys/syscall.h>

#include "info.h"
#include "nl.h"

#define ARMED_FAR (1U << 30)

struct kind {
	const char *name, *begin, *end;
};

static const struct kind module_kind = { "module load",
					 "sluice: loading version",
					 "sluice: version " };
static const struct kind netns_kind = { "namespace creation",
					"sluice: namespace: setting up",
					"sluice: namespace: ready" };

static const struct kind *kind;
static regex_t bad;
static const char *module_path;
static int nth_fd, kmsg_fd, home_ns;
static uint64_t home_cookie;

struct outcome {
	int err; /* the request's: 0 or a negative errno */
	unsigned int left; /* fail-nth after it: 0 if the failure was injected */
	int begun, done; /* the module's part began, ended */
};

static void die(const char *what)
{
	fprintf(stderr, "failinit: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void set_nth(unsigned int n)
{
	char b[16];
	int len = snprintf(b, sizeof(b), "%u", n);

	if (pwrite(nth_fd, b, len, 0) != len)
		die("/proc/thread-self/fail-nth");
}

static unsigned int disarm(void)
{
	char b[16] = "";

	if (pread(nth_fd, b, sizeof(b) - 1, 0) < 0)
		die("/proc/thread-self/fail-nth");
	set_nth(0);
	return strtoul(b, NULL, 10);
}

/*
 * The kernel's log since the last call (the first call: since it was last
 * cleared): the markers of the module's part; anything bad in it fails
 * the sweep, except a bare stack trace after an injected failure (what
 * the kernel prints of an allocation that failed: "page allocation
 * failure", "vmalloc error", "sysctl could not get directory", ...; a
 * WARNING, BUG, KASAN or lockdep report has a line of its own that fails)
 * and kmemleak's scan area (its own metadata, allocated beside the failed
 * one; the object is then scanned whole). The log cleared after.
 */
static void read_log(struct outcome *o, unsigned int nth, int injected)
{
	static char prev[8][256]; /* the records before, for the report */
	static unsigned int seen;
	char rec[8192], *text;
	int i;
	ssize_t n;

	for (;;) {
		n = read(kmsg_fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue; /* records overwritten: read on */
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0)
			die("/dev/kmsg");
		rec[n] = 0;
		text = strchr(rec, ';');
		if (!text)
			continue;
		if (strstr(text, kind->begin))
			o->begun = 1;
		if (strstr(text, kind->end))
			o->done = 1;
		if (!regexec(&bad, text, 0, NULL, 0) &&
		    !(injected && strstr(text, ";Call Trace:")) &&
		    !strstr(text, ";kmemleak: Cannot allocate a scan area")) {
			fprintf(stderr,
				"failinit: %s, allocation %u failed: the kernel's log says:\n",
				kind->name, nth);
			for (i = seen < 8 ? 0 : seen - 8; i < (int)seen; i++)
				fprintf(stderr, "  %s\n", prev[i % 8]);
			fprintf(stderr, "  %s", text + 1);
			exit(1);
		}
		snprintf(prev[seen++ % 8], sizeof(prev[0]), "%.*s",
			 (int)strcspn(text + 1, "\n"), text + 1);
	}
	if (klogctl(5 /* SYSLOG_ACTION_CLEAR */, NULL, 0) < 0)
		die("clearing the kernel's log");
}

/* The sluice family in the calling thread's namespace: 0, or why not. */
static int family_info(struct sluice_info *info)
{
	struct sluice_nl nl;
	int e = sluice_nl_open(&nl);

	if (!e) {
		e = sluice_get_info(&nl, info);
		sluice_nl_close(&nl);
	}
	return e;
}

static void attempt(unsigned int nth, struct outcome *o)
{
	int fd = -1;

	memset(o, 0, sizeof(*o));
	if (module_path) {
		fd = open(module_path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die(module_path);
	}
	set_nth(nth);
	if (fd >= 0 ? syscall(SYS_finit_module, fd, "dyndbg=+p", 0) :
		      unshare(CLONE_NEWNET))
		o->err = -errno;
	o->left = disarm();
	if (fd >= 0)
		close(fd);
	read_log(o, nth, !o->left);
}

/* Nothing of a refused request, or a request done that works, undone. */
static void check(unsigned int nth, const struct outcome *o)
{
	struct sluice_info info;
	int e;

	if (o->begun && !o->done && !o->err) {
		fprintf(stderr,
			"failinit: %s, allocation %u failed: the module's part did not end, yet the request succeeded\n",
			kind->name, nth);
		exit(1);
	}
	if (o->err) {
		if (module_path) {
			e = family_info(&info);
			if (e != -ENOENT ||
			    !access("/sys/module/sluice", F_OK)) {
				fprintf(stderr,
					"failinit: module load, allocation %u failed (%s): the module or its family is left\n",
					nth, strerror(-o->err));
				exit(1);
			}
		} else if (family_info(&info) ||
			   info.netns_cookie != home_cookie) {
			fprintf(stderr,
				"failinit: namespace creation, allocation %u failed (%s): not in the first namespace any more\n",
				nth, strerror(-o->err));
			exit(1);
		}
		return;
	}
	e = family_info(&info);
	if (e || info.services || info.conns ||
	    (!module_path && info.netns_cookie == home_cookie)) {
		fprintf(stderr,
			"failinit: %s, allocation %u failed, the request done: the family %s\n",
			kind->name, nth,
			e ? strerror(-e) :
			    "answers with state, or from the first namespace");
		exit(1);
	}
	if (module_path ? syscall(SYS_delete_module, "sluice", O_NONBLOCK) :
			  setns(home_ns, CLONE_NEWNET))
		die(module_path ? "unloading the module" :
				  "back to the first namespace");
}

struct tally {
	long before, inside, after, coped;
};

/* A refused attempt by where its failure fell; one that coped, counted. */
static void count(struct tally *t, const struct outcome *o)
{
	if (!o->err)
		t->coped++;
	else if (!o->begun)
		t->before++;
	else if (!o->done)
		t->inside++;
	else
		t->after++;
}

int main(int argc, char **argv)
{
	unsigned int total, step, n, lo = 0, hi = 0, last = 0;
	time_t start = time(NULL);
	struct tally spread = {}, dense = {};
	struct sluice_info info;
	struct outcome o;
	const char *pattern = NULL;
	long samples = 32;
	int i = 2, bounded;

	if (argc >= 3 && !strcmp(argv[1], "module")) {
		kind = &module_kind;
		module_path = argv[2];
		i = 3;
	} else if (argc >= 2 && !strcmp(argv[1], "netns")) {
		kind = &netns_kind;
	} else {
		i = argc + 1;
	}
	for (; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--samples"))
			samples = atol(argv[i + 1]);
		else if (!strcmp(argv[i], "--bad"))
			pattern = argv[i + 1];
		else
			break;
	}
	if (i != argc || samples < 2 || !pattern ||
	    regcomp(&bad, pattern, REG_EXTENDED | REG_NOSUB)) {
		fprintf(stderr,
			"usage: %s module PATH | netns, then --bad REGEX [--samples N]\n",
			argv[0]);
		return 2;
	}
	nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0)
		die("/proc/thread-self/fail-nth (CONFIG_FAULT_INJECTION)");
	/* From the last clear (the harness's, before the test) on. */
	kmsg_fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kmsg_fd < 0 || lseek(kmsg_fd, 0, SEEK_DATA) < 0)
		die("/dev/kmsg");
	home_ns = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home_ns < 0)
		die("/proc/thread-self/ns/net");
	if (!module_path) {
		if (family_info(&info)) {
			fprintf(stderr,
				"failinit: netns: the module is not loaded\n");
			return 2;
		}
		home_cookie = info.netns_cookie;
	}

	/* The request with nothing failed: how many allocations it makes. */
	attempt(ARMED_FAR, &o);
	if (o.err || !o.begun || !o.done) {
		fprintf(stderr,
			"failinit: %s with nothing failed: %s (markers: begun %d, ended %d; are the pr_debug()s on?)\n",
			kind->name, o.err ? strerror(-o.err) : "succeeded",
			o.begun, o.done);
		return 1;
	}
	total = ARMED_FAR - o.left;
	check(0, &o);

	/*
	 * Failures spread over the whole request; lo: the last refused before
	 * the module's part; hi: the first refused after it.
	 */
	step = total / samples > 1 ? total / samples : 1;
	for (n = 1; n <= total + step; n += step) {
		attempt(n, &o);
		check(n, &o);
		if (o.left)
			break; /* fewer allocations this time: nothing failed */
		count(&spread, &o);
		if (o.err && (!o.begun || !o.done)) {
			lo = o.begun ? lo : n;
			last = n;
			hi = 0;
		} else if (o.err && !hi) {
			hi = n;
		}
	}
	/*
	 * Every allocation from lo to hi (one that coped may fall before,
	 * inside or after the module's part: the log cannot tell). Without a
	 * refusal after the module's part (module load: the loader's work
	 * after init copes with every failure), up to a step past the last
	 * refusal inside it.
	 */
	bounded = hi != 0;
	if (!bounded)
		hi = last + step;
	for (n = lo + 1; n < hi; n++) {
		if ((n - 1) % step == 0)
			continue; /* sampled above */
		attempt(n, &o);
		check(n, &o);
		if (o.left)
			break;
		count(&dense, &o);
		if (!bounded && o.err && o.begun && !o.done && n + step > hi)
			hi = n + step;
	}
	if (kind == &module_kind ? !spread.inside && !dense.inside :
				   !spread.after && !dense.after) {
		fprintf(stderr,
			"failinit: %s: no failure %s (allocations %u-%u swept)\n",
			kind->name,
			kind == &module_kind ? "fell inside the module's part" :
					       "fell after the module's part",
			lo + 1, hi - 1);
		return 1;
	}
	printf("failinit: %s, %u allocations; 1 in %u failed: %ld refused (%ld before the module's part, %ld inside, %ld after), %ld coped; then each of %u-%u failed: %ld refused (%ld before, %ld inside, %ld after), %ld coped; %ld s\n",
	       kind->name, total, step,
	       spread.before + spread.inside + spread.after, spread.before,
	       spread.inside, spread.after, spread.coped, lo + 1, hi - 1,
	       dense.before + dense.inside + dense.after, dense.before,
	       dense.inside, dense.after, dense.coped,
	       (long)(time(NULL) - start));
	return 0;
}
