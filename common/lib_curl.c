/*
 * lib_curl.c - libcurl's functions by dlsym (see lib_curl.h).
 */
#include "common/lib_curl.h"

#include "common/dynlib.h"

#ifndef MAMORI_SONAME_CURL
#define MAMORI_SONAME_CURL "libcurl.so.4"
#endif

#define SYM(field, name) DYNLIB_SYM(struct lib_curl, field, name)
static const struct dynlib_sym syms[] = {
	SYM(global_init, curl_global_init),
	SYM(global_cleanup, curl_global_cleanup),
	SYM(easy_init, curl_easy_init),
	SYM(easy_setopt, curl_easy_setopt),
	SYM(easy_perform, curl_easy_perform),
	SYM(easy_getinfo, curl_easy_getinfo),
	SYM(easy_strerror, curl_easy_strerror),
	SYM(easy_cleanup, curl_easy_cleanup),
	SYM(slist_append, curl_slist_append),
	SYM(slist_free_all, curl_slist_free_all),
	SYM(url, curl_url),
	SYM(url_set, curl_url_set),
	SYM(url_get, curl_url_get),
	SYM(url_cleanup, curl_url_cleanup),
	SYM(free, curl_free),
};

int
lib_curl_open(struct lib_curl *c, char *err, size_t errsz)
{
	return dynlib_load(MAMORI_SONAME_CURL, "downloads and notifications",
	    "libcurl (Debian: apt-get install libcurl4)", syms, sizeof(syms) / sizeof(syms[0]),
	    c, err, errsz);
}
