/*
 * agent_state.h - what an enrolled agent keeps in its state directory
 * (mode 0700): agent.json (mode 0600: the manager's address, the agent id,
 * its secret, the pinned certificate fingerprint) next to the spool/.
 */
#ifndef MAMORI_AGENT_AGENT_STATE_H
#define MAMORI_AGENT_AGENT_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "agent/agent_http.h"

#define AGENT_STATE_FILE "agent.json"

struct agent_state {
	char manager[512];
	int64_t agent_id;
	char secret[64];
	char fingerprint[AGENT_HTTP_FP_LEN];
	char kind[8];
	char name[129];
};

/* /var/lib/mamori/agent as root, else ./mamori-agent. */
const char *agent_state_default_dir(void);
/* MAMORI_E_NOTFOUND when the agent is not enrolled. */
int agent_state_load(const char *dir, struct agent_state *st, char *err, size_t errsz);
int agent_state_save(const char *dir, const struct agent_state *st, char *err, size_t errsz);

/*
 * Enrols with the manager at url using a one-time token and saves the
 * state. fingerprint, when given, must match the manager's certificate
 * (else it is trusted on this first use and pinned). MAMORI_E_PERM when the
 * manager refused the token or the certificate does not match.
 */
int agent_state_enrol(const char *dir, const char *url, const char *token,
    const char *fingerprint, const char *name, struct agent_state *st, char *err,
    size_t errsz);

#endif
