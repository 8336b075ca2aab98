/*
 * severity.h - how serious a finding is, by name and as a label a person
 * reads. Shared by the checks that set it and the reports that show it.
 */
#ifndef MAMORI_COMMON_SEVERITY_H
#define MAMORI_COMMON_SEVERITY_H

#include "common/i18n.h"

enum severity { SEV_INFO, SEV_LOW, SEV_MEDIUM, SEV_HIGH, SEV_CRITICAL };

const char *severity_name(enum severity s);
/* "info".."critical"; MAMORI_E_INVAL otherwise. */
int severity_parse(const char *s, enum severity *out);
struct i18n_text severity_label(enum severity s);

#endif
