/* detect_lan.c - Windows file sharing and remote desktop inside the
 * office: SMBv1 spoken by an office server (once per client and server a
 * day), a computer that accepts remote desktop from the LAN (once per
 * server a day: a notice, not an alarm), and program files written, run or
 * deleted on a share (once per client, server and share an hour). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sensor/proto_ident.h"
#include "sensor/proto_smb.h"
#include "sensor/sensor.h"

#define DAY_MS (24 * 3600 * 1000LL)
#define SHARE_EXEC_SPAN_MS (3600 * 1000LL)
/* program files one alert names (those of the segment that raised it) */
#define EXEC_NAMES 8

static uint64_t
pair_hash(uint64_t seed, const struct flow *f)
{
	uint64_t h = window_hash(seed, (struct span){ (const char *)f->src.b, sizeof(f->src.b) });
	return window_hash(h, (struct span){ (const char *)f->dst.b, sizeof(f->dst.b) });
}

/* Tree connects: the share a request names, found again by the tree id
 * its answer gives (direct-mapped; a collision forgets the share, and the
 * alert then names the tree id). */
static uint64_t
tree_key(const struct flow *f, char kind, uint64_t id)
{
	uint64_t h = pair_hash(0x736d6274726565ULL + (uint64_t)(unsigned char)kind, f);
	h = window_hash(h, (struct span){ (const char *)&id, sizeof(id) });
	return h ? h : 1;
}

static struct smb_tree_slot *
tree_slot(struct sensor *s, uint64_t key)
{
	return &s->det.smb_tree[key % SMB_TREE_SLOTS];
}

static void
tree_request(struct sensor *s, const struct flow *f, const struct smb_msg *m)
{
	char share[SMB_SHARE_MAX];
	if (proto_smb2_tree_connect(m, share, sizeof(share)) != 0)
		return;
	uint64_t k = tree_key(f, 'm', m->msg_id);
	struct smb_tree_slot *t = tree_slot(s, k);
	t->key = k;
	memcpy(t->share, share, sizeof(share));
}

static void
tree_answer(struct sensor *s, const struct flow *f, const struct smb_msg *m)
{
	struct smb_tree_slot *t = tree_slot(s, tree_key(f, 'm', m->msg_id));
	if (m->status != 0 || t->key != tree_key(f, 'm', m->msg_id))
		return;
	uint64_t k = tree_key(f, 't', m->tree_id);
	struct smb_tree_slot *u = tree_slot(s, k);
	if (u != t)
		memcpy(u->share, t->share, sizeof(u->share));
	t->key = 0;
	u->key = k;
}

static const char *
tree_share(struct sensor *s, const struct flow *f, uint32_t tree_id)
{
	uint64_t k = tree_key(f, 't', tree_id);
	struct smb_tree_slot *t = tree_slot(s, k);
	return t->key == k ? t->share : NULL;
}

/* SMB1 past the negotiation: any answer of the server, or a client request
 * other than NEGOTIATE (which modern clients still send to move to SMB2). */
static void
smb1(struct sensor *s, struct flow *f, const struct pkt *p, const struct smb_msg *m, bool to_server)
{
	char msg[200], a[64], b[64];
	if ((f->det & DET_SMB1_DONE) || s->det.conf.smb1_off || !ip_addr_is_private(&f->dst))
		return;
	if (to_server && m->command == SMB1_COM_NEGOTIATE)
		return;
	f->det |= DET_SMB1_DONE;
	int64_t now = p->ts_us / 1000;
	if (!detect_window_fire(detect_window(s, R_SMB1, &f->src, &f->dst), now, DAY_MS))
		return;
	ip_addr_str(&f->dst, b, sizeof(b));
	ip_addr_str(&f->src, a, sizeof(a));
	snprintf(msg, sizeof(msg), "%s serves files with SMBv1 to %s", b, a);
	sensor_alert_begin(s, f, p, detect_rule(R_SMB1), msg);
	eve_str(&s->eve, "server", b);
	eve_str(&s->eve, "client", a);
	eve_int(&s->eve, "smb1_command", m->command);
	sensor_alert_end(s);
}

struct exec_hit {
	const char *action;
	struct smb_create c;
	uint32_t tree_id;
};

/* What a CREATE request does with the file, or NULL for a look at its
 * attributes only (Explorer listing a folder). */
static const char *
create_action(const struct smb_create *c)
{
	if (c->options & SMB_OPT_DELETE_ON_CLOSE)
		return "deleted";
	if ((c->access & (SMB_ACC_WRITE_DATA | SMB_ACC_APPEND_DATA | SMB_ACC_GENERIC_WRITE |
	    SMB_ACC_GENERIC_ALL)) || c->disposition == 0 || c->disposition == 2 ||
	    c->disposition == 4 || c->disposition == 5)
		return "written";
	if (c->access & SMB_ACC_DELETE)
		return "opened to delete or rename";
	if (c->access & (SMB_ACC_READ_DATA | SMB_ACC_EXECUTE | SMB_ACC_GENERIC_READ |
	    SMB_ACC_GENERIC_EXECUTE))
		return "read or run";
	return NULL;
}

static void
share_exec_alert(struct sensor *s, struct flow *f, const struct pkt *p,
    const struct exec_hit *h, size_t n)
{
	char msg[400], a[64], b[64], tree[24];
	const char *share = tree_share(s, f, h[0].tree_id);
	if (!share) {
		snprintf(tree, sizeof(tree), "tree %u", h[0].tree_id);
		share = tree;
	}
	uint64_t key = window_hash(pair_hash(0x6d616d6f72690000ULL + R_SHARE_EXEC, f),
	    span_from_cstr(share));
	if (!detect_window_fire(window_get(&s->det.win, key ? key : 1), p->ts_us / 1000,
	    SHARE_EXEC_SPAN_MS))
		return;
	ip_addr_str(&f->src, a, sizeof(a));
	ip_addr_str(&f->dst, b, sizeof(b));
	snprintf(msg, sizeof(msg), "%.200s%s on \\\\%s\\%s %s by %s", h[0].c.name,
	    n > 1 ? " and more" : "", b, share, h[0].action, a);
	sensor_alert_begin(s, f, p, detect_rule(R_SHARE_EXEC), msg);
	eve_str(&s->eve, "client", a);
	eve_str(&s->eve, "server", b);
	eve_str(&s->eve, "share", share);
	eve_arr(&s->eve, "files");
	for (size_t i = 0; i < n; i++) {
		eve_obj(&s->eve, NULL);
		eve_str(&s->eve, "name", h[i].c.name);
		eve_str(&s->eve, "action", h[i].action);
		eve_close(&s->eve);
	}
	eve_close(&s->eve);
	sensor_alert_end(s);
}

/* A CREATE request: a program file's (true when it goes into the share
 * alert, in h) or a pipe's (remote execution). */
static bool
smb_create(struct sensor *s, const struct flow *f, const struct pkt *p, const struct smb_msg *m,
    struct exec_hit *h)
{
	const struct detect_conf *c = &s->det.conf;
	if ((c->share_exec_off && c->remote_exec_off) || proto_smb2_create(m, &h->c) != 0 ||
	    (h->c.options & SMB_OPT_DIRECTORY))
		return false;
	if (!proto_smb_executable_name(h->c.name)) {
		if (!c->remote_exec_off && h->c.name[0])
			detect_rexec_pipe(s, f, p, tree_share(s, f, m->tree_id), h->c.name);
		return false;
	}
	if (!(h->action = create_action(&h->c)))
		return false;
	if (strcmp(h->action, "written") == 0)
		detect_rexec_written(s, f, p, tree_share(s, f, m->tree_id), h->c.name);
	h->tree_id = m->tree_id;
	return !c->share_exec_off;
}

struct lan_seg {
	struct sensor *s;
	struct flow *f;
	const struct pkt *p;
	bool to_server;
};

/* Whole SMB frames of one direction (from the segment or reassembled). */
static void
lan_frames(void *ctx, struct span frames)
{
	struct lan_seg *c = ctx;
	struct sensor *s = c->s;
	struct flow *f = c->f;
	const struct pkt *p = c->p;
	bool to_server = c->to_server;
	struct smb_iter it;
	struct smb_msg m;
	struct exec_hit hits[EXEC_NAMES], spare;
	size_t nh = 0;
	bool last_hit = false;	/* the previous command was a program file's CREATE */
	proto_smb_iter_init(&it, frames);
	while (proto_smb_next(&it, &m) == 0) {
		if (m.version == 1) {
			smb1(s, f, p, &m, to_server);
			continue;
		}
		if (!to_server) {
			if (m.command == SMB2_TREE_CONNECT)
				tree_answer(s, f, &m);
			continue;
		}
		if (m.command == SMB2_TREE_CONNECT) {
			tree_request(s, f, &m);
		} else if (m.command == SMB2_SET_INFO) {
			/* a delete chained to the CREATE that opened the file */
			if (last_hit && (m.flags & SMB2_FLAG_RELATED) && proto_smb2_set_delete(&m) == 0)
				hits[nh - 1].action = "deleted";
		} else if (m.command == SMB2_CREATE) {
			/* past EXEC_NAMES programs, pipes are still looked at */
			bool room = nh < EXEC_NAMES;
			last_hit = smb_create(s, f, p, &m, room ? &hits[nh] : &spare) && room;
			nh += last_hit;
			continue;
		}
		last_hit = false;
	}
	if (nh)
		share_exec_alert(s, f, p, hits, nh);
}

void
detect_lan_smb(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server)
{
	struct lan_seg c = { s, f, p, to_server };
	if (!f->smb && !(f->smb = calloc(1, sizeof(*f->smb)))) {
		s->smb_pool.over_global_cap++;
		lan_frames(&c, p->payload);	/* as it is, without the framing state */
		return;
	}
	proto_smb_stream_feed(&f->smb->dir[to_server ? 0 : 1], &s->smb_pool, p->tcp_seq, p->payload,
	    lan_frames, &c);
}

void
detect_lan_flow_end(struct sensor *s, struct flow *f)
{
	if (!f->smb)
		return;
	for (int d = 0; d < 2; d++)
		proto_smb_stream_release(&f->smb->dir[d], &s->smb_pool);
	free(f->smb);
	f->smb = NULL;
}

void
detect_lan_rdp(struct sensor *s, struct flow *f, const struct pkt *p, bool to_server)
{
	char msg[200], a[64], b[64];
	uint32_t proto;
	if (to_server || (f->det & DET_RDP_DONE) || s->det.conf.rdp_lan_off)
		return;
	if (proto_ident_rdp_confirm(p->payload, &proto) != 0)
		return;
	f->det |= DET_RDP_DONE;
	if (!ip_addr_is_private(&f->src) || !ip_addr_is_private(&f->dst))
		return;	/* from or to the internet: detect_exposed and detect_outbound */
	int64_t now = p->ts_us / 1000;
	if (!detect_window_fire(detect_window(s, R_RDP_LAN, &f->dst, NULL), now, DAY_MS))
		return;
	/* standard RDP security or bare TLS: the password is asked for only
	 * after the session is set up (no Network Level Authentication) */
	bool nla = proto != RDP_NEG_NONE && proto != RDP_NEG_FAILED &&
	    (proto & (RDP_PROTO_HYBRID | RDP_PROTO_HYBRID_EX));
	const char *sec = nla ? "nla" : proto == RDP_NEG_FAILED ? "refused" :
	    proto != RDP_NEG_NONE && (proto & RDP_PROTO_SSL) ? "tls" : "rdp";
	ip_addr_str(&f->dst, b, sizeof(b));
	ip_addr_str(&f->src, a, sizeof(a));
	snprintf(msg, sizeof(msg), "%s accepts remote desktop (port %u), reached from %s%s", b,
	    f->dport, a, nla || proto == RDP_NEG_FAILED ? "" : " without Network Level Authentication");
	sensor_alert_begin(s, f, p, detect_rule(R_RDP_LAN), msg);
	eve_str(&s->eve, "server", b);
	eve_str(&s->eve, "client", a);
	eve_str(&s->eve, "security", sec);
	sensor_alert_end(s);
}
