/*
 * version_apk.h - Alpine (apk-tools) version ordering:
 * digits{.digits}[letter]{_suffix[N]}[-rN], pre-release suffixes
 * _alpha < _beta < _pre < _rc below the release, post-release _cvs < _svn
 * < _git < _hg < _p above it. Versions that break the grammar are ordered
 * the way apk-tools orders them (up to the first invalid token).
 */
#ifndef MAMORI_VULN_VERSION_APK_H
#define MAMORI_VULN_VERSION_APK_H

#include <stdbool.h>
#include <stddef.h>

/* <0, 0, >0. */
int version_apk_cmp(const char *a, const char *b);
int version_apk_cmp_n(const char *a, size_t alen, const char *b, size_t blen);
/* True when the whole string follows the grammar (apk version --check). */
bool version_apk_valid(const char *v, size_t len);

#endif
