/* risky_ports.c - the table of risky network services (see risky_ports.h). */
#include "agent/risky_ports.h"

#include <string.h>

#define T RISKY_TCP
#define U RISKY_UDP

/*
 * Default severities: high for services that hand out files, screens or
 * shells to whoever reaches them; medium for databases that ask for a
 * password out of the box; critical for Telnet (passwords in clear text)
 * and the Docker API (root on the host without any password). Redis,
 * Memcached, MongoDB and Elasticsearch become critical when their
 * configuration lets clients in without authentication.
 */
static const struct risky_service table[] = {
	{ "smb", "SMB (Windows file sharing / Samba)",
	    { "Windows file sharing (SMB)", "Windows ファイル共有 (SMB)" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 445, 445, T }, { 139, 139, T } },
	    { "smbd", NULL } },
	{ "netbios", "NetBIOS name/datagram service",
	    { "NetBIOS (old Windows network names)", "NetBIOS (古い Windows の名前解決)" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 137, 138, U } }, { "nmbd", NULL } },
	{ "rdp", "RDP (remote desktop)",
	    { "remote desktop (RDP)", "リモートデスクトップ (RDP)" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 3389, 3389, T | U } },
	    { "xrdp", NULL } },
	{ "vnc", "VNC (remote screen)",
	    { "remote screen sharing (VNC)", "画面共有 (VNC)" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 5900, 5910, T } },
	    { "Xvnc", "x11vnc", "Xtigervnc", "vino-server", "wayvnc", NULL } },
	{ "telnet", "Telnet",
	    { "Telnet remote login (passwords sent unencrypted)",
	      "Telnet リモートログイン (パスワードが暗号化されずに流れます)" },
	    SEV_CRITICAL, RISKY_AUTH_PLAIN, { { 23, 23, T } },
	    { "in.telnetd", "telnetd", NULL } },
	{ "ftp", "FTP",
	    { "FTP file transfer (passwords sent unencrypted)",
	      "FTP ファイル転送 (パスワードが暗号化されずに流れます)" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 21, 21, T } },
	    { "vsftpd", "proftpd", "pure-ftpd", "in.ftpd", NULL } },
	{ "tftp", "TFTP",
	    { "TFTP file transfer (no password at all)",
	      "TFTP ファイル転送 (パスワードなし)" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 69, 69, U } },
	    { "in.tftpd", "tftpd", "atftpd", NULL } },
	{ "mysql", "MySQL/MariaDB",
	    { "MySQL/MariaDB database", "MySQL/MariaDB データベース" },
	    SEV_MEDIUM, RISKY_AUTH_PLAIN, { { 3306, 3306, T }, { 33060, 33060, T } },
	    { "mysqld", "mariadbd", NULL } },
	{ "postgresql", "PostgreSQL",
	    { "PostgreSQL database", "PostgreSQL データベース" },
	    SEV_MEDIUM, RISKY_AUTH_PLAIN, { { 5432, 5432, T } },
	    { "postgres", "postmaster", NULL } },
	{ "mssql", "Microsoft SQL Server",
	    { "Microsoft SQL Server database", "Microsoft SQL Server データベース" },
	    SEV_MEDIUM, RISKY_AUTH_PLAIN, { { 1433, 1433, T }, { 1434, 1434, U } },
	    { "sqlservr", NULL } },
	{ "mongodb", "MongoDB",
	    { "MongoDB database", "MongoDB データベース" },
	    SEV_HIGH, RISKY_AUTH_CONFIG, { { 27017, 27019, T } },
	    { "mongod", "mongos", NULL } },
	{ "redis", "Redis",
	    { "Redis data store", "Redis データストア" },
	    SEV_HIGH, RISKY_AUTH_CONFIG, { { 6379, 6379, T }, { 16379, 16379, T } },
	    { "redis-server", NULL } },
	{ "memcached", "Memcached",
	    { "Memcached cache", "Memcached キャッシュ" },
	    SEV_HIGH, RISKY_AUTH_CONFIG, { { 11211, 11211, T | U } },
	    { "memcached", NULL } },
	{ "elasticsearch", "Elasticsearch/OpenSearch",
	    { "Elasticsearch search database", "Elasticsearch 検索データベース" },
	    SEV_HIGH, RISKY_AUTH_CONFIG, { { 9200, 9200, T }, { 9300, 9300, T } },
	    { NULL } },	/* runs as "java": by port only */
	{ "rsync", "rsync daemon",
	    { "rsync file transfer service", "rsync ファイル転送サービス" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 873, 873, T } }, { "rsync", NULL } },
	{ "nfs", "NFS",
	    { "NFS file sharing", "NFS ファイル共有" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 2049, 2049, T | U } },
	    { "rpc.mountd", NULL } },
	{ "rpcbind", "rpcbind/portmapper",
	    { "RPC port mapper (used by NFS)", "RPC ポートマッパー (NFS が使用)" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 111, 111, T | U } },
	    { "rpcbind", "portmap", NULL } },
	{ "snmp", "SNMP",
	    { "SNMP device management", "SNMP 機器管理" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 161, 161, U } }, { "snmpd", NULL } },
	{ "cups", "CUPS printing",
	    { "printer sharing (CUPS)", "プリンター共有 (CUPS)" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 631, 631, T | U } },
	    { "cupsd", "cups-browsed", NULL } },
	{ "docker", "Docker API without TLS",
	    { "Docker control API without encryption or password",
	      "暗号化もパスワードもない Docker 管理 API" },
	    SEV_CRITICAL, RISKY_AUTH_PLAIN, { { 2375, 2375, T } },
	    { NULL } },	/* dockerd on 2376 uses TLS: by port only */
	{ "x11", "X11 display server",
	    { "X11 graphical display", "X11 画面表示サーバー" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 6000, 6010, T } },
	    { "Xorg", "X", "Xwayland", NULL } },
	{ "ldap", "LDAP directory",
	    { "LDAP user directory", "LDAP ユーザーディレクトリ" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 389, 389, T | U } },
	    { "slapd", NULL } },
	{ "mqtt", "MQTT broker",
	    { "MQTT message broker", "MQTT メッセージブローカー" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 1883, 1883, T } },
	    { "mosquitto", NULL } },
	{ "etcd", "etcd",
	    { "etcd cluster data store", "etcd クラスター用データストア" },
	    SEV_HIGH, RISKY_AUTH_PLAIN, { { 2379, 2380, T } }, { "etcd", NULL } },
};

#undef T
#undef U

const struct risky_service *
risky_ports_table(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

const struct risky_service *
risky_ports_match(const char *proto, int port, const char *process)
{
	size_t n = sizeof(table) / sizeof(table[0]);
	unsigned p = (proto && strncmp(proto, "udp", 3) == 0) ? RISKY_UDP : RISKY_TCP;

	if (process && *process) {
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; table[i].procs[j]; j++)
				if (strcmp(table[i].procs[j], process) == 0)
					return &table[i];
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < 4 && table[i].ports[j].lo; j++)
			if (port >= table[i].ports[j].lo &&
			    port <= table[i].ports[j].hi &&
			    (table[i].ports[j].protos & p))
				return &table[i];
	return NULL;
}

/* Strips a pair of surrounding quotes. */
static struct span
unquote(struct span w)
{
	if (w.len >= 2 && (w.p[0] == '"' || w.p[0] == '\'') &&
	    w.p[w.len - 1] == w.p[0]) {
		w.p++;
		w.len -= 2;
	}
	return w;
}

enum risky_authstate
risky_ports_redis_auth(struct span conf, bool *protected_mode)
{
	struct cursor c;
	struct span l, w;
	bool pass = false, aclfile = false, default_on = true, nopass = true;

	*protected_mode = true;
	cursor_init(&c, conf.p, conf.len);
	while (cursor_line(&c, &l)) {
		if (!span_next_word(&l, &w) || w.p[0] == '#')
			continue;
		if (span_eq_nocase(w, "requirepass")) {
			/* requirepass "" clears it again. */
			pass = span_next_word(&l, &w) && unquote(w).len > 0;
		} else if (span_eq_nocase(w, "protected-mode")) {
			if (span_next_word(&l, &w))
				*protected_mode = !span_eq_nocase(unquote(w), "no");
		} else if (span_eq_nocase(w, "aclfile")) {
			aclfile = true;
		} else if (span_eq_nocase(w, "user")) {
			if (!span_next_word(&l, &w) || !span_eq(w, "default"))
				continue;
			/* ACL rules apply left to right. */
			while (span_next_word(&l, &w)) {
				if (span_eq(w, "on"))
					default_on = true;
				else if (span_eq(w, "off"))
					default_on = false;
				else if (span_eq(w, "nopass"))
					nopass = true;
				else if (span_eq(w, "resetpass") || w.p[0] == '>' ||
				    w.p[0] == '#')
					nopass = false;
				else if (span_eq(w, "reset")) {
					default_on = false;
					nopass = false;
				}
			}
		}
	}
	if (pass || !default_on || !nopass)
		return RISKY_AUTH_ON;
	if (aclfile)
		return RISKY_AUTH_UNKNOWN;	/* the default user lives there */
	return RISKY_AUTH_OFF;
}

enum risky_authstate
risky_ports_memcached_auth(struct span conf)
{
	struct cursor c;
	struct span l, w;

	cursor_init(&c, conf.p, conf.len);
	while (cursor_line(&c, &l)) {
		while (span_next_word(&l, &w)) {
			if (w.p[0] == '#')
				break;
			if (span_eq(w, "-S") || span_eq(w, "--enable-sasl") ||
			    span_starts_with(w, "--auth-file") ||
			    span_starts_with(w, "-Y"))
				return RISKY_AUTH_ON;
		}
	}
	return RISKY_AUTH_OFF;	/* memcached has no password by default */
}

/*
 * The last value of a dotted key in simple YAML: nested mappings by
 * indentation, dotted keys written flat ("xpack.security.enabled: x") or
 * mixed. Enough for the few settings we read; no flow style.
 */
static bool
yaml_value(struct span conf, const char *dotted, struct span *val)
{
	struct { size_t indent; struct span key; } stack[16];
	size_t depth = 0;
	bool found = false;
	struct cursor c;
	struct span l;

	cursor_init(&c, conf.p, conf.len);
	while (cursor_line(&c, &l)) {
		size_t ind = 0;
		while (ind < l.len && l.p[ind] == ' ')
			ind++;
		struct span t = span_trim((struct span){ l.p + ind, l.len - ind });
		if (t.len == 0 || t.p[0] == '#' || t.p[0] == '-')
			continue;
		struct span k, v;
		if (!span_split(t, ':', &k, &v))
			continue;
		k = unquote(span_trim(k));
		size_t hash = span_find(v, '#');
		v = unquote(span_trim((struct span){ v.p, hash }));
		while (depth > 0 && stack[depth - 1].indent >= ind)
			depth--;
		if (v.len == 0) {
			if (depth < 16) {
				stack[depth].indent = ind;
				stack[depth].key = k;
				depth++;
			}
			continue;
		}
		/* Compare stack keys + k with the dotted name. */
		struct span want = span_from_cstr(dotted);
		bool match = true;
		for (size_t i = 0; i <= depth && match; i++) {
			struct span part = i < depth ? stack[i].key : k;
			if (want.len < part.len || memcmp(want.p, part.p, part.len) != 0) {
				match = false;
				break;
			}
			want.p += part.len;
			want.len -= part.len;
			if (i < depth) {
				if (want.len == 0 || want.p[0] != '.')
					match = false;
				else {
					want.p++;
					want.len--;
				}
			}
		}
		if (match && want.len == 0) {
			*val = v;
			found = true;
		}
	}
	return found;
}

enum risky_authstate
risky_ports_mongodb_auth(struct span conf)
{
	struct span v;
	if (yaml_value(conf, "security.authorization", &v))
		return span_eq_nocase(v, "enabled") ? RISKY_AUTH_ON : RISKY_AUTH_OFF;
	/* A keyFile (replica sets) turns authorization on by itself. */
	if (yaml_value(conf, "security.keyFile", &v))
		return RISKY_AUTH_ON;
	/* The pre-2.6 "key = value" format. */
	struct cursor c;
	struct span l, k;
	cursor_init(&c, conf.p, conf.len);
	while (cursor_line(&c, &l)) {
		if (span_split(l, '=', &k, &v) && span_eq(span_trim(k), "auth"))
			return span_eq_nocase(span_trim(v), "true") ? RISKY_AUTH_ON :
			    RISKY_AUTH_OFF;
	}
	return RISKY_AUTH_OFF;	/* mongod's default: no authorization */
}

enum risky_authstate
risky_ports_elastic_auth(struct span conf)
{
	struct span v;
	if (!yaml_value(conf, "xpack.security.enabled", &v))
		return RISKY_AUTH_UNKNOWN;	/* on by default since 8.0 */
	return span_eq_nocase(v, "true") ? RISKY_AUTH_ON : RISKY_AUTH_OFF;
}
