/*
 * version_rpm.h - RPM version ordering, exactly as rpm's rpmvercmp() and
 * its [epoch:]version[-release] comparison (rpm 4.15+ rules: '~' sorts
 * before everything including the end, '^' after the end but before any
 * further segment; other non-alphanumerics only separate segments).
 */
#ifndef MAMORI_VULN_VERSION_RPM_H
#define MAMORI_VULN_VERSION_RPM_H

#include <stddef.h>

/* rpmvercmp on one version or release string: <0, 0, >0. */
int version_rpm_vercmp(const char *a, const char *b);
int version_rpm_vercmp_n(const char *a, size_t alen, const char *b,
    size_t blen);

/*
 * Full EVR strings ("1:2.3-4.el9"): epoch (missing = 0), then version,
 * then release, where a missing release sorts below any release - as
 * rpmverCmp() and rpm.labelCompare() do.
 */
int version_rpm_cmp(const char *a, const char *b);
int version_rpm_cmp_n(const char *a, size_t alen, const char *b, size_t blen);

#endif
