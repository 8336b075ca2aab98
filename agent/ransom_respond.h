/*
 * ransom_respond.h - stopping ransomware: freeze and kill the process
 * (and its process group when it leads one), and isolating the host with
 * an nftables ruleset that keeps only loopback and the manager.
 *
 * Every step taken is recorded as one line of text, so the alert says
 * exactly what was done (and what failed).
 */
#ifndef MAMORI_AGENT_RANSOM_RESPOND_H
#define MAMORI_AGENT_RANSOM_RESPOND_H

#include <stdbool.h>
#include <stddef.h>

enum ransom_action { RESPOND_NONE, RESPOND_KILL, RESPOND_ISOLATE };

int ransom_action_parse(const char *s, enum ransom_action *out);
const char *ransom_action_name(enum ransom_action a);

#define RESPOND_MAX_STEPS 8

struct ransom_response {
	char steps[RESPOND_MAX_STEPS][200];
	size_t nsteps;
	bool stopped;		/* the process no longer runs */
	bool isolated;
};

/* SIGSTOP at once: the first thing done on a verdict. Refuses pid <= 1
 * and ourselves. */
int ransom_respond_stop(int pid, struct ransom_response *r);
/* SIGKILL the process, and its group when it leads a group other than
 * ours. */
int ransom_respond_kill(int pid, struct ransom_response *r);
/*
 * The nftables ruleset that drops everything but loopback and the
 * manager (IPv4/IPv6 address, optional ":port" or "[v6]:port"). Returns
 * MAMORI_E_INVAL for an address that is not one.
 */
int ransom_respond_ruleset(const char *manager, char *buf, size_t n);
/* Loads the ruleset with `nft -f -` (posix_spawn, argv; never a shell). */
int ransom_respond_isolate(const char *manager, struct ransom_response *r);

#endif
