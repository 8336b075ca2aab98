/*
 * cmd_vuln_update.c - mamori vuln update [--db FILE] SOURCE...
 *
 * Imports vulnerability feeds into the local database. The format of each
 * SOURCE is recognised from its content, never its name; gzip-compressed
 * files are read as they are. A directory is a set of OSV records (*.json,
 * e.g. an unpacked osv.dev all.zip). All sources go in one transaction:
 * if any of them is truncated or corrupt, nothing changes.
 *
 * A SOURCE that is an http(s) URL is downloaded first (libcurl, into a
 * temporary file, before the database is touched); mamori never fetches
 * anything it was not told to. The usual sources (README, mamori(1)):
 *   Debian tracker  https://security-tracker.debian.org/tracker/data/json
 *   CISA KEV        https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json
 *   EPSS            https://epss.empiricalsecurity.com/epss_scores-current.csv.gz
 *                   (formerly https://epss.cyentia.com/epss_scores-current.csv.gz)
 *   OSV             https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip
 *                   (unzip, then pass the directory)
 *   JVN iPedia      https://jvndb.jvn.jp/ja/rss/jvndb.rdf, .../ja/rss/years/jvndb_YYYY.rdf,
 *                   detail: https://jvndb.jvn.jp/ja/feed/detail/jvndb_detail_YYYY.rdf
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <zlib.h>

#include "cmd/cmd.h"
#include "common/download.h"
#include "common/err.h"
#include "storage/db.h"
#include "storage/store_vuln_import.h"
#include "vuln/feed.h"

#define CHUNK 65536
#define HEAD 8192

/* A source file read in chunks: hashed as stored, gunzipped if needed, with
 * the first bytes kept for format detection and then served again. */
struct src {
	int fd;
	EVP_MD_CTX *md;
	bool gz, z_open, z_member_end, eof;
	z_stream z;
	unsigned char raw[CHUNK];
	char head[HEAD];
	size_t head_len, head_off;
	const char *path;
	char err[160];
};

static int
raw_read(struct src *s, void *buf, size_t len, size_t *got)
{
	ssize_t n;
	do
		n = read(s->fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		snprintf(s->err, sizeof(s->err), "read: %s", strerror(errno));
		return MAMORI_E_IO;
	}
	if (n > 0 && EVP_DigestUpdate(s->md, buf, (size_t)n) != 1)
		return MAMORI_E_NOMEM;
	*got = (size_t)n;
	return MAMORI_OK;
}

static int
gz_read(struct src *s, void *buf, size_t len, size_t *got)
{
	*got = 0;
	s->z.next_out = buf;
	s->z.avail_out = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
	while (s->z.avail_out > 0) {
		if (s->z.avail_in == 0 && !s->eof) {
			size_t n;
			int rc = raw_read(s, s->raw, sizeof(s->raw), &n);
			if (rc)
				return rc;
			s->eof = n == 0;
			s->z.next_in = s->raw;
			s->z.avail_in = (uInt)n;
		}
		if (s->z.avail_in == 0 && s->eof) {
			if (!s->z_member_end) {
				snprintf(s->err, sizeof(s->err),
				    "the compressed data ends early (truncated file?)");
				return MAMORI_E_PARSE;
			}
			break;
		}
		if (s->z_member_end) {
			/* Another gzip member follows (concatenated files). */
			if (inflateReset(&s->z) != Z_OK)
				return MAMORI_E_PARSE;
			s->z_member_end = false;
		}
		int zr = inflate(&s->z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END)
			s->z_member_end = true;
		else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			snprintf(s->err, sizeof(s->err), "corrupt gzip data: %s",
			    s->z.msg ? s->z.msg : "inflate failed");
			return MAMORI_E_PARSE;
		}
		if (s->z.avail_out < len)
			break;	/* hand over what we have */
	}
	*got = len - s->z.avail_out;
	return MAMORI_OK;
}

static int
src_read(void *ctx, void *buf, size_t len, size_t *got)
{
	struct src *s = ctx;
	if (s->head_off < s->head_len) {
		size_t n = s->head_len - s->head_off;
		if (n > len)
			n = len;
		memcpy(buf, s->head + s->head_off, n);
		s->head_off += n;
		*got = n;
		return MAMORI_OK;
	}
	return s->gz ? gz_read(s, buf, len, got) : raw_read(s, buf, len, got);
}

static void
src_close(struct src *s)
{
	if (s->z_open)
		inflateEnd(&s->z);
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	s->z_open = false;
}

/* Opens path and reads its (decompressed) head; md is shared so that a
 * directory hashes as one stream. */
static int
src_open(struct src *s, const char *path, EVP_MD_CTX *md)
{
	memset(s, 0, sizeof(*s));
	s->path = path;
	s->md = md;
	s->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (s->fd < 0) {
		snprintf(s->err, sizeof(s->err), "cannot open: %s", strerror(errno));
		return MAMORI_E_IO;
	}
	size_t n;
	int rc = raw_read(s, s->raw, 2, &n);
	if (rc)
		return rc;
	if (n == 2 && s->raw[0] == 0x1f && s->raw[1] == 0x8b) {
		s->gz = s->z_open = true;
		if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
			return MAMORI_E_NOMEM;
		s->z.next_in = s->raw;
		s->z.avail_in = 2;
	} else {
		memcpy(s->head, s->raw, n);
		s->head_len = n;
	}
	while (s->head_len < HEAD) {
		rc = s->gz ? gz_read(s, s->head + s->head_len, HEAD - s->head_len, &n) :
		    raw_read(s, s->head + s->head_len, HEAD - s->head_len, &n);
		if (rc)
			return rc;
		if (n == 0)
			break;
		s->head_len += n;
	}
	return MAMORI_OK;
}

struct run {
	struct store_vuln_import *imp;
	struct feed_sink sink;
	char summary[64][320];
	int nsummary;
};

static void
hex(EVP_MD_CTX *md, char out[65])
{
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	out[0] = '\0';
	if (EVP_DigestFinal_ex(md, d, &n) != 1)
		return;
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
sink_reset(struct run *r)
{
	memset(&r->sink, 0, sizeof(r->sink));
	r->sink.ctx = r->imp;
	r->sink.pkg = store_vuln_import_pkg;
	r->sink.cve = store_vuln_import_cve;
	r->sink.kev = store_vuln_import_kev;
	r->sink.epss = store_vuln_import_epss;
	r->sink.jvn = store_vuln_import_jvn;
}

/* Parses one opened file into the import; msg gets the reason on failure. */
static int
import_file(struct run *r, struct src *s, enum feed_format want, enum feed_format *got,
    char *msg, size_t msgsz)
{
	struct span head = { s->head, s->head_len };
	enum feed_format f = feed_detect(head);
	*got = f;
	if (f == FEED_UNKNOWN) {
		snprintf(msg, msgsz, "%s: not a feed mamori knows (Debian tracker JSON, "
		    "OSV, CISA KEV, EPSS CSV, JVN RSS/VULDEF)", s->path);
		return MAMORI_E_UNSUPPORTED;
	}
	if (want != FEED_UNKNOWN && f != want) {
		snprintf(msg, msgsz, "%s: a %s file in an OSV directory", s->path,
		    feed_format_name(f));
		return MAMORI_E_UNSUPPORTED;
	}
	/* Fixed-kind feeds replace their kind even when they hold no rows. */
	if (f != FEED_OSV && store_vuln_import_claim(r->imp, feed_format_name(f)) != MAMORI_OK) {
		snprintf(msg, msgsz, "%s: %s", s->path, store_vuln_import_errmsg(r->imp));
		return MAMORI_E_DB;
	}
	struct feed_reader in = { src_read, s };
	int rc = feed_parse(f, &in, &r->sink);
	if (rc == MAMORI_E_DB)
		snprintf(msg, msgsz, "%s: database: %s", s->path, store_vuln_import_errmsg(r->imp));
	else if (rc)
		snprintf(msg, msgsz, "%s: %s", s->path,
		    s->err[0] ? s->err : r->sink.err[0] ? r->sink.err : err_str(rc));
	return rc;
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int
json_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

static void
date_str(int64_t t, char *out, size_t outsz)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (t <= 0 || !gmtime_r(&tt, &tm))
		snprintf(out, outsz, "none stated");
	else
		strftime(out, outsz, "%Y-%m-%d", &tm);
}

/* path is what is read; origin (the path, or the URL it came from) is
 * what messages and vuln_sources name. */
static int
import_source(struct run *r, const char *path, const char *origin, char *msg, size_t msgsz)
{
	struct stat st;
	struct src *s = calloc(1, sizeof(*s));
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	struct dirent **names = NULL;
	int nnames = 0, rc = MAMORI_OK;
	enum feed_format f = FEED_UNKNOWN;
	uint64_t rows0 = store_vuln_import_rows(r->imp);
	char sha[65], date[32];

	sink_reset(r);
	if (!s || !md || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
		snprintf(msg, msgsz, "out of memory");
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	if (stat(path, &st) != 0) {
		snprintf(msg, msgsz, "%s: %s", path, strerror(errno));
		rc = MAMORI_E_IO;
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		if ((nnames = scandir(path, &names, json_file, by_name)) < 0) {
			snprintf(msg, msgsz, "%s: %s", path, strerror(errno));
			rc = MAMORI_E_IO;
			goto out;
		}
		if (nnames == 0) {
			snprintf(msg, msgsz, "%s: no *.json OSV records in this directory", path);
			rc = MAMORI_E_NOTFOUND;
			goto out;
		}
		for (int i = 0; i < nnames && rc == MAMORI_OK; i++) {
			char fp[4096];
			enum feed_format got;
			snprintf(fp, sizeof(fp), "%s/%s", path, names[i]->d_name);
			if ((rc = src_open(s, fp, md)) != MAMORI_OK)
				snprintf(msg, msgsz, "%.300s: %s", fp, s->err);
			else
				rc = import_file(r, s, FEED_OSV, &got, msg, msgsz);
			src_close(s);
		}
		f = FEED_OSV;
	} else {
		if ((rc = src_open(s, path, md)) != MAMORI_OK)
			snprintf(msg, msgsz, "%s: %s", origin, s->err);
		else {
			s->path = origin;
			rc = import_file(r, s, FEED_UNKNOWN, &f, msg, msgsz);
		}
		src_close(s);
	}
	if (rc)
		goto out;
	hex(md, sha);
	if ((rc = store_vuln_import_source(r->imp, origin, sha, r->sink.feed_date)) != MAMORI_OK) {
		snprintf(msg, msgsz, "%s: out of memory", origin);
		goto out;
	}
	date_str(r->sink.feed_date, date, sizeof(date));
	if (r->nsummary < (int)(sizeof(r->summary) / sizeof(r->summary[0])))
		snprintf(r->summary[r->nsummary++], sizeof(r->summary[0]),
		    "%s: %s: %llu records, %llu rows, %llu skipped, feed date %s, sha256 %.16s",
		    feed_format_name(f), origin, (unsigned long long)r->sink.records,
		    (unsigned long long)(store_vuln_import_rows(r->imp) - rows0),
		    (unsigned long long)r->sink.skipped, date, sha);
out:
	for (int i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	EVP_MD_CTX_free(md);
	free(s);
	return rc;
}

static void
update_usage(FILE *out)
{
	fprintf(out,
	    "usage: mamori vuln update [--db FILE] SOURCE...\n"
	    "  SOURCE is a file (format found from its content, gzip allowed) or a\n"
	    "  directory of OSV *.json records. Feeds: Debian security tracker JSON,\n"
	    "  OSV, CISA KEV JSON, EPSS CSV, JVN iPedia RSS or VULDEF XML.\n"
	    "  All sources are imported in one transaction: on any error nothing changes.\n"
	    "  An http:// or https:// SOURCE is downloaded first (at most 1 GiB). The usual\n"
	    "  sources (mamori never downloads anything unless given its URL):\n"
	    "    https://security-tracker.debian.org/tracker/data/json\n"
	    "    https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json\n"
	    "    https://epss.empiricalsecurity.com/epss_scores-current.csv.gz\n"
	    "    https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip (unzip it)\n"
	    "    https://jvndb.jvn.jp/ja/rss/years/jvndb_YYYY.rdf\n");
}

#define DOWNLOAD_MAX ((uint64_t)1 << 30)

/* Downloads url into a new temporary file; *out is its path (malloc). */
static int
fetch(const char *url, char **out, char *err, size_t errsz)
{
	const char *dir = getenv("TMPDIR");
	char tmpl[4096];
	if (!dir || !*dir)
		dir = "/tmp";
	if ((size_t)snprintf(tmpl, sizeof(tmpl), "%s/mamori-feed-XXXXXX", dir) >= sizeof(tmpl)) {
		snprintf(err, errsz, "TMPDIR is too long");
		return MAMORI_E_INVAL;
	}
	int fd = mkstemp(tmpl);
	if (fd < 0) {
		snprintf(err, errsz, "cannot create a temporary file in %s: %s", dir, strerror(errno));
		return MAMORI_E_IO;
	}
	int rc = download_to_fd(url, fd, DOWNLOAD_MAX, err, errsz);
	if (close(fd) != 0 && rc == MAMORI_OK) {
		snprintf(err, errsz, "cannot write the download: %s", strerror(errno));
		rc = MAMORI_E_IO;
	}
	if (rc == MAMORI_OK && !(*out = strdup(tmpl)))
		rc = MAMORI_E_NOMEM;
	if (rc != MAMORI_OK)
		(void)unlink(tmpl);
	return rc;
}

static int
exit_for(int rc)
{
	switch (rc) {
	case MAMORI_E_IO:
	case MAMORI_E_NOTFOUND: return EXIT_NOINPUT;
	case MAMORI_E_PARSE:
	case MAMORI_E_UNSUPPORTED:
	case MAMORI_E_LIMIT: return EXIT_DATAERR;
	case MAMORI_E_DB: return EXIT_CANTCREAT;
	default: return EXIT_SOFTWARE;
	}
}

int
cmd_vuln_update(struct cmd_env *env, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db_path = env->db_path;
	struct db *db = NULL;
	struct run *run = NULL;
	char **local = NULL;		/* per argv: the temporary file of a URL */
	char err[512];
	int c, rc, ex = EXIT_OK_RUN;

	opterr = 0;
	optind = 0;	/* glibc: start over on this argv */
	while ((c = getopt_long(argc, argv, "+:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'h':
			update_usage(stdout);
			return EXIT_OK_RUN;
		case ':':
		default:
			return cmd_option_error("vuln update", c, argc, argv, opts);
		}
	}
	if (optind >= argc)
		return cmd_usage_error("vuln update", "needs at least one SOURCE file");
	for (int i = optind; i < argc; i++)
		if (strstr(argv[i], "://") && !download_is_url(argv[i]))
			return cmd_usage_error("vuln update", "%s: only http:// and https:// URLs "
			    "can be downloaded", argv[i]);
	if (!(local = calloc((size_t)argc, sizeof(*local)))) {
		ex = EXIT_SOFTWARE;
		goto out;
	}
	/* Downloads first: the import transaction never waits on the network. */
	for (int i = optind; i < argc; i++) {
		if (!download_is_url(argv[i]))
			continue;
		if ((rc = fetch(argv[i], &local[i], err, sizeof(err))) != MAMORI_OK) {
			fprintf(stderr, "mamori vuln update: %s: %s; the database was not changed\n",
			    argv[i], err);
			ex = rc == MAMORI_E_LIMIT ? EXIT_DATAERR : rc == MAMORI_E_NOMEM ?
			    EXIT_SOFTWARE : EXIT_NOINPUT;
			goto out;
		}
	}

	const char *path = db_path ? db_path : db_default_path();
	if (db_open(path, db_path == NULL, &db, err, sizeof(err)) != MAMORI_OK) {
		fprintf(stderr, "mamori vuln update: %s\n", err);
		return EXIT_CANTCREAT;
	}
	if (!(run = calloc(1, sizeof(*run)))) {
		ex = EXIT_SOFTWARE;
		goto out;
	}
	if (store_vuln_import_begin(db, (int64_t)time(NULL), &run->imp) != MAMORI_OK) {
		fprintf(stderr, "mamori vuln update: cannot start the import: %s\n",
		    db_errmsg(db));
		ex = EXIT_CANTCREAT;
		goto out;
	}
	for (int i = optind; i < argc; i++) {
		if ((rc = import_source(run, local[i] ? local[i] : argv[i], argv[i], err,
		    sizeof(err))) != MAMORI_OK) {
			store_vuln_import_abort(run->imp);
			fprintf(stderr, "mamori vuln update: %s; the database was not changed\n", err);
			ex = exit_for(rc);
			goto out;
		}
	}
	if ((rc = store_vuln_import_commit(run->imp, err, sizeof(err))) != MAMORI_OK) {
		fprintf(stderr, "mamori vuln update: cannot save: %s; the database was not changed\n",
		    err);
		ex = EXIT_CANTCREAT;
		goto out;
	}
	for (int i = 0; i < run->nsummary; i++)
		printf("%s\n", run->summary[i]);
out:
	for (int i = 0; local && i < argc; i++) {
		if (local[i])
			(void)unlink(local[i]);
		free(local[i]);
	}
	free(local);
	free(run);
	db_close(db);
	return ex;
}
