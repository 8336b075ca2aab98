#include "agent/agent_state.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/atomicfile.h"
#include "common/err.h"

#define STATE_MAX 8192

const char *
agent_state_default_dir(void)
{
	return geteuid() == 0 ? "/var/lib/mamori/agent" : "mamori-agent";
}

/* dir/name into out; MAMORI_E_LIMIT with err set when it does not fit. */
static int
path_in(const char *dir, const char *name, char *out, size_t outsz, char *err, size_t errsz)
{
	int n = snprintf(out, outsz, "%s/%s", dir, name);
	if (n >= 0 && (size_t)n < outsz)
		return MAMORI_OK;
	snprintf(err, errsz, "state directory path too long: %.200s", dir);
	return MAMORI_E_LIMIT;
}

static int
take(json_t *o, const char *key, char *dst, size_t dstsz)
{
	const char *v = json_string_value(json_object_get(o, key));
	if (!v || strlen(v) >= dstsz)
		return MAMORI_E_PARSE;
	snprintf(dst, dstsz, "%s", v);
	return MAMORI_OK;
}

int
agent_state_load(const char *dir, struct agent_state *st, char *err, size_t errsz)
{
	char path[4096], buf[STATE_MAX + 1];
	json_t *o = NULL;
	int rc = MAMORI_E_PARSE;
	memset(st, 0, sizeof(*st));
	if (path_in(dir, AGENT_STATE_FILE, path, sizeof(path), err, errsz) != MAMORI_OK)
		return MAMORI_E_LIMIT;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return errno == ENOENT ? MAMORI_E_NOTFOUND : MAMORI_E_IO;
	}
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n <= 0 || n > STATE_MAX) {
		snprintf(err, errsz, "%s: empty or too large", path);
		return MAMORI_E_PARSE;
	}
	o = json_loadb(buf, (size_t)n, 0, NULL);
	json_t *id = json_object_get(o, "agent_id");
	if (!json_is_integer(id) || json_integer_value(id) <= 0 ||
	    take(o, "manager", st->manager, sizeof(st->manager)) ||
	    take(o, "secret", st->secret, sizeof(st->secret)) ||
	    take(o, "fingerprint", st->fingerprint, sizeof(st->fingerprint)) ||
	    take(o, "kind", st->kind, sizeof(st->kind)) ||
	    take(o, "name", st->name, sizeof(st->name))) {
		snprintf(err, errsz, "%s: not a mamori agent state file", path);
		goto out;
	}
	st->agent_id = json_integer_value(id);
	rc = MAMORI_OK;
out:
	json_decref(o);
	explicit_bzero(buf, sizeof(buf));
	return rc;
}

/* Unbuffered, so the secret leaves no copy in a freed stdio buffer. */
static int
fill_state(FILE *f, const void *text, char *err, size_t errsz)
{
	if (setvbuf(f, NULL, _IONBF, 0) != 0 || fputs(text, f) == EOF || fputc('\n', f) == EOF)
		return MAMORI_E_IO;
	return MAMORI_OK;
}

int
agent_state_save(const char *dir, const struct agent_state *st, char *err, size_t errsz)
{
	char path[4096];
	char *text = NULL;
	int rc;
	json_t *o = json_pack("{s:s, s:I, s:s, s:s, s:s, s:s}", "manager", st->manager,
	    "agent_id", (json_int_t)st->agent_id, "secret", st->secret,
	    "fingerprint", st->fingerprint, "kind", st->kind, "name", st->name);
	if (!o || !(text = json_dumps(o, JSON_INDENT(1)))) {
		json_decref(o);
		return MAMORI_E_NOMEM;
	}
	json_decref(o);
	if ((rc = path_in(dir, AGENT_STATE_FILE, path, sizeof(path), err, errsz)) != MAMORI_OK)
		goto out;
	rc = atomicfile_write(path, 0600, fill_state, text, err, errsz);
out:
	explicit_bzero(text, strlen(text));
	free(text);
	return rc;
}

int
agent_state_enrol(const char *dir, const char *url, const char *token,
    const char *fingerprint, const char *name, struct agent_state *st, char *err,
    size_t errsz)
{
	struct agent_http h;
	struct agent_http_answer ans = { 0 };
	char host[256], path[4096];
	json_t *body = NULL, *reply = NULL;
	char *text = NULL;
	int rc;

	memset(st, 0, sizeof(*st));
	if (path_in(dir, AGENT_STATE_FILE, path, sizeof(path), err, errsz) != MAMORI_OK)
		return MAMORI_E_LIMIT;
	if (access(path, F_OK) == 0) {
		snprintf(err, errsz, "already enrolled (%s exists); remove it to enrol again", path);
		return MAMORI_E_INVAL;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		return MAMORI_E_IO;
	}
	if (gethostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	host[sizeof(host) - 1] = '\0';
	if ((rc = agent_http_init(&h, url, fingerprint, 30, err, errsz)) != MAMORI_OK)
		return rc;
	body = json_pack("{s:s, s:s}", "token", token, "hostname", host);
	if (body && name)
		json_object_set_new(body, "name", json_string(name));
	if (!body || !(text = json_dumps(body, JSON_COMPACT))) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	rc = agent_http_request(&h, "POST", "/api/enrol", "Content-Type: application/json\r\n",
	    text, strlen(text), &ans, err, errsz);
	if (rc != MAMORI_OK)
		goto out;
	reply = json_loadb(ans.body, ans.len, 0, NULL);
	if (ans.status != 201) {
		const char *msg = json_string_value(json_object_get(reply, "message"));
		snprintf(err, errsz, "the manager refused the enrolment (%d): %s", ans.status,
		    msg ? msg : "no reason given");
		rc = ans.status == 401 || ans.status == 429 ? MAMORI_E_PERM : MAMORI_E_IO;
		goto out;
	}
	json_t *id = json_object_get(reply, "agent_id");
	if (!json_is_integer(id) || take(reply, "secret", st->secret, sizeof(st->secret)) ||
	    take(reply, "kind", st->kind, sizeof(st->kind)) ||
	    take(reply, "name", st->name, sizeof(st->name))) {
		snprintf(err, errsz, "the manager's answer lacks agent_id or secret");
		rc = MAMORI_E_PARSE;
		goto out;
	}
	st->agent_id = json_integer_value(id);
	snprintf(st->manager, sizeof(st->manager), "%s", url);
	snprintf(st->fingerprint, sizeof(st->fingerprint), "%s", h.seen);
	rc = agent_state_save(dir, st, err, errsz);
out:
	if (text) {
		explicit_bzero(text, strlen(text));
		free(text);
	}
	json_decref(body);
	json_decref(reply);
	if (ans.body)
		explicit_bzero(ans.body, ans.len);	/* it carried the secret */
	agent_http_answer_free(&ans);
	agent_http_release(&h);
	return rc;
}
