/*
 * risk.h - the arithmetic of IPA's risk analysis sheet (リスク分析シート,
 * 付録7 of the guideline for small companies).
 *
 * 重要度 (importance) is the highest of confidentiality, integrity and
 * availability (each 1-3), and 3 whenever the asset holds personal data.
 * 被害発生可能性 (likelihood) comes from the threat (脅威の起こりやすさ) and
 * the weakness (脆弱性のつけ込みやすさ), each 1-3, by the sheet's table,
 * which equals max(1, threat + weakness - 3). リスク値 = importance x
 * likelihood, 1-9.
 */
#ifndef MAMORI_COMMON_RISK_H
#define MAMORI_COMMON_RISK_H

#include <stdbool.h>

#include "common/i18n.h"

/* 0 when an input is outside 1..3. */
int risk_importance(int c, int i, int a, bool personal);
int risk_likelihood(int threat, int weakness);
int risk_value(int importance, int likelihood);

/*
 * Our reading of the value, to sort what to treat first: 6-9 high, 3-4
 * medium, 1-2 low. IPA's sheet leaves the cut-offs to the company; these
 * follow the ISO/IEC 27005 example the Tokyo handbook uses.
 */
const char *risk_level(int value);		/* high, medium, low; "" for 0 */
struct i18n_text risk_level_text(int value);

/* 低減 reduce, 移転 transfer, 回避 avoid, 受容 accept; "" = not decided. */
int risk_treatment_parse(const char *s, const char **id);
struct i18n_text risk_treatment_text(const char *id);

#endif
