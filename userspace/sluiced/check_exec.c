// SPDX-License-Identifier: GPL-2.0
/*
 * Command probes: /bin/sh -c COMMAND in a session (and process group) of
 * its own, stdin/stdout/stderr on /dev/null, with the target in its
 * environment (SLUICE_CHECK_ADDR, _PORT, and _VIP, _VPORT when the target
 * has a VIP). Exit status 0 passes.
 *
 * The engine waits on a pidfd (no SIGCHLD handler, no race with anyone's
 * waitpid() of other children). When the shell exits, its group is killed
 * (what it left running in the background goes too) and it is reaped; at
 * the timeout the group is killed and the shell is handed to the engine's
 * zombie list, reaped by a later turn of the loop once it has died: the
 * loop never waits for a process. Without pidfd_open() (kernels before
 * 5.3, valgrind 3.19) the engine looks every HC_EXEC_POLL_MS instead.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <unistd.h>
#include "check_int.h"

extern char **environ;

#define ENV_PREFIX "SLUICE_CHECK_"

static bool no_pidfd; /* pidfd_open() said ENOSYS */

/* The caller's environment without SLUICE_CHECK_*, then @add. */
static char **make_env(char *const *add, size_t nadd)
{
	size_t n = 0, i, j = 0;
	char **env;

	while (environ && environ[n])
		n++;
	env = calloc(n + nadd + 1, sizeof(*env));
	if (!env)
		return NULL;
	for (i = 0; i < n; i++)
		if (strncmp(environ[i], ENV_PREFIX, strlen(ENV_PREFIX)))
			env[j++] = environ[i];
	for (i = 0; i < nadd; i++)
		env[j++] = add[i];
	return env;
}

static int spawn(struct hc_probe *p, pid_t *pid)
{
	static const int sigs[] = { SIGPIPE, SIGCHLD, SIGHUP,  SIGINT,
				    SIGTERM, SIGQUIT, SIGUSR1, SIGUSR2,
				    SIGALRM, SIGTSTP, SIGTTIN, SIGTTOU };
	const struct hc_target *t = &p->target;
	char addr[64], port[32], vip[64], vport[32];
	char a[INET6_ADDRSTRLEN];
	char *argv[] = { "sh", "-c", p->spec->command, NULL };
	char *add[4] = { addr, port, vip, vport };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, dfl;
	char **env;
	size_t i;
	int err;

	hc_addr_str(t->af, t->addr, a, sizeof(a));
	snprintf(addr, sizeof(addr), ENV_PREFIX "ADDR=%s", a);
	snprintf(port, sizeof(port), ENV_PREFIX "PORT=%u", t->port);
	hc_addr_str(t->vip_af, t->vip, a, sizeof(a));
	snprintf(vip, sizeof(vip), ENV_PREFIX "VIP=%s", a);
	snprintf(vport, sizeof(vport), ENV_PREFIX "VPORT=%u", t->vport);
	env = make_env(add, t->vip_af ? 4 : 2);
	if (!env)
		return ENOMEM;

	sigemptyset(&none);
	sigemptyset(&dfl);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&dfl, sigs[i]);
	err = posix_spawnattr_init(&attr);
	if (err)
		goto out_env;
	err = posix_spawn_file_actions_init(&fa);
	if (err)
		goto out_attr;
	err = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID |
						      POSIX_SPAWN_SETSIGMASK |
						      POSIX_SPAWN_SETSIGDEF);
	err = err ?: posix_spawnattr_setsigmask(&attr, &none);
	err = err ?: posix_spawnattr_setsigdefault(&attr, &dfl);
	err = err   ?:
		      posix_spawn_file_actions_addopen(&fa, 0, "/dev/null",
						       O_RDONLY, 0);
	err = err   ?:
		      posix_spawn_file_actions_addopen(&fa, 1, "/dev/null",
						       O_WRONLY, 0);
	err = err ?: posix_spawn_file_actions_adddup2(&fa, 1, 2);
	err = err ?: posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	err = err ?: posix_spawn(pid, "/bin/sh", &fa, &attr, argv, env);
	posix_spawn_file_actions_destroy(&fa);
out_attr:
	posix_spawnattr_destroy(&attr);
out_env:
	free(env);
	return err;
}

int hc_exec_start(struct hc_probe *p)
{
	siginfo_t si;
	pid_t pid;
	int err, fd;

	p->zombie = calloc(1, sizeof(*p->zombie));
	if (!p->zombie) {
		hc_run_fail_errno(p, "start", ENOMEM);
		return -1;
	}
	if (!p->spec->command) {
		hc_run_done(p, false, "no command");
		return -1;
	}
	err = spawn(p, &pid);
	if (err) {
		hc_run_fail_errno(p, "spawn", err);
		return -1;
	}
	fd = no_pidfd ? -1 : pidfd_open(pid, 0);
	if (fd < 0 && (no_pidfd || errno == ENOSYS)) {
		no_pidfd = true; /* the engine polls (and asks no more) */
	} else if (fd < 0) {
		/* Rare (out of fds): end it now, waiting for the kill. */
		err = errno;
		kill(-pid, SIGKILL);
		waitid(P_PID, pid, &si, WEXITED);
		hc_run_fail_errno(p, "pidfd_open", err);
		return -1;
	}
	/* pidfds are close-on-exec. */
	p->pid = pid;
	p->fd = fd;
	p->events = fd >= 0 ? CURL_WAIT_POLLIN : 0;
	return 0;
}

/*
 * Has @pid exited? Then its group is killed (what it left behind), it is
 * reaped and 1 returned with its status in @si.
 */
static int reap(pid_t pid, int pidfd, siginfo_t *si)
{
	idtype_t type = pidfd >= 0 ? P_PIDFD : P_PID;
	id_t id = pidfd >= 0 ? (id_t)pidfd : (id_t)pid;

	memset(si, 0, sizeof(*si));
	if (waitid(type, id, si, WEXITED | WNOHANG | WNOWAIT))
		return -1;
	if (!si->si_pid)
		return 0;
	/* Unreaped, its pid (and group id) cannot have been reused. */
	kill(-pid, SIGKILL);
	memset(si, 0, sizeof(*si));
	if (waitid(type, id, si, WEXITED | WNOHANG))
		return -1;
	return 1;
}

void hc_exec_events(struct hc_probe *p, short revents)
{
	siginfo_t si;
	int rc;

	(void)revents;
	rc = reap(p->pid, p->fd, &si);
	if (rc < 0) {
		hc_run_fail_errno(p, "waitid", errno);
		return;
	}
	if (!rc)
		return;
	p->pid = 0;
	if (si.si_code == CLD_EXITED && si.si_status == 0)
		hc_run_done(p, true, NULL);
	else if (si.si_code == CLD_EXITED)
		hc_run_done(p, false, "exit status %d", si.si_status);
	else
		hc_run_done(p, false, "killed by signal %d (%s)", si.si_status,
			    strsignal(si.si_status));
}

void hc_exec_stop(struct hc_probe *p)
{
	struct hc_engine *e = p->e;
	struct hc_zombie *z = p->zombie;

	p->zombie = NULL;
	if (p->pid > 0) {
		kill(-p->pid, SIGKILL);
		z->pid = p->pid;
		z->pidfd = p->fd;
		z->next = e->zombies;
		e->zombies = z;
		p->pid = 0;
		p->fd = -1;
		z = NULL;
	} else if (p->fd >= 0) {
		close(p->fd);
		p->fd = -1;
	}
	free(z);
}

void hc_exec_reap(struct hc_engine *e, bool wait)
{
	struct hc_zombie **zp = &e->zombies, *z;
	siginfo_t si;
	int rc;

	while ((z = *zp)) {
		rc = reap(z->pid, z->pidfd, &si);
		if (!rc && wait) {
			/* Killed: it dies at once. */
			waitid(z->pidfd >= 0 ? P_PIDFD : P_PID,
			       z->pidfd >= 0 ? (id_t)z->pidfd : (id_t)z->pid,
			       &si, WEXITED | WNOWAIT);
			continue;
		}
		if (!rc) {
			zp = &z->next;
			continue;
		}
		/* Reaped (or not ours to reap any more). */
		if (z->pidfd >= 0)
			close(z->pidfd);
		*zp = z->next;
		free(z);
	}
}
