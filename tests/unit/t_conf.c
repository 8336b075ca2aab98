/* t_conf.c - the typed configuration table and its YAML loader. */
#include <string.h>

#include "common/conf.h"
#include "common/err.h"
#include "tests/tap.h"

static int
load(struct conf *c, const char *yaml, char *err, size_t n)
{
	return conf_load_buffer(c, "test.yaml", yaml, strlen(yaml), err, n);
}

int
main(void)
{
	struct conf c;
	char err[256];

	conf_init(&c);
	is_int(conf_int(&c, CONF_SCAN_PASSWORD_CHECK_MS), 200, "default applies");
	is_str(conf_str(&c, CONF_LOG_LEVEL), "warn", "string default");

	is_int(load(&c, "scan:\n  password_check_ms: 50\nlog:\n  level: debug\n", err, sizeof(err)),
	    0, "nested mapping loads");
	is_int(conf_int(&c, CONF_SCAN_PASSWORD_CHECK_MS), 50, "nested key set");
	is_str(conf_str(&c, CONF_LOG_LEVEL), "debug", "string set");

	is_int(load(&c, "scan:\n  nonsense: 1\n", err, sizeof(err)), MAMORI_E_INVAL, "unknown key refused");
	ok(strstr(err, "test.yaml:2") && strstr(err, "scan.nonsense"), "message names file, line, key: %s", err);

	is_int(load(&c, "scan:\n  password_check_ms: lots\n", err, sizeof(err)), MAMORI_E_INVAL,
	    "wrong type refused");
	is_int(load(&c, "scan:\n  password_check_ms: 99999999\n", err, sizeof(err)), MAMORI_E_INVAL,
	    "out of range refused");
	is_int(load(&c, "scan: [1, 2\n", err, sizeof(err)), MAMORI_E_PARSE, "syntax error refused");
	is_int(load(&c, "", err, sizeof(err)), 0, "empty file is fine");
	is_int(load(&c, "\x01\x02\xff\xfe binary", err, sizeof(err)) != 0, 1, "binary refused");
	is_int(load(&c, "log:\n  level: loud\n", err, sizeof(err)), MAMORI_E_INVAL, "bad enum refused");
	is_int(conf_load_file(&c, "/nonexistent/mamori.yaml", err, sizeof(err)), MAMORI_E_NOTFOUND,
	    "missing file is NOTFOUND");
	conf_release(&c);
	return done_testing();
}
