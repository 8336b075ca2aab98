/*
 * incident.h - what to do when something has happened: IPA's three steps
 * (検知・初動対応, 報告・公表, 復旧・再発防止) as a checklist, a playbook per
 * kind of incident, which authorities to report to, and the countdowns of
 * the Personal Information Protection Commission's deadlines.
 *
 * Pure: no I/O and no clock; the caller passes the times. The manager and
 * the command line both show an incident through these tables, next to the
 * alert texts (alert.h maps every alert to one of the same three steps).
 */
#ifndef MAMORI_DETECTION_INCIDENT_H
#define MAMORI_DETECTION_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/i18n.h"
#include "detection/alert.h"

enum incident_kind {
	INC_RANSOMWARE,
	INC_MALWARE,
	INC_LEAK,		/* information leak: mis-sent mail, lost device, break-in */
	INC_OUTAGE,		/* a system or service stopped */
	INC_DEFACEMENT,		/* website altered */
	INC_OTHER,
	INC_NKINDS
};

/* The four cases in which a leak must be reported to the PPC (bit set). */
enum {
	PPC_SENSITIVE = 1,	/* 要配慮個人情報 (health, criminal record ...) */
	PPC_FINANCIAL = 2,	/* may cause financial damage (card numbers ...) */
	PPC_WRONGFUL = 4,	/* wrongful purpose: unauthorised access, insider theft */
	PPC_OVER_1000 = 8,	/* more than 1,000 people */
	PPC_ALL = 15,
};

enum incident_authority {
	INC_TO_IPA,		/* IPA 届出 (virus, unauthorised access) */
	INC_TO_POLICE,		/* prefectural cybercrime desk */
	INC_TO_JPCERT,		/* JPCERT/CC incident report */
	INC_TO_PPC,		/* 個人情報保護委員会 */
	INC_TO_MINISTRY,	/* the ministry supervising the company's sector */
	INC_TO_IPA_DESK,	/* IPA's advice desk for companies (相談) */
	INC_NAUTH
};

enum incident_need { INC_NEED_NO, INC_NEED_MAY, INC_NEED_SHOULD, INC_NEED_MUST };

struct incident_kind_def {
	const char *id;
	struct i18n_text name;
	struct i18n_text summary;	/* first thing to do, one sentence */
};

struct incident_check_def {
	const char *id;			/* stable: "detect.contain", "ransomware.keep_power" */
	enum alert_ir_step step;
	int kind;			/* -1: every incident, else enum incident_kind */
	struct i18n_text text;
};

struct incident_authority_def {
	const char *id;			/* ipa, police, jpcert, ppc, ministry, ipa_desk */
	struct i18n_text name;
	struct i18n_text where;		/* how to reach it */
};

struct incident_advice {
	enum incident_need need;
	struct i18n_text why;
};

/* Deadline countdown: the PPC's 速報 (preliminary) and 確報 (final). */
struct incident_deadline {
	const char *id;			/* ppc_prelim, ppc_final */
	struct i18n_text label;
	int64_t target;			/* aim for this (unix seconds) */
	int64_t due;			/* the latest */
	int64_t remaining;		/* due - now; negative when overdue */
	const char *status;		/* done, open, due_soon (< 1 day), overdue */
};

#define INC_DEADLINES_MAX 2
#define INC_JST_OFFSET (9 * 3600)	/* the law's days are Japanese calendar days */

const struct incident_kind_def *incident_kind_def(enum incident_kind k);
int incident_kind_parse(const char *s, enum incident_kind *out);
const char *incident_step_id(enum alert_ir_step s);
struct i18n_text incident_step_title(enum alert_ir_step s);
int incident_step_parse(const char *s, enum alert_ir_step *out);

/* The whole playbook; incident_check_applies() picks one kind's items. */
const struct incident_check_def *incident_checks(size_t *n);
bool incident_check_applies(const struct incident_check_def *c, enum incident_kind k);
/* The item with this id that applies to kind k, or NULL. */
const struct incident_check_def *incident_check_find(const char *id, enum incident_kind k);

const struct incident_authority_def *incident_authority_def(enum incident_authority a);
/* Report ids: the authorities' ids plus ppc_prelim and ppc_final. */
bool incident_report_id_ok(const char *id);
/* Which authority, how much it applies and why, for this incident. */
struct incident_advice incident_advise(enum incident_authority a, enum incident_kind k,
    unsigned ppc_cases, bool encrypted);

/* "sensitive,financial,wrongful,over1000" (any order, or "none") to bits. */
int incident_ppc_parse(const char *s, unsigned *out);
const char *incident_ppc_case_id(unsigned bit);
struct i18n_text incident_ppc_case_text(unsigned bit);
/* A report to the PPC is required: a case applies and the data was not
 * protected by strong encryption. */
bool incident_ppc_required(unsigned ppc_cases, bool encrypted);

/*
 * The PPC countdowns from the time the company learnt of the leak. The
 * day it learnt of it is day 1 (Japanese calendar day); 速報 aims at day 3
 * and is due by the end of day 5; 確報 is due by the end of day 30, or of
 * day 60 when wrongful purpose (PPC_WRONGFUL) is involved. Deadlines are
 * never moved for weekends or holidays, so the countdown never shows more
 * time than the law gives. prelim_done / final_done: already reported.
 * Returns the number of deadlines written (0 when no report is required).
 */
size_t incident_deadlines(int64_t discovered, unsigned ppc_cases, bool encrypted,
    bool prelim_done, bool final_done, int64_t now,
    struct incident_deadline out[INC_DEADLINES_MAX]);

#endif
