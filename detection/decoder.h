/*
 * decoder.h - log line -> normalized event (ECS field names).
 *
 * decoder_decode() looks at one line, strips a syslog header when there is
 * one, picks the decoder by program tag (a table lookup) or, for appliances
 * and formats without a useful tag, by a cheap look at the first bytes, and
 * fills a struct event whose values are spans into the line (or into the
 * small per-context state below). Nothing is allocated per line and no
 * decoder does I/O, so the fuzzer and the live agent call the same code.
 *
 * Fields every authentication decoder sets (the built-in detections rely
 * on them): event.category ("authentication", "iam", "web", "network",
 * "process", "intrusion_detection"), event.action, event.outcome
 * ("success" / "failure"), service.type (which door: "ssh", "vpn", "rdp",
 * "smb", "mail", "web", "windows", "sudo", "login", "ftp"...), source.ip
 * (or source.address for a host name), user.name where known.
 */
#ifndef MAMORI_DETECTION_DECODER_H
#define MAMORI_DETECTION_DECODER_H

#include <stdbool.h>
#include <stdint.h>

#include "common/span.h"
#include "detection/decode_syslog.h"
#include "detection/event.h"

#define DECODE_SSHD_CONNS 128	/* sshd pids remembered for multi-line */

/* What sshd told us about one connection before its failure line. */
struct decode_sshd_conn {
	uint64_t key;		/* hash of host + pid; 0 = free */
	char ip[48];		/* remote address seen on an earlier line */
	bool pending;		/* a failure without address waits for one */
	bool pending_auth;	/* ... and it was a credential failure */
};

/*
 * Decoder state of one input stream. Caller-allocated; decoder_ctx_init()
 * sets it up. year/ref_month: see decode_syslog.h.
 */
struct decode_ctx {
	int year;
	int ref_month;
	struct decode_sshd_conn sshd[DECODE_SSHD_CONNS];
	unsigned sshd_next;
};

/* The parts of a line a decoder gets. */
struct decode_in {
	struct span line;		/* whole line */
	const struct syslog_hdr *sys;	/* NULL without a syslog header */
	struct span msg;		/* sys ? sys->msg : line */
};

typedef bool (*decode_fn)(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);

void decoder_ctx_init(struct decode_ctx *dc, int year, int ref_month);
/*
 * Decodes one line (without its newline). Returns true when a decoder
 * recognized it; ev->decoder then names it. On false ev holds at most the
 * syslog header fields.
 */
bool decoder_decode(struct decode_ctx *dc, struct span line, struct event *ev);
/* Names of the decoders, for --help and the docs; NULL-terminated. */
const char *const *decoder_names(void);

/* The decoders (decode_<name>.c). Each returns false when the line is not
 * of its kind. */
bool decode_sshd(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);
bool decode_pam(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);
bool decode_web(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);
bool decode_openvpn(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);
bool decode_fortigate(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);
bool decode_paloalto(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);
bool decode_asa(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);
bool decode_sonicwall(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);
bool decode_pulse(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);
bool decode_mail(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);
bool decode_samba(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);
bool decode_winjson(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);
bool decode_winxml(struct decode_ctx *dc, const struct decode_in *in, struct event *ev);

/* Shared by decode_winjson.c and decode_winxml.c: maps one Windows event,
 * given a lookup of its EventData by name, to ECS fields. */
typedef bool (*decode_win_get)(const void *arg, const char *name, struct span *out);
bool decode_windows_event(unsigned event_id, decode_win_get get, const void *arg,
    struct event *ev);

/* Sets source.ip (when s is an address) or source.address (a host name). */
void decode_set_source(struct event *ev, struct span s);
/* Sets user.name unless s is empty or a placeholder ("-", "N/A", "(null)"). */
void decode_set_user(struct event *ev, struct span s);

#endif
