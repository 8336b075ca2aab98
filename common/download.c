/*
 * download.c - one URL into a file descriptor (see download.h).
 */
#include "common/download.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "common/err.h"
#include "common/lib_curl.h"

struct sink {
	int fd;
	uint64_t got, max;
	bool over, write_failed;
	int write_errno;
};

static size_t
on_data(char *p, size_t size, size_t n, void *ctx)
{
	struct sink *s = ctx;
	size_t len = size * n;
	if (len > s->max - s->got) {
		s->over = true;
		return 0;	/* makes curl stop with CURLE_WRITE_ERROR */
	}
	for (size_t off = 0; off < len;) {
		ssize_t w = write(s->fd, p + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			s->write_failed = true;
			s->write_errno = w < 0 ? errno : EIO;
			return 0;
		}
		off += (size_t)w;
	}
	s->got += len;
	return len;
}

bool
download_is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

int
download_to_fd(const char *url, int fd, uint64_t max_bytes, char *err, size_t errsz)
{
	struct sink s = { .fd = fd, .max = max_bytes };
	char cerr[CURL_ERROR_SIZE] = "";
	struct lib_curl cu;
	CURL *c = NULL;
	int rc = MAMORI_E_IO;
	long status = 0;

	if (!download_is_url(url)) {
		snprintf(err, errsz, "only http:// and https:// URLs can be downloaded");
		return MAMORI_E_UNSUPPORTED;
	}
	if ((rc = lib_curl_open(&cu, err, errsz)))
		return rc;
	rc = MAMORI_E_IO;
	if (cu.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK || !(c = cu.easy_init())) {
		snprintf(err, errsz, "cannot start libcurl");
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	/* Bounded in every direction: schemes, redirects, stalls, size. */
	if (cu.easy_setopt(c, CURLOPT_URL, url) != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https") != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L) != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_MAXREDIRS, 5L) != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L) != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L) != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 60L) != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)max_bytes) != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_FAILONERROR, 1L) != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_USERAGENT, "mamori/" MAMORI_VERSION) != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_ERRORBUFFER, cerr) != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data) != CURLE_OK ||
	    cu.easy_setopt(c, CURLOPT_WRITEDATA, &s) != CURLE_OK) {
		snprintf(err, errsz, "libcurl lacks a needed option");
		rc = MAMORI_E_UNSUPPORTED;
		goto out;
	}
	CURLcode cc = cu.easy_perform(c);
	(void)cu.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	if (s.over || cc == CURLE_FILESIZE_EXCEEDED) {
		snprintf(err, errsz, "larger than %llu bytes", (unsigned long long)max_bytes);
		rc = MAMORI_E_LIMIT;
	} else if (s.write_failed) {
		snprintf(err, errsz, "cannot write the download: %s", strerror(s.write_errno));
	} else if (cc == CURLE_HTTP_RETURNED_ERROR) {
		snprintf(err, errsz, "the server answered HTTP %ld", status);
	} else if (cc != CURLE_OK) {
		snprintf(err, errsz, "%s", cerr[0] ? cerr : cu.easy_strerror(cc));
	} else {
		rc = MAMORI_OK;
	}
out:
	cu.easy_cleanup(c);
	cu.global_cleanup();
	return rc;
}
