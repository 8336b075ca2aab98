/* detect_rexec.c - PsExec-style remote execution over SMB2: a program
 * written to an administrative share (ADMIN$, C$, IPC$), then the service
 * control manager's pipe (svcctl) or PsExec's own pipes opened by the same
 * client on the same server within an hour. The write and the pipe usually
 * come on two TCP connections, so the write is kept per client and server,
 * not per flow. Renamed PsExec services ("blabla.exe" with pipes
 * "blabla-HOST-1234-stdin") are matched by the program's name too. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sensor/sensor.h"

#define REXEC_SPAN_MS (3600 * 1000LL)

static bool
admin_share(const char *share)
{
	size_t n = share ? strlen(share) : 0;
	if (n < 2 || share[n - 1] != '$')
		return false;
	/* a drive's hidden share (C$, D$ ...) */
	if (n == 2)
		return (share[0] >= 'A' && share[0] <= 'Z') || (share[0] >= 'a' && share[0] <= 'z');
	return strcasecmp(share, "ADMIN$") == 0 || strcasecmp(share, "IPC$") == 0;
}

static const char *
base_name(const char *name)
{
	const char *b = strrchr(name, '\\');
	return b ? b + 1 : name;
}

static struct rexec_slot *
rexec_slot(struct sensor *s, const struct flow *f, uint64_t *key)
{
	uint64_t h = window_hash(0x7265786563ULL, (struct span){ (const char *)f->src.b, sizeof(f->src.b) });
	h = window_hash(h, (struct span){ (const char *)f->dst.b, sizeof(f->dst.b) });
	*key = h ? h : 1;
	return &s->det.rexec[*key % REXEC_SLOTS];
}

void
detect_rexec_written(struct sensor *s, const struct flow *f, const struct pkt *p,
    const char *share, const char *name)
{
	uint64_t key;
	if (s->det.conf.remote_exec_off || !admin_share(share))
		return;
	struct rexec_slot *r = rexec_slot(s, f, &key);
	r->key = key;
	r->written_ms = p->ts_us / 1000;
	snprintf(r->share, sizeof(r->share), "%s", share);
	snprintf(r->name, sizeof(r->name), "%s", base_name(name));
}

/* svcctl, PsExec's pipes (PSEXESVC, PSEXESVC-HOST-1234-stdin), or a pipe
 * named after the program written (a renamed PsExec service). */
static bool
exec_pipe(const char *pipe, const char *program)
{
	if (strcasecmp(pipe, "svcctl") == 0 || strncasecmp(pipe, "PSEXESVC", 8) == 0)
		return true;
	const char *dot = strrchr(program, '.');
	size_t stem = dot ? (size_t)(dot - program) : strlen(program);
	return stem > 0 && strncasecmp(pipe, program, stem) == 0 &&
	    (pipe[stem] == '\0' || pipe[stem] == '-');
}

void
detect_rexec_pipe(struct sensor *s, const struct flow *f, const struct pkt *p,
    const char *share, const char *name)
{
	char msg[512], a[64], b[64];
	uint64_t key;
	if (s->det.conf.remote_exec_off || (share && strcasecmp(share, "IPC$") != 0))
		return;
	const struct rexec_slot *r = rexec_slot(s, f, &key);
	int64_t now = p->ts_us / 1000;
	const char *pipe = base_name(name);
	if (r->key != key || now - r->written_ms > REXEC_SPAN_MS || now < r->written_ms ||
	    !exec_pipe(pipe, r->name))
		return;
	if (!detect_window_fire(detect_window(s, R_REMOTE_EXEC, &f->src, &f->dst), now, REXEC_SPAN_MS))
		return;
	ip_addr_str(&f->src, a, sizeof(a));
	ip_addr_str(&f->dst, b, sizeof(b));
	snprintf(msg, sizeof(msg), "%s copied %.96s to \\\\%s\\%s and started it through the %.80s pipe",
	    a, r->name, b, r->share, pipe);
	sensor_alert_begin(s, f, p, detect_rule(R_REMOTE_EXEC), msg);
	eve_str(&s->eve, "client", a);
	eve_str(&s->eve, "server", b);
	eve_str(&s->eve, "share", r->share);
	eve_str(&s->eve, "program", r->name);
	eve_str(&s->eve, "pipe", pipe);
	eve_int(&s->eve, "seconds_after_write", (now - r->written_ms) / 1000);
	sensor_alert_end(s);
}
