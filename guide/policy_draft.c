/*
 * policy_draft.c - the basic security policy draft. The wording is ours;
 * the headings follow IPA's sample policy (付録2 of the SME guideline),
 * with continuous improvement added as SECURITY ACTION's leaflet lists.
 */
#include "guide/policy_draft.h"

#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "common/err.h"

#define T(en, ja) { en, ja }

struct section {
	struct i18n_text heading;
	struct i18n_text body;
};

/* %s in the bodies is the company name. */
static const struct section sections[] = {
	{ T("Management responsibility", "経営者の責任"),
	  T("The management of %s leads information security as its own responsibility and provides the people and budget it needs.",
	    "%sは、経営者が主体となって情報セキュリティに取り組み、そのために必要な人員と予算を確保します。") },
	{ T("Internal structure", "社内体制の整備"),
	  T("We appoint a person in charge of information security, set up the structure to maintain and improve our measures, and write our rules down as company regulations.",
	    "情報セキュリティの責任者を定め、対策を維持・改善するための体制を整えるとともに、守るべきルールを社内規程として文書にします。") },
	{ T("Staff", "従業員の取組"),
	  T("All staff gain the knowledge and skills that information security requires and follow the company's rules. We train them and remind them regularly.",
	    "全従業員は、情報セキュリティに必要な知識と技能を身につけ、社内のルールを守って業務を行います。会社は定期的に教育と注意喚起を行います。") },
	{ T("Legal and contractual compliance", "法令及び契約上の要求事項の遵守"),
	  T("We comply with the laws, regulations and guidelines on information security, including the Act on the Protection of Personal Information, and with the security obligations in our contracts with customers and partners.",
	    "個人情報の保護に関する法律をはじめとする情報セキュリティに関する法令・規則・ガイドライン、及びお客様や取引先との契約で定めたセキュリティ上の取り決めを守ります。") },
	{ T("Response to violations and incidents", "違反及び事故への対応"),
	  T("If an information security incident or a breach of the rules occurs, we respond quickly to contain the damage, report to the people affected and the authorities as required, investigate the cause and prevent it from happening again.",
	    "情報セキュリティに関わる法令・規程の違反や事故が発生した場合は、被害を最小限にとどめるよう速やかに対応し、関係者や必要な機関に報告するとともに、原因を調べて再発を防止します。") },
	{ T("Continuous improvement", "継続的改善"),
	  T("We review our information security measures regularly and whenever our business or the threats change, and keep improving them.",
	    "情報セキュリティ対策を定期的に、また事業や脅威の変化に応じて見直し、継続的に改善します。") },
};

struct writer {
	FILE *out;
	enum policy_format fmt;
};

/* Text from the configuration goes through here: HTML escapes, and for
 * Markdown a backslash before characters that would start markup. */
static void
put_text(struct writer *w, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (w->fmt == POLICY_HTML) {
			switch (c) {
			case '&': fputs("&amp;", w->out); continue;
			case '<': fputs("&lt;", w->out); continue;
			case '>': fputs("&gt;", w->out); continue;
			case '"': fputs("&quot;", w->out); continue;
			case '\'': fputs("&#39;", w->out); continue;
			}
		} else if (strchr("\\`*_[]<>#|~", c)) {
			fputc('\\', w->out);
		}
		if (c == '\n' || c == '\r' || (c < 0x20 && c != '\t'))
			c = ' ';
		fputc(c, w->out);
	}
}

/* Our own text with one %s: the company name, escaped. */
static void
put_body(struct writer *w, const char *tmpl, const char *company)
{
	const char *p = strstr(tmpl, "%s");
	if (!p) {
		fputs(tmpl, w->out);
		return;
	}
	fwrite(tmpl, 1, (size_t)(p - tmpl), w->out);
	put_text(w, company);
	fputs(p + 2, w->out);
}

static void
date_text(int64_t t, enum lang lang, char *buf, size_t n)
{
	struct tm tm;
	time_t tt = (time_t)t;
	static const char *const months[] = { "January", "February", "March",
		"April", "May", "June", "July", "August", "September", "October",
		"November", "December" };
	if (!gmtime_r(&tt, &tm)) {
		snprintf(buf, n, "?");
		return;
	}
	if (lang == LANG_JA)
		snprintf(buf, n, "%d年%d月%d日", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	else
		snprintf(buf, n, "%d %s %d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900);
}

int
policy_draft_write(FILE *out, const struct policy_info *info, enum lang lang,
    enum policy_format fmt)
{
	struct writer w = { out, fmt };
	bool ja = lang == LANG_JA;
	const char *blank = "＿＿＿＿＿＿＿＿";
	const char *company = info->company && *info->company ? info->company :
	    ja ? "当社" : "our company";
	const char *name = info->company && *info->company ? info->company : blank;
	const char *title = info->title && *info->title ? info->title :
	    ja ? "代表取締役" : "Representative Director";
	const char *rep = info->representative && *info->representative ?
	    info->representative : blank;
	const char *heading = ja ? "情報セキュリティ基本方針" : "Basic Information Security Policy";
	char date[64];
	date_text(info->date, lang, date, sizeof(date));

	if (fmt == POLICY_HTML) {
		fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<title>%s</title>\n<style>body{font-family:sans-serif;max-width:42em;margin:2em auto;"
		    "line-height:1.7}h1{text-align:center}.sign{margin-top:3em;text-align:right}"
		    ".line{display:inline-block;min-width:12em;border-bottom:1px solid #000}</style>\n"
		    "</head>\n<body>\n<h1>%s</h1>\n<p>", ja ? "ja" : "en", heading, heading);
	} else {
		fprintf(out, "# %s\n\n", heading);
	}
	put_body(&w, ja ? "%sは、お客様からお預かりした情報や当社の情報資産を事故・災害・犯罪などの脅威から守ることが、事業を続けお客様と社会の信頼に応えるための重要な責務であると考えます。そのため、以下の方針に基づいて全社で情報セキュリティに取り組みます。" :
	    "%s regards protecting the information entrusted to us by our customers and our own information assets from accidents, disasters and crime as an essential duty, to keep our business running and to keep the trust of our customers and society. We therefore address information security across the company according to this policy.",
	    company);
	fputs(fmt == POLICY_HTML ? "</p>\n" : "\n\n", out);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		const char *h = i18n_pick(lang, sections[i].heading);
		if (fmt == POLICY_HTML) {
			fprintf(out, "<h2>%zu. %s</h2>\n<p>", i + 1, h);
			put_body(&w, i18n_pick(lang, sections[i].body), company);
			fputs("</p>\n", out);
		} else {
			fprintf(out, "## %zu. %s\n\n", i + 1, h);
			put_body(&w, i18n_pick(lang, sections[i].body), company);
			fputs("\n\n", out);
		}
	}
	const char *l_date = ja ? "制定日" : "Established";
	const char *l_sign = ja ? "（署名または記名押印）" : "(signature)";
	if (fmt == POLICY_HTML) {
		fprintf(out, "<div class=\"sign\">\n<p>%s: %s</p>\n<p>", l_date, date);
		put_text(&w, name);
		fputs("</p>\n<p>", out);
		put_text(&w, title);
		fputs(" ", out);
		put_text(&w, rep);
		fprintf(out, "</p>\n<p>%s <span class=\"line\">&nbsp;</span></p>\n</div>\n"
		    "</body>\n</html>\n", l_sign);
	} else {
		fprintf(out, "%s: %s\n\n", l_date, date);
		put_text(&w, name);
		fputs("  \n", out);
		put_text(&w, title);
		fputs(" ", out);
		put_text(&w, rep);
		fprintf(out, "\n\n%s ＿＿＿＿＿＿＿＿＿＿＿＿\n", l_sign);
	}
	if (fflush(out) != 0 || ferror(out))
		return MAMORI_E_IO;
	return MAMORI_OK;
}
