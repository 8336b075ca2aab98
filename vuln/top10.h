/*
 * top10.h - IPA's 情報セキュリティ10大脅威 2025 (organisations), published
 * 2025-01-30, as a short explainer for an owner: IPA's title, what it is
 * in a sentence, and what a small company does about it (our wording).
 */
#ifndef MAMORI_VULN_TOP10_H
#define MAMORI_VULN_TOP10_H

#include <stddef.h>

#include "common/i18n.h"

struct top10_threat {
	int rank;
	struct i18n_text title;	/* IPA's title */
	struct i18n_text what;
	struct i18n_text todo;
};

#define TOP10_YEAR 2025

const struct top10_threat *top10_threats(size_t *n);

#endif
