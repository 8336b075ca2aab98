/*
 * lib_curl.h - libcurl, opened on first use (common/dynlib.h): only
 * downloads (vuln update URL) and notifications need it.
 */
#ifndef MAMORI_COMMON_LIB_CURL_H
#define MAMORI_COMMON_LIB_CURL_H

#include <stddef.h>

#include <curl/curl.h>

/* Fields are named without the curl_ prefix: curl_easy_setopt is also a
 * type-checking macro, which a member access must not expand. */
struct lib_curl {
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_global_cleanup) *global_cleanup;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
	__typeof__(curl_url) *url;
	__typeof__(curl_url_set) *url_set;
	__typeof__(curl_url_get) *url_get;
	__typeof__(curl_url_cleanup) *url_cleanup;
	__typeof__(curl_free) *free;
};

/* Fills c; MAMORI_E_UNSUPPORTED with the reason in err when libcurl is
 * missing. */
int lib_curl_open(struct lib_curl *c, char *err, size_t errsz);

#endif
