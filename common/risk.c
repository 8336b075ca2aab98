#include "common/risk.h"

#include <string.h>

#include "common/err.h"

static bool
in_range(int v)
{
	return v >= 1 && v <= 3;
}

int
risk_importance(int c, int i, int a, bool personal)
{
	if (!in_range(c) || !in_range(i) || !in_range(a))
		return 0;
	if (personal)
		return 3;
	int m = c > i ? c : i;
	return m > a ? m : a;
}

int
risk_likelihood(int threat, int weakness)
{
	if (!in_range(threat) || !in_range(weakness))
		return 0;
	int l = threat + weakness - 3;
	return l < 1 ? 1 : l;
}

int
risk_value(int importance, int likelihood)
{
	return in_range(importance) && in_range(likelihood) ? importance * likelihood : 0;
}

const char *
risk_level(int value)
{
	return value >= 6 ? "high" : value >= 3 ? "medium" : value >= 1 ? "low" : "";
}

struct i18n_text
risk_level_text(int value)
{
	if (value >= 6)
		return (struct i18n_text){ "High: treat it first", "高：優先して対策" };
	if (value >= 3)
		return (struct i18n_text){ "Medium: plan a measure", "中：対策を計画" };
	if (value >= 1)
		return (struct i18n_text){ "Low: may be accepted", "低：受容も可" };
	return (struct i18n_text){ "Not rated", "未評価" };
}

static const struct {
	const char *id;
	struct i18n_text text;
} treatments[] = {
	{ "reduce", { "Reduce (take measures)", "低減（対策を講じる）" } },
	{ "transfer", { "Transfer (insurance, outsourcing)", "移転（保険・外部委託）" } },
	{ "avoid", { "Avoid (stop the activity)", "回避（業務・資産をやめる）" } },
	{ "accept", { "Accept (keep as it is)", "受容（そのまま保有する）" } },
};

int
risk_treatment_parse(const char *s, const char **id)
{
	if (s && *s == '\0') {
		*id = "";
		return MAMORI_OK;
	}
	for (size_t i = 0; s && i < sizeof(treatments) / sizeof(treatments[0]); i++)
		if (strcmp(s, treatments[i].id) == 0) {
			*id = treatments[i].id;
			return MAMORI_OK;
		}
	return MAMORI_E_INVAL;
}

struct i18n_text
risk_treatment_text(const char *id)
{
	for (size_t i = 0; id && i < sizeof(treatments) / sizeof(treatments[0]); i++)
		if (strcmp(id, treatments[i].id) == 0)
			return treatments[i].text;
	return (struct i18n_text){ "Not decided", "未定" };
}
