/*
 * assess.h - the 5-minute self-assessment (5分でできる情報セキュリティ自社診断):
 * its 25 items in three parts, the answers and their points, IPA's score
 * bands, and the items pre-filled from the technical evidence of stored
 * scans. Pure: the caller loads the scans and the owner's answers.
 */
#ifndef MAMORI_GUIDE_ASSESS_H
#define MAMORI_GUIDE_ASSESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/i18n.h"

#define ASSESS_NITEMS 25
#define ASSESS_NONE (-100)	/* no answer */

/* The answers and their points, as IPA scores them. */
enum {
	ASSESS_DONE = 4,	/* 実施している */
	ASSESS_PARTLY = 2,	/* 一部実施している */
	ASSESS_NOT_DONE = 0,	/* 実施していない */
	ASSESS_UNKNOWN = -1,	/* わからない */
};

enum assess_part { ASSESS_PART_BASIC = 1, ASSESS_PART_STAFF = 2, ASSESS_PART_ORG = 3 };

struct assess_item_def {
	int no;				/* 1..25 */
	enum assess_part part;
	struct i18n_text topic;		/* a few words, for lists */
	struct i18n_text question;	/* our wording of IPA's question */
};

enum assess_source { ASSESS_SRC_NONE, ASSESS_SRC_EVIDENCE, ASSESS_SRC_MANUAL };

struct assess_item {
	int answer;			/* resolved: manual, else evidence, else NONE */
	enum assess_source source;
	int evidence_answer;		/* what the scans suggest, or NONE */
	json_t *evidence;		/* owned; NULL when the scans say nothing */
	int64_t answered_at;		/* manual answers only */
	int nhosts;			/* hosts with evidence for this item */
	int hosts_done, hosts_not_done;	/* of those: all pass / none pass */
};

struct assess {
	struct assess_item item[ASSESS_NITEMS];
	int64_t scan_id;		/* newest scan used as evidence, 0 none */
	int64_t scanned_at;		/* its start time */
	int nscans;			/* hosts whose latest scan was read */
	bool vuln_data;			/* a scan used imported vulnerability data */
	/* set by assess_finish() */
	int total;			/* sum of points, unanswered = 0 */
	int answered, unanswered, unknown;
	int part_total[3];
};

struct assess_band {
	const char *id;			/* entry, incomplete, insufficient, urgent */
	int min, max;
	struct i18n_text state;		/* what the score means */
	struct i18n_text next;		/* the next step */
};

const struct assess_item_def *assess_items(void);
struct i18n_text assess_part_title(enum assess_part p);
/* 実施している / Done ... ; "unanswered" for NONE. */
struct i18n_text assess_answer_label(int answer);
/* "4", "2", "0", "-1" and words: yes/done, partly/partial, no, unknown/dk,
 * and the Japanese labels. MAMORI_E_INVAL otherwise. */
int assess_parse_answer(const char *s, int *out);
/* "N=VALUE" with N 1..25; VALUE may also be "clear"/"auto" (cleared set:
 * back to the evidence). MAMORI_E_INVAL with a message in err. */
int assess_parse_assignment(const char *s, int *no, int *answer, bool *cleared,
    char *err, size_t errsz);

void assess_init(struct assess *a);
void assess_release(struct assess *a);
/*
 * Reads one host's latest scan document (the scan --json of mamori scan)
 * and adds its evidence: failed and passed checks of items 1-4, backup.*
 * checks for 11, the disks' encryption for 13, a running screen locker for
 * 14. Unexpected shapes are skipped, never fatal. lang picks the notes.
 */
int assess_add_scan(struct assess *a, const json_t *report, int64_t scan_id,
    const char *hostname, int64_t started_at, enum lang lang);
/*
 * Item 24 (incident readiness) from the contacts entered for incidents
 * (role ids as store_contact: lead, provider, insurer, vendor, isp,
 * other): the person in charge and an outside contact suggest "done", any
 * other contact "partly"; none says nothing. Evidence gets "contacts".
 */
int assess_add_contacts(struct assess *a, const char *const *roles, size_t n);
/* An owner's answer (wins over the evidence). */
void assess_set_manual(struct assess *a, int no, int answer, int64_t at);
/* Resolves every item and computes the totals. */
void assess_finish(struct assess *a);
const struct assess_band *assess_band_of(int total);

/* The --json document: items, total, band, answered, unanswered. */
json_t *assess_to_json(const struct assess *a, enum lang lang, int64_t now);
void assess_print(const struct assess *a, enum lang lang, FILE *out);

/* "2026-11-25" (UTC) into buf. */
void assess_date(int64_t t, char *buf, size_t n);

#endif
