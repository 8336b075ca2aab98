/*
 * dynlib.h - role libraries opened on first use.
 *
 * libcurl, libmicrohttpd (GnuTLS), libpcap, libxml2 and libsystemd bring
 * about 35 more shared objects. Linked into mamori, every command paid for
 * mapping and relocating them at start-up (about 20 ms of CPU on the
 * reference VM), although each is used by one role only. Each owning
 * module has a small typed table (struct lib_curl and so on) filled here
 * by dlsym from the library's soname, which meson reads from the library
 * the headers came from, so headers and code always match.
 *
 * The library stays loaded (RTLD_NODELETE): opening it again is cheap and
 * nothing is ever unloaded under a caller. A missing library is an error
 * of the command that needs it, with the package to install.
 */
#ifndef MAMORI_COMMON_DYNLIB_H
#define MAMORI_COMMON_DYNLIB_H

#include <stddef.h>

/* One function: its name and where its pointer goes in the table. */
struct dynlib_sym {
	const char *name;
	size_t offset;
};

/* A library's functions: dlopen(soname), then each symbol into the table at
 * base. what says what it is for ("downloads"), hint how to install it. 0,
 * or MAMORI_E_UNSUPPORTED with a one-line reason in err. */
int dynlib_load(const char *soname, const char *what, const char *hint,
    const struct dynlib_sym *syms, size_t nsyms, void *base, char *err, size_t errsz);

/* For a table: DYNLIB_SYM(struct lib_curl, easy_init, curl_easy_init). */
#define DYNLIB_SYM(type, field, sym) { #sym, offsetof(type, field) }

#endif
