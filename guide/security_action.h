/*
 * security_action.h - readiness for SECURITY ACTION, IPA's self-declaration
 * for small businesses: ★ (working on the five basics) and ★★ (the
 * self-assessment done and a basic security policy set and published).
 * It is a declaration the company makes itself (宣言), not something
 * anyone grants; the text says so.
 */
#ifndef MAMORI_GUIDE_SECURITY_ACTION_H
#define MAMORI_GUIDE_SECURITY_ACTION_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "guide/assess.h"
#include "common/i18n.h"

enum sa_status { SA_MET, SA_PARTLY, SA_MISSING, SA_UNKNOWN };

struct sa_basic {
	enum sa_status status;
	bool from_scan;			/* else from the owner's answer */
	json_t *missing;		/* owned: [{id, title, action, hosts}] */
};

struct security_action {
	struct sa_basic basic[5];	/* the 5か条 */
	bool star1;
	bool assessment_done;		/* all 25 answered */
	bool policy_drafted, policy_published;
	int64_t policy_drafted_at, policy_published_at;
	const char *policy_where;	/* borrowed */
	bool star2;
};

/* a must be finished (assess_finish). */
void security_action_eval(struct security_action *sa, const struct assess *a,
    int64_t drafted_at, int64_t published_at, const char *published_where);
void security_action_release(struct security_action *sa);
const char *security_action_status_name(enum sa_status s);
json_t *security_action_json(const struct security_action *sa, enum lang lang);
void security_action_print(const struct security_action *sa, enum lang lang, FILE *out);

#endif
