/* t_risky_ports.c - the risky service table and the authentication
 * readers for Redis, Memcached, MongoDB and Elasticsearch. */
#include <string.h>

#include "agent/risky_ports.h"
#include "tests/tap.h"

static const char *
key(const char *proto, int port, const char *proc)
{
	const struct risky_service *s = risky_ports_match(proto, port, proc);
	return s ? s->key : NULL;
}

static void
test_match(void)
{
	is_str(key("tcp", 445, NULL), "smb", "445/tcp is SMB");
	is_str(key("tcp6", 139, NULL), "smb", "139/tcp6 is SMB");
	is_str(key("udp", 137, "nmbd"), "netbios", "nmbd is NetBIOS");
	is_str(key("tcp", 137, NULL), NULL, "137/tcp is not NetBIOS (UDP only)");
	is_str(key("tcp", 6380, "redis-server"), "redis", "Redis found by process on 6380");
	is_str(key("tcp", 6379, "docker-proxy"), "redis", "published Redis found by port");
	is_str(key("udp", 11211, NULL), "memcached", "memcached UDP");
	is_str(key("tcp", 5905, NULL), "vnc", "VNC range");
	is_str(key("tcp", 5911, NULL), NULL, "past the VNC range");
	is_str(key("tcp", 23, NULL), "telnet", "telnet");
	is_str(key("tcp", 2375, NULL), "docker", "Docker API");
	is_str(key("tcp", 2376, "dockerd"), NULL, "Docker TLS port is not");
	is_str(key("udp", 69, NULL), "tftp", "TFTP");
	is_str(key("udp", 161, NULL), "snmp", "SNMP");
	is_str(key("tcp", 22, "sshd"), NULL, "SSH is not in the table");
	is_str(key("tcp", 33060, "mysqld"), "mysql", "MySQL X protocol by process");
	size_t n;
	const struct risky_service *t = risky_ports_table(&n);
	bool texts = true;
	for (size_t i = 0; i < n; i++)
		texts = texts && t[i].what.en && t[i].what.ja && t[i].ports[0].lo > 0;
	ok(n >= 20 && texts, "%zu services, each with ports and text", n);
}

static void
test_auth(void)
{
	bool pm;
	is_int(risky_ports_redis_auth(SPAN_LIT("bind 0.0.0.0\nprotected-mode no\n"), &pm),
	    RISKY_AUTH_OFF, "redis without requirepass");
	ok(!pm, "protected mode off");
	is_int(risky_ports_redis_auth(SPAN_LIT("# requirepass foobared\n"), &pm),
	    RISKY_AUTH_OFF, "commented requirepass");
	ok(pm, "protected mode on by default");
	is_int(risky_ports_redis_auth(SPAN_LIT("requirepass \"s3cret\"\n"), &pm),
	    RISKY_AUTH_ON, "requirepass");
	is_int(risky_ports_redis_auth(SPAN_LIT("requirepass x\nrequirepass \"\"\n"), &pm),
	    RISKY_AUTH_OFF, "requirepass cleared again");
	is_int(risky_ports_redis_auth(SPAN_LIT("user default on >pw ~* +@all\n"), &pm),
	    RISKY_AUTH_ON, "ACL password on default user");
	is_int(risky_ports_redis_auth(SPAN_LIT("user default on nopass ~* +@all\n"), &pm),
	    RISKY_AUTH_OFF, "ACL nopass");
	is_int(risky_ports_redis_auth(SPAN_LIT("user default off\n"), &pm),
	    RISKY_AUTH_ON, "default user disabled");
	is_int(risky_ports_redis_auth(SPAN_LIT("aclfile /etc/redis/users.acl\n"), &pm),
	    RISKY_AUTH_UNKNOWN, "ACL file: unknown");

	is_int(risky_ports_memcached_auth(SPAN_LIT("-m 64\n-p 11211\n-l 0.0.0.0\n")),
	    RISKY_AUTH_OFF, "memcached without -S");
	is_int(risky_ports_memcached_auth(SPAN_LIT("-m 64\n# -S\n")), RISKY_AUTH_OFF,
	    "commented -S");
	is_int(risky_ports_memcached_auth(SPAN_LIT("-m 64\n-S\n")), RISKY_AUTH_ON, "-S");
	is_int(risky_ports_memcached_auth(SPAN_LIT("/usr/bin/memcached -m 64 -p 11211 -u memcache -S")),
	    RISKY_AUTH_ON, "-S on a command line");

	is_int(risky_ports_mongodb_auth(SPAN_LIT("net:\n  port: 27017\n  bindIp: 0.0.0.0\n")),
	    RISKY_AUTH_OFF, "mongod without security");
	is_int(risky_ports_mongodb_auth(SPAN_LIT("security:\n  authorization: enabled\n")),
	    RISKY_AUTH_ON, "mongod authorization enabled");
	is_int(risky_ports_mongodb_auth(SPAN_LIT("security:\n  authorization: \"disabled\"\n")),
	    RISKY_AUTH_OFF, "mongod authorization disabled");
	is_int(risky_ports_mongodb_auth(SPAN_LIT("net:\n  authorization: enabled\n")),
	    RISKY_AUTH_OFF, "authorization under the wrong key");
	is_int(risky_ports_mongodb_auth(SPAN_LIT("security:\n    keyFile: /k\n")),
	    RISKY_AUTH_ON, "keyFile implies authorization");
	is_int(risky_ports_mongodb_auth(SPAN_LIT("auth = true\n")), RISKY_AUTH_ON, "old format");

	is_int(risky_ports_elastic_auth(SPAN_LIT("xpack.security.enabled: false\n")),
	    RISKY_AUTH_OFF, "flat xpack.security.enabled false");
	is_int(risky_ports_elastic_auth(SPAN_LIT("xpack:\n  security:\n    enabled: true # x\n")),
	    RISKY_AUTH_ON, "nested true with comment");
	is_int(risky_ports_elastic_auth(SPAN_LIT("xpack.security:\n  enabled: false\n")),
	    RISKY_AUTH_OFF, "mixed dotted and nested");
	is_int(risky_ports_elastic_auth(SPAN_LIT("cluster.name: x\n")), RISKY_AUTH_UNKNOWN,
	    "unset: unknown");
}

int
main(void)
{
	test_match();
	test_auth();
	return done_testing();
}
