/*
 * download.h - fetching one feed file over HTTP(S) with libcurl.
 *
 * Used only when the operator names a URL (`mamori vuln update URL`):
 * mamori never reaches out on its own. Only http and https are allowed,
 * on redirects too; TLS peers are verified with the system's CA store.
 */
#ifndef MAMORI_COMMON_DOWNLOAD_H
#define MAMORI_COMMON_DOWNLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True for "http://..." and "https://..." (what download_to_fd takes). */
bool download_is_url(const char *s);

/*
 * Writes the body of url to fd, at most max_bytes. 0 on a complete 2xx
 * answer; MAMORI_E_UNSUPPORTED for another scheme, MAMORI_E_LIMIT when the
 * body is larger than max_bytes, MAMORI_E_IO for network, TLS and HTTP
 * errors (status >= 400) and short writes, with a one-line reason in err.
 */
int download_to_fd(const char *url, int fd, uint64_t max_bytes, char *err, size_t errsz);

#endif
