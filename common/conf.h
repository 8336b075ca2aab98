/*
 * conf.h - the typed configuration table.
 *
 * Every setting is one row of a static table (key, type, default, bounds,
 * help). /etc/mamori/mamori.yaml is optional: a missing file means all
 * defaults. Nested YAML mappings name keys with dots ("scan:\n  x: 1" is
 * "scan.x"). Unknown keys, wrong types and out-of-range values are errors
 * with the file, line and key, never silently ignored.
 */
#ifndef MAMORI_COMMON_CONF_H
#define MAMORI_COMMON_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum conf_key {
	CONF_LOG_LEVEL,
	CONF_SCAN_PASSWORD_CHECK_MS,
	CONF_SCAN_APT_LISTS_MAX_AGE_DAYS,
	CONF_SCAN_AV_SIGNATURE_MAX_AGE_DAYS,
	CONF_SCAN_MAX_FILE_BYTES,
	CONF_SCAN_MAX_WALK_ENTRIES,
	CONF_SCAN_MEMORY_CAP_MB,
	CONF_SCAN_HISTORY_KEEP,
	CONF_STORAGE_PATH,
	CONF_COMPANY_NAME,
	CONF_COMPANY_REPRESENTATIVE,
	CONF_COMPANY_REPRESENTATIVE_TITLE,
	CONF_RANSOM_BURST_FILES,
	CONF_RANSOM_WINDOW_MS,
	CONF_RANSOM_ENTROPY_MIN_CENTIBITS,
	CONF_RANSOM_NOTE_DIRS,
	CONF_RANSOM_RESPOND,
	CONF_RANSOM_MANAGER_ADDRESS,
	CONF_MANAGER_LISTEN,
	CONF_MANAGER_CERT,
	CONF_MANAGER_KEY,
	CONF_MANAGER_SESSION_IDLE_SECONDS,
	CONF_MANAGER_SESSION_MAX_SECONDS,
	CONF_MANAGER_LOGIN_WINDOW_SECONDS,
	CONF_MANAGER_LOGIN_MAX_FAILURES,
	CONF_MANAGER_LOGIN_MAX_FAILURES_PER_IP,
	CONF_MANAGER_MAX_BODY_BYTES,
	CONF_MANAGER_MAX_CONNECTIONS,
	CONF_MANAGER_THREADS,
	CONF_MANAGER_READ_CONNECTIONS,
	CONF_MANAGER_INTAKE_MAX_DECODED_BYTES,
	CONF_AGENT_STATE_DIR,
	CONF_AGENT_SPOOL_MAX_BYTES,
	CONF_AGENT_SCAN_INTERVAL_SECONDS,
	CONF_AGENT_BATCH_EVENTS,
	CONF_MANAGER_PUBLIC_URL,
	CONF_NOTIFY_INTERVAL_SECONDS,
	CONF_NOTIFY_TIMEOUT_SECONDS,
	CONF_NOTIFY_CA_FILE,
	CONF_NOTIFY_TLS_INSECURE,
	CONF_SENSOR_MAX_FLOWS,
	CONF_SENSOR_FLOW_TIMEOUT_S,
	CONF_SENSOR_PORT_SCAN_PORTS,
	CONF_SENSOR_HOST_SCAN_HOSTS,
	CONF_SENSOR_DNS_TUNNEL_QUERIES,
	CONF_SENSOR_ICMP_TUNNEL_BYTES,
	CONF_SENSOR_BEACON_MIN_CONNECTIONS,
	CONF_SENSOR_BEACON_MIN_INTERVAL_S,
	CONF_SENSOR_BEACON_MAX_JITTER_PCT,
	CONF_SENSOR_OUTBOUND_MB_PER_HOUR,
	CONF_SENSOR_IOC_RELOAD_S,
	CONF_SENSOR_SMTP_SERVERS_PER_HOUR,
	CONF_SENSOR_C2_IP_CONNECTIONS,
	CONF_SENSOR_TOR_RELAYS,
	CONF_SENSOR_KERBEROAST_SERVICES,
	CONF_SENSOR_ZEROLOGON_ATTEMPTS,
	CONF_SENSOR_LEARN_HOURS,
	CONF_SENSOR_SMB1,
	CONF_SENSOR_RDP_LAN,
	CONF_SENSOR_SHARE_EXECUTABLES,
	CONF_SENSOR_REMOTE_EXEC,
	CONF_SENSOR_IOC_FILES,
	CONF_SENSOR_STATS_INTERVAL_S,
	CONF_LOGS_BUSINESS_HOURS,
	CONF_LOGS_BUSINESS_DAYS,
	CONF_LOGS_TIMEZONE,
	CONF_LOGS_ADMIN_USERS,
	CONF_LOGS_GEOIP_DB,
	CONF_LOGS_HOLIDAYS,
	CONF_LOGS_YEAR_END_BREAK,
	CONF_LOGS_CLOSED_DAYS,
	CONF_LOGS_SIGMA_SHIPPED,
	CONF_LOGS_SIGMA_RULES,
	CONF_FIM_THREADS,
	CONF_RANSOM_BACKUP_FILES,
	CONF_RANSOM_MIN_SAMPLE_BYTES,
	CONF_AGENT_WATCH_FOLDERS,
	CONF_AGENT_WATCH_LOGS,
	CONF_AGENT_SENSOR_INTERFACE,
	CONF_KEY_COUNT
};

enum conf_type { CONF_INT, CONF_BOOL, CONF_STRING };

struct conf_def {
	const char *key;	/* dotted name */
	enum conf_type type;
	int64_t def_int;	/* default for CONF_INT / CONF_BOOL */
	const char *def_str;	/* default for CONF_STRING */
	int64_t min, max;	/* bounds for CONF_INT */
	const char *help;
};

struct conf_value {
	int64_t i;
	char *s;		/* from malloc(), or NULL = default */
	bool set;		/* given in a file */
};

struct conf {
	struct conf_value v[CONF_KEY_COUNT];
};

/* The table itself, CONF_KEY_COUNT rows in enum order. */
const struct conf_def *conf_defs(void);

void conf_init(struct conf *c);
void conf_release(struct conf *c);
/*
 * Reads a YAML file. A missing file is MAMORI_E_NOTFOUND (callers decide
 * whether that matters). On a bad file, err gets a one-line message.
 */
int conf_load_file(struct conf *c, const char *path, char *err, size_t errsz);
int conf_load_buffer(struct conf *c, const char *name, const void *data,
    size_t len, char *err, size_t errsz);
/* Sets one key from text ("key=value" style overrides, tests). */
int conf_set(struct conf *c, const char *key, const char *value, char *err,
    size_t errsz);

int64_t conf_int(const struct conf *c, enum conf_key k);
bool conf_bool(const struct conf *c, enum conf_key k);
const char *conf_str(const struct conf *c, enum conf_key k);

/* Prints every key with its value and origin, as YAML (mamori config). */
void conf_dump(const struct conf *c, FILE *out);

#endif
