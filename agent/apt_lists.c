/*
 * apt_lists.c - Packages indexes and Release files of /var/lib/apt/lists.
 *
 * A security Packages index is a few MB once decompressed; it is walked
 * line by line with memchr and only three or four fields per stanza are
 * looked at, so reading it costs milliseconds.
 */
#include "agent/apt_lists.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/decompress.h"
#include "common/err.h"

/* "Name: value" with a case-insensitive name; *value trimmed. */
static bool
field(struct span line, const char *name, struct span *value)
{
	size_t n = strlen(name);

	if (line.len <= n || line.p[n] != ':')
		return false;
	for (size_t i = 0; i < n; i++) {
		char a = line.p[i], b = name[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (char)(b - 'A' + 'a');
		if (a != b)
			return false;
	}
	*value = span_trim((struct span){ line.p + n + 1, line.len - n - 1 });
	return true;
}

static bool
blank(struct span line)
{
	for (size_t i = 0; i < line.len; i++)
		if (line.p[i] != ' ' && line.p[i] != '\t' && line.p[i] != '\r')
			return false;
	return true;
}

static int
emit(struct apt_stanza *st, apt_stanza_fn fn, void *arg)
{
	int rc = 0;

	if (st->package.len && st->version.len)
		rc = fn(arg, st);
	memset(st, 0, sizeof(*st));
	return rc;
}

int
apt_lists_parse_packages(struct span data, apt_stanza_fn fn, void *arg)
{
	struct apt_stanza st;
	const char *p = data.p, *end = data.p + data.len;
	int rc;

	memset(&st, 0, sizeof(st));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct span line = { p, (size_t)((nl ? nl : end) - p) };
		p = nl ? nl + 1 : end;

		if (line.len == 0 || blank(line)) {
			if ((rc = emit(&st, fn, arg)))
				return rc;
			continue;
		}
		/* Continuation lines (long Description, Conffiles) and
		 * fields we do not need are skipped on their first byte. */
		switch (line.p[0]) {
		case 'P': case 'p':
			field(line, "Package", &st.package);
			break;
		case 'V': case 'v':
			field(line, "Version", &st.version);
			break;
		case 'A': case 'a':
			field(line, "Architecture", &st.arch);
			break;
		case 'S': case 's':
			if (field(line, "Source", &st.source)) {
				/* "Source: openssl (3.0.15-1)": the name only. */
				size_t sp = span_find(st.source, ' ');
				st.source.len = sp;
			}
			break;
		default:
			break;
		}
	}
	return emit(&st, fn, arg);
}

int
apt_lists_parse_release(struct span data, struct arena *a,
    struct apt_release *out)
{
	struct cursor c;
	struct span line, v;
	bool signed_msg = false, in_body = true;

	memset(out, 0, sizeof(*out));
	cursor_init(&c, data.p, data.len);
	while (cursor_line(&c, &line)) {
		if (span_starts_with(line, "-----BEGIN PGP SIGNED MESSAGE")) {
			/* Armor headers ("Hash: SHA256") end at a blank line. */
			signed_msg = true;
			in_body = false;
			continue;
		}
		if (signed_msg && !in_body) {
			if (blank(line))
				in_body = true;
			continue;
		}
		if (span_starts_with(line, "-----BEGIN PGP SIGNATURE"))
			break;
		/* The fields come first; the checksum lists after them. */
		if (line.len == 0 || line.p[0] == ' ' || line.p[0] == '\t')
			continue;
		char **dst = NULL;
		if (field(line, "Origin", &v))
			dst = &out->origin;
		else if (field(line, "Label", &v))
			dst = &out->label;
		else if (field(line, "Suite", &v))
			dst = &out->suite;
		else if (field(line, "Codename", &v))
			dst = &out->codename;
		if (dst && !*dst && !(*dst = arena_spandup(a, v)))
			return MAMORI_E_NOMEM;
	}
	return MAMORI_OK;
}

static bool
ends_security(const char *s)
{
	return s && span_ends_with(span_from_cstr(s), "-security");
}

bool
apt_release_is_security(const struct apt_release *r)
{
	return (r->label && strcmp(r->label, "Debian-Security") == 0) ||
	    ends_security(r->suite) || ends_security(r->codename);
}

static const char *const pkg_suffixes[] = {
	"_Packages", "_Packages.lz4", "_Packages.gz", "_Packages.xz",
	"_Packages.zst", "_Packages.bz2", NULL,
};

static bool
classify(const char *name, enum apt_list_kind *kind, size_t *stem)
{
	struct span s = span_from_cstr(name);

	for (size_t i = 0; pkg_suffixes[i]; i++) {
		if (span_ends_with(s, pkg_suffixes[i])) {
			*kind = APT_LIST_PACKAGES;
			*stem = s.len - strlen(pkg_suffixes[i]);
			return true;
		}
	}
	if (span_ends_with(s, "_InRelease")) {
		*kind = APT_LIST_RELEASE;
		*stem = s.len - strlen("_InRelease");
		return true;
	}
	if (span_ends_with(s, "_Release")) {
		*kind = APT_LIST_RELEASE;
		*stem = s.len - strlen("_Release");
		return true;
	}
	return false;
}

/* Links each Packages index to the longest release whose dist prefixes it. */
static void
link_releases(struct vec *files)
{
	for (size_t i = 0; i < files->n; i++) {
		struct apt_list_file *f = vec_at(files, i);
		const struct apt_list_file *best = NULL;
		size_t bestlen = 0;

		if (f->kind != APT_LIST_PACKAGES)
			continue;
		for (size_t j = 0; j < files->n; j++) {
			const struct apt_list_file *r = vec_at(files, j);
			size_t n;
			if (r->kind != APT_LIST_RELEASE)
				continue;
			n = strlen(r->dist);
			if (n > bestlen && strncmp(f->name, r->dist, n) == 0 &&
			    f->name[n] == '_') {
				best = r;
				bestlen = n;
			}
		}
		if (best) {
			f->dist = best->dist;
			f->release = best->release;
			f->security = apt_release_is_security(&best->release);
		} else {
			/* No release file (removed by hand): the URL is all
			 * we have. */
			f->security = strstr(f->name, "-security_") != NULL;
		}
	}
}

int
apt_lists_scan(struct scan_ctx *ctx, struct vec *files)
{
	DIR *d = rootfs_opendir(ctx->root, APT_LISTS_DIR);
	struct dirent *e;
	int rc = MAMORI_OK;

	if (!d)
		return errno == ENOENT || errno == ENOTDIR ?
		    MAMORI_E_NOTFOUND : MAMORI_E_IO;
	while ((e = readdir(d))) {
		enum apt_list_kind kind;
		size_t stem;
		struct stat st;

		if (e->d_name[0] == '.' || !classify(e->d_name, &kind, &stem))
			continue;
		struct apt_list_file *f = vec_push(ctx->arena, files);
		if (!f) {
			rc = MAMORI_E_LIMIT;
			break;
		}
		f->kind = kind;
		f->name = arena_strdup(ctx->arena, e->d_name);
		f->path = arena_printf(ctx->arena, "%s/%s", APT_LISTS_DIR,
		    e->d_name);
		f->dist = arena_spandup(ctx->arena,
		    (struct span){ e->d_name, stem });
		if (!f->name || !f->path || !f->dist) {
			rc = MAMORI_E_NOMEM;
			break;
		}
		if (rootfs_stat(ctx->root, f->path, &st, true) == 0)
			f->mtime = st.st_mtime;
		if (kind == APT_LIST_RELEASE) {
			struct span data;
			/* InRelease files are tens of KB; the signature and
			 * checksum lists are skipped by the parser. */
			int r = rootfs_read(ctx->root, f->path, 16u << 20,
			    ctx->arena, &data);
			if (r == MAMORI_E_NOMEM) {
				rc = r;
				break;
			}
			if (r)
				scan_warn(ctx, "updates", "cannot read %s: %s",
				    f->path, err_str(r));
			else if ((r = apt_lists_parse_release(data, ctx->arena,
			    &f->release))) {
				rc = r;
				break;
			}
		}
	}
	closedir(d);
	if (rc == MAMORI_OK)
		link_releases(files);
	return rc;
}

int
apt_lists_read(struct scan_ctx *ctx, const struct apt_list_file *f,
    char **buf, size_t *len)
{
	char *raw = NULL;
	size_t rawlen = 0;
	int rc;

	*buf = NULL;
	*len = 0;
	if (span_ends_with(span_from_cstr(f->name), ".bz2"))
		return MAMORI_E_UNSUPPORTED;
	rc = rootfs_read_malloc(ctx->root, f->path, scan_max_file(ctx), &raw,
	    &rawlen);
	if (rc)
		return rc;
	rc = decompress_buffer(raw, rawlen, scan_max_file(ctx), buf, len);
	free(raw);
	return rc;
}
