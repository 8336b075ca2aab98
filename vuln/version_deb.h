/*
 * version_deb.h - Debian package version ordering, exactly as dpkg
 * compares ([epoch:]upstream[-revision]; '~' sorts before everything,
 * letters before non-letters, digit runs numerically).
 */
#ifndef MAMORI_VULN_VERSION_DEB_H
#define MAMORI_VULN_VERSION_DEB_H

#include <stddef.h>

/* <0, 0, >0 like strcmp. Malformed versions compare as plain text parts. */
int version_deb_cmp(const char *a, const char *b);
/* The same on bounded strings (need not be NUL-terminated). */
int version_deb_cmp_n(const char *a, size_t alen, const char *b, size_t blen);

#endif
