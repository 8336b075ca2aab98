/*
 * risky_ports.h - network services that should not face the office LAN or
 * the internet, by port and by process name, and whether a few of them
 * (Redis, Memcached, MongoDB, Elasticsearch) were set up with
 * authentication, read from their configuration files.
 */
#ifndef MAMORI_AGENT_RISKY_PORTS_H
#define MAMORI_AGENT_RISKY_PORTS_H

#include <stdbool.h>

#include "agent/check.h"
#include "common/i18n.h"
#include "common/span.h"

#define RISKY_TCP 1u
#define RISKY_UDP 2u

/* How a service's severity is decided. */
enum risky_auth {
	RISKY_AUTH_PLAIN,	/* severity as in the table */
	RISKY_AUTH_CONFIG,	/* critical unless its config turns auth on */
};

struct risky_range {
	int lo, hi;		/* inclusive; lo == 0 ends the list */
	unsigned protos;	/* RISKY_TCP | RISKY_UDP */
};

struct risky_service {
	const char *key;	/* "redis", "smb" ... stable, for evidence */
	const char *name;	/* "Redis" */
	struct i18n_text what;	/* "file sharing (SMB)" for people */
	enum severity severity;	/* on all interfaces, auth unknown/on */
	enum risky_auth auth;
	struct risky_range ports[4];
	const char *procs[6];	/* process names (/proc/PID/comm), NULL-ended */
};

/* The table, *n entries. */
const struct risky_service *risky_ports_table(size_t *n);

/*
 * The service a listening socket belongs to: by process name first (a
 * Redis on port 6380 is still Redis), then by port and protocol ("tcp",
 * "tcp6", "udp", "udp6"). NULL when not a risky service.
 */
const struct risky_service *risky_ports_match(const char *proto, int port,
    const char *process);

/* What a service's configuration says about authentication. */
enum risky_authstate {
	RISKY_AUTH_UNKNOWN,	/* no config found / not decidable */
	RISKY_AUTH_ON,		/* clients must authenticate */
	RISKY_AUTH_OFF,		/* anyone who can connect is let in */
};

/*
 * Parsers of the services' configuration text. Each looks only at the
 * directives that decide authentication; they never fail (unknown ->
 * RISKY_AUTH_UNKNOWN) and read only within the span.
 *  redis.conf: requirepass, "user default" ACL lines, protected-mode
 *    (Redis >= 7: with no password protected mode refuses every non-local
 *    client, whatever bind says);
 *  memcached.conf: "-S" (SASL) / "--enable-sasl";
 *  mongod.conf: YAML security.authorization: enabled, or the old
 *    "auth = true";
 *  elasticsearch.yml: xpack.security.enabled (unset: version-dependent,
 *    UNKNOWN).
 */
enum risky_authstate risky_ports_redis_auth(struct span conf,
    bool *protected_mode);
enum risky_authstate risky_ports_memcached_auth(struct span conf);
enum risky_authstate risky_ports_mongodb_auth(struct span conf);
enum risky_authstate risky_ports_elastic_auth(struct span conf);

#endif
