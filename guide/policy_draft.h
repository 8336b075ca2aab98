/*
 * policy_draft.h - a draft 情報セキュリティ基本方針 (basic information
 * security policy) from the company's data, in the shape of IPA's sample:
 * management responsibility, internal structure, staff, legal and
 * contractual compliance, incidents, continuous improvement; dated, with a
 * signature line for the representative. Markdown or self-contained HTML.
 */
#ifndef MAMORI_GUIDE_POLICY_DRAFT_H
#define MAMORI_GUIDE_POLICY_DRAFT_H

#include <stdint.h>
#include <stdio.h>

#include "common/i18n.h"

enum policy_format { POLICY_MARKDOWN, POLICY_HTML };

struct policy_info {
	const char *company;		/* "" = a blank to fill in */
	const char *representative;	/* "" = a blank */
	const char *title;		/* "" = 代表取締役 / Representative Director */
	int64_t date;			/* 制定日, unix seconds */
};

/* Writes the draft; MAMORI_E_IO when out fails. Text is escaped for HTML
 * and for Markdown's active characters. */
int policy_draft_write(FILE *out, const struct policy_info *info, enum lang lang,
    enum policy_format fmt);

#endif
