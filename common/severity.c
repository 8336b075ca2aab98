#include "common/severity.h"

#include <string.h>

#include "common/err.h"

static const char *const sev_names[] = { "info", "low", "medium", "high", "critical" };

const char *
severity_name(enum severity s)
{
	return (unsigned)s <= SEV_CRITICAL ? sev_names[s] : "info";
}

int
severity_parse(const char *s, enum severity *out)
{
	for (int i = 0; i <= SEV_CRITICAL; i++) {
		if (strcmp(s, sev_names[i]) == 0) {
			*out = (enum severity)i;
			return MAMORI_OK;
		}
	}
	return MAMORI_E_INVAL;
}

struct i18n_text
severity_label(enum severity s)
{
	static const struct i18n_text labels[] = {
		{ "info", "情報" },
		{ "low", "低" },
		{ "medium", "中" },
		{ "high", "高" },
		{ "critical", "緊急" },
	};
	return labels[(unsigned)s <= SEV_CRITICAL ? s : 0];
}
