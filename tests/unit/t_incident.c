/* t_incident.c - the PPC countdowns (day of discovery = day 1 in Japanese
 * time; 速報 day 3 / 5, 確報 day 30, or day 60 for wrongful purpose), the
 * reporting helper and the playbooks. */
#include <string.h>
#include <time.h>

#include "common/err.h"
#include "detection/incident.h"
#include "tests/tap.h"

/* Unix seconds of a Japanese wall-clock time. */
static int64_t
jst(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi };
	return (int64_t)timegm(&tm) - 9 * 3600;
}

static void
test_deadlines(void)
{
	struct incident_deadline d[INC_DEADLINES_MAX];
	int64_t disc = jst(2026, 4, 1, 10, 0);

	is_int((int)incident_deadlines(disc, 0, false, false, false, disc, d), 0,
	    "no PPC case: no countdown");
	is_int((int)incident_deadlines(disc, PPC_OVER_1000, true, false, false, disc, d), 0,
	    "strongly encrypted data: no report, no countdown");

	is_int((int)incident_deadlines(disc, PPC_OVER_1000, false, false, false, disc, d), 2,
	    "over 1,000 people: two countdowns");
	is_str(d[0].id, "ppc_prelim", "first the preliminary report");
	ok(d[0].target == jst(2026, 4, 3, 23, 59) + 59, "速報 aimed at the end of day 3 (3 April JST)");
	ok(d[0].due == jst(2026, 4, 5, 23, 59) + 59, "速報 due by the end of day 5 (5 April JST)");
	ok(d[1].due == jst(2026, 4, 30, 23, 59) + 59, "確報 due by the end of day 30 (30 April JST)");
	ok(d[1].remaining == d[1].due - disc, "remaining counts from now");
	is_str(d[1].status, "open", "a month left: open");

	incident_deadlines(disc, PPC_WRONGFUL, false, false, false, disc, d);
	ok(d[1].due == jst(2026, 5, 30, 23, 59) + 59, "wrongful purpose (unauthorised access): 確報 by day 60 (30 May JST)");
	ok(strstr(d[1].label.ja, "60日") != NULL && strstr(d[1].label.en, "60 days") != NULL,
	    "and its label says 60 days in both languages");
	incident_deadlines(disc, PPC_WRONGFUL | PPC_SENSITIVE, false, false, false, disc, d);
	ok(d[1].due == jst(2026, 5, 30, 23, 59) + 59, "wrongful with another case: still 60 days");
	incident_deadlines(disc, PPC_SENSITIVE | PPC_FINANCIAL, false, false, false, disc, d);
	ok(d[1].due == jst(2026, 4, 30, 23, 59) + 59, "sensitive and financial: 30 days");

	/* Late in the evening UTC is already the next day in Japan. */
	int64_t late = jst(2026, 4, 2, 0, 30);	/* 1 April 15:30 UTC */
	incident_deadlines(late, PPC_FINANCIAL, false, false, false, late, d);
	ok(d[1].due == jst(2026, 5, 1, 23, 59) + 59, "00:30 JST on 2 April is day 1: due 1 May JST");
	int64_t last = jst(2026, 4, 1, 23, 59) + 59;
	incident_deadlines(last, PPC_FINANCIAL, false, false, false, last, d);
	ok(d[1].due == jst(2026, 4, 30, 23, 59) + 59, "23:59:59 JST on 1 April is still day 1");

	int64_t now = jst(2026, 4, 5, 12, 0);
	incident_deadlines(disc, PPC_OVER_1000, false, false, false, now, d);
	is_str(d[0].status, "due_soon", "half a day before the 速報 deadline: due_soon");
	ok(d[0].remaining == 12 * 3600 - 1, "remaining: 11:59:59 to the end of 5 April JST");
	now = jst(2026, 4, 6, 0, 0);
	incident_deadlines(disc, PPC_OVER_1000, false, false, false, now, d);
	is_str(d[0].status, "overdue", "a second after day 5: overdue");
	ok(d[0].remaining == -1, "overdue by one second");
	incident_deadlines(disc, PPC_OVER_1000, false, true, false, now, d);
	is_str(d[0].status, "done", "reported: done, whatever the time");
	is_str(d[1].status, "open", "the final report still open");
}

static void
test_advice(void)
{
	struct incident_advice a = incident_advise(INC_TO_PPC, INC_LEAK, PPC_SENSITIVE, false);
	is_int(a.need, INC_NEED_MUST, "sensitive personal data leaked: PPC report is a must");
	a = incident_advise(INC_TO_PPC, INC_LEAK, PPC_SENSITIVE, true);
	is_int(a.need, INC_NEED_NO, "encrypted: no PPC report");
	a = incident_advise(INC_TO_PPC, INC_LEAK, 0, false);
	is_int(a.need, INC_NEED_MAY, "a leak with no case chosen yet: check the four cases");
	is_int(incident_advise(INC_TO_IPA, INC_MALWARE, 0, false).need, INC_NEED_SHOULD, "malware: report to IPA");
	is_int(incident_advise(INC_TO_POLICE, INC_RANSOMWARE, 0, false).need, INC_NEED_SHOULD, "ransomware: police");
	is_int(incident_advise(INC_TO_JPCERT, INC_DEFACEMENT, 0, false).need, INC_NEED_SHOULD, "defacement: JPCERT/CC");
	is_int(incident_advise(INC_TO_IPA, INC_OUTAGE, 0, false).need, INC_NEED_NO, "an outage is not an IPA 届出");

	unsigned bits = 99;
	ok(incident_ppc_parse("wrongful,over1000", &bits) == MAMORI_OK && bits == (PPC_WRONGFUL | PPC_OVER_1000),
	    "PPC cases parse");
	ok(incident_ppc_parse("none", &bits) == MAMORI_OK && bits == 0, "none is no case");
	ok(incident_ppc_parse("wrongful,bogus", &bits) == MAMORI_E_INVAL, "an unknown case is refused");
	ok(incident_report_id_ok("ppc_final") && !incident_report_id_ok("ppc") && !incident_report_id_ok("x"),
	    "report ids: the PPC is reported as ppc_prelim / ppc_final");
}

static void
test_playbooks(void)
{
	size_t n;
	const struct incident_check_def *c = incident_checks(&n);
	int bad_text = 0, common = 0;
	for (size_t i = 0; i < n; i++) {
		if (!c[i].text.en || !*c[i].text.en || !c[i].text.ja || !*c[i].text.ja)
			bad_text++;
		common += c[i].kind < 0;
		for (size_t j = 0; j < i; j++)
			if (strcmp(c[i].id, c[j].id) == 0)
				bad_text++;
	}
	is_int(bad_text, 0, "every playbook item has a unique id and Japanese and English text");
	is_int(common, 9, "IPA's nine sub-steps apply to every incident");
	for (int k = 0; k < INC_NKINDS - 1; k++) {
		int own[3] = { 0 };
		for (size_t i = 0; i < n; i++)
			if (c[i].kind == k)
				own[c[i].step]++;
		ok(own[IR_DETECT] && own[IR_REPORT] && own[IR_RECOVER], "%s has its own items in all three steps",
		    incident_kind_def((enum incident_kind)k)->id);
	}
	ok(incident_check_find("ransomware.keep_power", INC_RANSOMWARE) != NULL, "a ransomware item for ransomware");
	ok(incident_check_find("ransomware.keep_power", INC_LEAK) == NULL, "but not for a leak");
	enum incident_kind k;
	ok(incident_kind_parse("defacement", &k) == MAMORI_OK && k == INC_DEFACEMENT, "kind ids parse");
	ok(incident_kind_parse("fire", &k) == MAMORI_E_INVAL, "unknown kinds are refused");
}

int
main(void)
{
	test_deadlines();
	test_advice();
	test_playbooks();
	return done_testing();
}
