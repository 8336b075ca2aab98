#include "agent/ransom_respond.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/err.h"

extern char **environ;

int
ransom_action_parse(const char *s, enum ransom_action *out)
{
	if (strcmp(s, "none") == 0)
		*out = RESPOND_NONE;
	else if (strcmp(s, "kill") == 0)
		*out = RESPOND_KILL;
	else if (strcmp(s, "isolate") == 0)
		*out = RESPOND_ISOLATE;
	else
		return MAMORI_E_INVAL;
	return MAMORI_OK;
}

const char *
ransom_action_name(enum ransom_action a)
{
	return a == RESPOND_KILL ? "kill" : a == RESPOND_ISOLATE ? "isolate" : "none";
}

__attribute__((format(printf, 2, 3)))
static void
step(struct ransom_response *r, const char *fmt, ...)
{
	va_list ap;
	if (r->nsteps >= RESPOND_MAX_STEPS)
		return;
	va_start(ap, fmt);
	vsnprintf(r->steps[r->nsteps++], sizeof(r->steps[0]), fmt, ap);
	va_end(ap);
}

static bool
allowed(int pid, struct ransom_response *r)
{
	if (pid <= 1 || pid == getpid()) {
		step(r, "not stopping pid %d (unknown writer, init or mamori itself)", pid);
		return false;
	}
	return true;
}

int
ransom_respond_stop(int pid, struct ransom_response *r)
{
	if (!allowed(pid, r))
		return MAMORI_E_INVAL;
	if (kill(pid, SIGSTOP) != 0) {
		step(r, "SIGSTOP to pid %d failed: %s", pid, strerror(errno));
		return errno == ESRCH ? MAMORI_E_NOTFOUND : MAMORI_E_PERM;
	}
	step(r, "sent SIGSTOP to pid %d (frozen)", pid);
	return MAMORI_OK;
}

int
ransom_respond_kill(int pid, struct ransom_response *r)
{
	if (!allowed(pid, r))
		return MAMORI_E_INVAL;
	pid_t pg = getpgid(pid);
	/* Its whole group only when it leads one that is not ours: a
	 * process started from our own shell shares our group. */
	if (pg == pid && pg != getpgrp()) {
		(void)killpg(pg, SIGSTOP);
		if (killpg(pg, SIGKILL) == 0) {
			step(r, "sent SIGKILL to process group %d", (int)pg);
			r->stopped = true;
			return MAMORI_OK;
		}
	}
	if (kill(pid, SIGKILL) != 0) {
		step(r, "SIGKILL to pid %d failed: %s", pid, strerror(errno));
		if (errno == ESRCH)
			r->stopped = true;
		return errno == ESRCH ? MAMORI_E_NOTFOUND : MAMORI_E_PERM;
	}
	step(r, "sent SIGKILL to pid %d", pid);
	r->stopped = true;
	return MAMORI_OK;
}

int
ransom_respond_ruleset(const char *manager, char *buf, size_t n)
{
	char addr[INET6_ADDRSTRLEN + 1] = "";
	unsigned long port = 0;
	bool v6 = false;
	const char *fam = "ip";

	if (manager && *manager) {
		const char *a = manager, *p = NULL;
		size_t al;
		if (*a == '[') {
			const char *e = strchr(a, ']');
			if (!e)
				return MAMORI_E_INVAL;
			a++;
			al = (size_t)(e - a);
			if (e[1] == ':')
				p = e + 2;
			else if (e[1])
				return MAMORI_E_INVAL;
		} else if (strchr(a, ':') && strchr(a, ':') == strrchr(a, ':')) {
			p = strchr(a, ':') + 1;
			al = (size_t)(p - 1 - a);
		} else {
			al = strlen(a);
		}
		if (al == 0 || al >= sizeof(addr))
			return MAMORI_E_INVAL;
		memcpy(addr, a, al);
		addr[al] = '\0';
		unsigned char tmp[16];
		if (inet_pton(AF_INET, addr, tmp) == 1)
			v6 = false;
		else if (inet_pton(AF_INET6, addr, tmp) == 1)
			v6 = true;
		else
			return MAMORI_E_INVAL;
		if (p) {
			char *end;
			errno = 0;
			port = strtoul(p, &end, 10);
			if (errno || *end || port == 0 || port > 65535)
				return MAMORI_E_INVAL;
		}
		fam = v6 ? "ip6" : "ip";
	}
	char in_rule[160] = "", out_rule[160] = "";
	if (addr[0] && port) {
		snprintf(in_rule, sizeof(in_rule),
		    "\t\t%s saddr %s tcp sport %lu accept\n", fam, addr, port);
		snprintf(out_rule, sizeof(out_rule),
		    "\t\t%s daddr %s tcp dport %lu accept\n", fam, addr, port);
	} else if (addr[0]) {
		snprintf(in_rule, sizeof(in_rule), "\t\t%s saddr %s accept\n", fam, addr);
		snprintf(out_rule, sizeof(out_rule), "\t\t%s daddr %s accept\n", fam, addr);
	}
	/* "add" then "delete" makes loading idempotent; priority -300 runs
	 * before any other filter chain, so nothing else can accept first. */
	int k = snprintf(buf, n,
	    "add table inet mamori_isolate\n"
	    "delete table inet mamori_isolate\n"
	    "table inet mamori_isolate {\n"
	    "\tchain input {\n"
	    "\t\ttype filter hook input priority -300; policy drop;\n"
	    "\t\tiif \"lo\" accept\n"
	    "%s"
	    "\t}\n"
	    "\tchain output {\n"
	    "\t\ttype filter hook output priority -300; policy drop;\n"
	    "\t\toif \"lo\" accept\n"
	    "%s"
	    "\t}\n"
	    "\tchain forward {\n"
	    "\t\ttype filter hook forward priority -300; policy drop;\n"
	    "\t}\n"
	    "}\n", in_rule, out_rule);
	return k < 0 || (size_t)k >= n ? MAMORI_E_LIMIT : MAMORI_OK;
}

int
ransom_respond_isolate(const char *manager, struct ransom_response *r)
{
	char rules[2048];
	int pfd[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	pid_t child;
	int status = 0, rc;
	char a0[] = "nft", a1[] = "-f", a2[] = "-";
	char *const argv[] = { a0, a1, a2, NULL };

	if ((rc = ransom_respond_ruleset(manager, rules, sizeof(rules))) != 0) {
		step(r, "network not isolated: manager address '%s' is not an IP address",
		    manager ? manager : "");
		return rc;
	}
	if (pipe2(pfd, O_CLOEXEC) != 0) {
		step(r, "network not isolated: pipe: %s", strerror(errno));
		return MAMORI_E_IO;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[0], STDIN_FILENO);
	rc = posix_spawnp(&child, "nft", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[0]);
	if (rc != 0) {
		close(pfd[1]);
		step(r, "network not isolated: cannot run nft: %s", strerror(rc));
		return MAMORI_E_UNSUPPORTED;
	}
	size_t len = strlen(rules), off = 0;
	while (off < len) {
		ssize_t w = write(pfd[1], rules + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	close(pfd[1]);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		step(r, "network not isolated: nft -f - failed (status %d)", status);
		return MAMORI_E_IO;
	}
	step(r, "network isolated: nftables table inet mamori_isolate drops all "
	    "traffic except loopback%s%s (undo: nft delete table inet mamori_isolate)",
	    manager && *manager ? " and the manager " : "", manager ? manager : "");
	r->isolated = true;
	return MAMORI_OK;
}
