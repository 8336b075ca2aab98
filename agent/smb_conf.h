/*
 * smb_conf.h - Samba's smb.conf, parsed the way smbd reads it.
 *
 * What testparm(1) taught us (Samba 4.17, Debian 12):
 *  - parameter names compare case-insensitively with blanks ignored
 *    ("Guest OK" == "guestok"); underscores are NOT ignored;
 *  - synonyms name one parameter ("public" = "guest ok"; "writable",
 *    "writeable" and "write ok" are "read only" inverted); the last
 *    assignment wins, whichever spelling it used;
 *  - a line ending in '\' continues on the next one; lines starting with
 *    ';' or '#' are comments; there are no comments after a value;
 *  - "include = FILE" inserts FILE's text in place, so the lines after it
 *    belong to whatever section the included file ended in;
 *  - a share copies the [global] defaults when it is created: service
 *    settings in a [global] that comes after a share do not reach it;
 *  - a section named again later (case-insensitively) is the same share.
 */
#ifndef MAMORI_AGENT_SMB_CONF_H
#define MAMORI_AGENT_SMB_CONF_H

#include <stdbool.h>

#include "agent/scan_ctx.h"
#include "common/arena.h"
#include "common/span.h"

/* Nested includes followed at most (Samba itself has no limit). */
#define SMB_CONF_MAX_DEPTH 8

struct smb_param {
	const char *key;	/* canonical name, e.g. "guestok", "readonly" */
	char *value;		/* trimmed, continuation lines joined */
	bool inverted;		/* written as a negating synonym ("writable") */
	const char *file;
	int line;
};

struct smb_section {
	char *name;		/* as written between the brackets */
	const char *file;
	int line;
	struct vec params;	/* struct smb_param, file order */
	size_t nglobal;		/* [global] parameters that existed when the
				 * share was created: the defaults it copied */
};

struct smb_conf {
	struct smb_section global;
	struct vec shares;	/* struct smb_section */
	int files;		/* files read, including includes */
};

void smb_conf_init(struct smb_conf *c);

/*
 * Parses smb.conf text (file names messages). include = lines are read
 * through ctx->root when it is set (NULL in the fuzzer), depth-limited;
 * includes with %-substitutions cannot be resolved offline and are
 * skipped. Bad lines are scan warnings. Only MAMORI_E_NOMEM is fatal;
 * binary input is refused with MAMORI_E_PARSE.
 */
int smb_conf_parse(struct scan_ctx *ctx, struct smb_conf *c, const char *file,
    struct span text);
/* Reads and parses a file below ctx->root; MAMORI_E_NOTFOUND when absent. */
int smb_conf_load(struct scan_ctx *ctx, struct smb_conf *c, const char *path);

/*
 * The effective setting of a share (NULL share = [global]): its own last
 * assignment, else the [global] one it inherited, else NULL. key is a
 * canonical name.
 */
const struct smb_param *smb_conf_get(const struct smb_conf *c,
    const struct smb_section *share, const char *key);
/*
 * A boolean setting with Samba's spellings (yes/no, true/false, on/off,
 * 1/0, any case) and the synonym's inversion applied; def when unset.
 * *bad is set when the value is not a boolean (smbd refuses to load).
 */
bool smb_conf_bool(const struct smb_conf *c, const struct smb_section *share,
    const char *key, bool def, const struct smb_param **where, bool *bad);

/* Canonical form of a parameter name: blanks dropped, lower case,
 * synonyms mapped. Sets *inverted for negating synonyms. */
const char *smb_conf_canon(struct arena *a, struct span name, bool *inverted);

#endif
