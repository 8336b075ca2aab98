/*
 * pam_policy.h - is there a password quality rule in PAM?
 *
 * pam.d(5) files: "type control module-path args...", control may be a
 * [bracketed list with spaces]. A "password" line using pam_pwquality,
 * pam_cracklib or pam_passwdqc means new passwords are checked; its
 * minlen= argument (or minlen in /etc/security/pwquality.conf) sets the
 * shortest one allowed.
 */
#ifndef MAMORI_AGENT_PAM_POLICY_H
#define MAMORI_AGENT_PAM_POLICY_H

#include <stdbool.h>

#include "common/arena.h"
#include "common/span.h"

struct pam_quality {
	bool found;		/* a quality module on a password line */
	char *module;		/* its base name, "pam_pwquality.so" */
	int line;		/* where */
	long minlen;		/* its minlen= argument, -1 if none */
};

/* Fills q from the first quality module line of a pam.d file (q->found
 * stays false when there is none). Returns 0 or MAMORI_E_NOMEM. */
int pam_policy_parse(struct arena *a, struct span text, struct pam_quality *q);

/* minlen from pwquality.conf(5) text ("minlen = 10"); the last one wins.
 * *minlen and *line are left alone when the file does not set it. */
void pam_policy_pwquality_minlen(struct span text, long *minlen, int *line);

#endif
