#include "common/i18n.h"

#include <stdlib.h>
#include <string.h>

#include "common/err.h"

static const char *
first_set(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return v;
	}
	return NULL;
}

enum lang
i18n_lang_from_env(void)
{
	const char *v = first_set();
	return v && strncmp(v, "ja", 2) == 0 ? LANG_JA : LANG_EN;
}

int
i18n_parse_lang(const char *s, enum lang *out)
{
	if (strncmp(s, "ja", 2) == 0 && (s[2] == '\0' || s[2] == '_' || s[2] == '-' || s[2] == '.')) {
		*out = LANG_JA;
		return MAMORI_OK;
	}
	if (strncmp(s, "en", 2) == 0 && (s[2] == '\0' || s[2] == '_' || s[2] == '-' || s[2] == '.')) {
		*out = LANG_EN;
		return MAMORI_OK;
	}
	return MAMORI_E_INVAL;
}

const char *
i18n_pick(enum lang lang, struct i18n_text t)
{
	const char *s = lang == LANG_JA ? t.ja : t.en;
	return s ? s : (t.en ? t.en : "");
}

const char *
i18n_code(enum lang lang)
{
	return lang == LANG_JA ? "ja" : "en";
}
