/*
 * i18n.h - Japanese and English text.
 *
 * Every message a person reads exists in both languages side by side in
 * the source, as a struct i18n_text, next to the code that uses it. We do
 * not use gettext catalogs: gettext only translates when the ja_JP locale
 * is generated on the machine, which a fresh server often lacks, and an
 * owner must get Japanese whenever they ask for it (docs/architecture.md).
 */
#ifndef MAMORI_COMMON_I18N_H
#define MAMORI_COMMON_I18N_H

enum lang { LANG_EN = 0, LANG_JA = 1 };

struct i18n_text {
	const char *en;
	const char *ja;
};

/* LC_ALL, then LC_MESSAGES, then LANG: "ja*" means Japanese. */
enum lang i18n_lang_from_env(void);
/* "ja" / "en" (also "ja_JP.UTF-8" and the like). */
int i18n_parse_lang(const char *s, enum lang *out);
const char *i18n_pick(enum lang lang, struct i18n_text t);
const char *i18n_code(enum lang lang);

#endif
