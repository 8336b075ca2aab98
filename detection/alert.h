/*
 * alert.h - an alert: something happened that a person must know about,
 * with the text that tells them what to do.
 *
 * Printed as one NDJSON line in ECS shape: "@timestamp", "event.kind":
 * "alert", "rule.id", "rule.name", "event.severity" (and "severity" as a
 * word), "source.ip", "user.name", "host.name" where known, "message", and
 * "mamori.text" {en, ja} {what, why, action} plus "mamori.ir_step" (the IPA
 * incident-response step: detect, report or recover). Attacker-controlled
 * strings are escaped by jansson; invalid UTF-8 is replaced.
 */
#ifndef MAMORI_DETECTION_ALERT_H
#define MAMORI_DETECTION_ALERT_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "common/i18n.h"

enum alert_severity { ALERT_INFO, ALERT_LOW, ALERT_MEDIUM, ALERT_HIGH, ALERT_CRITICAL };

/* The incident-response step of IPA's guide an alert maps to. */
enum alert_ir_step {
	IR_DETECT,	/* 検知・初動対応 */
	IR_REPORT,	/* 報告・公表 */
	IR_RECOVER,	/* 復旧・再発防止 */
};

struct alert_rule {
	const char *id;			/* stable, e.g. "mamori.auth.bruteforce" */
	const char *name;		/* English name */
	enum alert_severity severity;
	enum alert_ir_step ir_step;
	struct i18n_text what;		/* what happened */
	struct i18n_text why;		/* how serious and why */
	struct i18n_text action;	/* what to do now */
};

struct alert {
	const struct alert_rule *rule;
	enum alert_severity severity;	/* rule's unless raised/lowered */
	int64_t ts_ms;
	const char *source_ip;		/* borrowed, may be NULL */
	const char *user_name;
	const char *host_name;
	const char *message;		/* specifics, English, borrowed */
	json_t *extra;			/* more ECS fields (object), borrowed; may be NULL */
};

const char *alert_severity_name(enum alert_severity s);
const char *alert_ir_step_name(enum alert_ir_step s);
/* New reference to the alert as a JSON object. */
json_t *alert_to_json(const struct alert *a);
/* One NDJSON line; returns 0 or MAMORI_E_IO. */
int alert_write_ndjson(const struct alert *a, FILE *out);
/* Human text in one language, a few lines. */
void alert_print_text(const struct alert *a, enum lang lang, FILE *out);

#endif
