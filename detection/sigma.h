/*
 * sigma.h - Sigma rules (SigmaHQ YAML format) compiled once into a fast
 * matcher over normalized events, plus Sigma correlation rules.
 *
 * Life cycle:
 *	sigma_ruleset_new(&rs);
 *	sigma_ruleset_add_dir(rs, "/usr/share/mamori/rules/sigma", &report);
 *	sigma_ruleset_add_file(rs, "my.yml", &report);	(any number)
 *	sigma_ruleset_compile(rs);			(once, before matching)
 *	for each event: sigma_ruleset_match(rs, &ev, hit_cb, ctx);
 *	sigma_ruleset_flush(rs, cb, ctx);		(end of input)
 *	sigma_ruleset_free(rs);
 * or sigma_ruleset_load_dir()/_load_file()/_load_buffer() for new + add +
 * compile in one call.
 *
 * A rule that cannot be parsed or uses a feature we do not support is
 * skipped and reported (file, title, id, reason) in the sigma_report; it is
 * never fatal. Only allocation failure or an unreadable directory given
 * explicitly is an error return.
 *
 * Fields. Rules name fields with Sigma / Windows names. A name that looks
 * like a Windows event-data name (starts with an upper-case letter, no '.')
 * is first looked up as "winlog.event_data.<Name>" (exact, as Winlogbeat and
 * NXLog forward it), then as its mapped ECS key (TargetUserName ->
 * user.name, IpAddress -> source.ip, EventID -> winlog.event_id,
 * CommandLine -> process.command_line, Image -> process.executable, c-uri
 * -> url.original, cs-method -> http.request.method ...; the full table is
 * in docs/sigma.md and sigma_field_ecs()), then verbatim. The first key
 * present in the event wins. Keyword searches (plain value lists) look at
 * ev->raw.
 *
 * Matching is ASCII case-insensitive unless the |cased modifier is given,
 * as Sigma specifies. logsource is kept in sigma_rule_info for callers to
 * filter on but is not enforced by the matcher.
 *
 * Correlation (type event_count, value_count, temporal, temporal_ordered;
 * group-by, aliases, timespan, condition gt/gte/lt/lte/eq/neq) runs on
 * ev->ts_ms (an event without a time uses the latest time seen). Detection
 * rules a correlation refers to do not produce hits of their own unless the
 * correlation says "generate: true" (the Sigma spec). Correlations can refer
 * to correlations ("many failures" then "success"); a correlation always
 * produces its own hits, so "brute force" and "break-in after brute force"
 * both alert. State is bounded by a
 * hard cap on groups; the least recently used group is evicted and counted.
 *
 * Thread-safety: a ruleset keeps match scratch and correlation state, so
 * use one ruleset per thread. Everything borrowed from a hit is valid only
 * during the callback.
 */
#ifndef MAMORI_DETECTION_SIGMA_H
#define MAMORI_DETECTION_SIGMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/arena.h"
#include "common/span.h"
#include "detection/alert.h"
#include "detection/event.h"

struct sigma_ruleset;

/* Loading limits (per rule file / document). */
#define SIGMA_MAX_FILE_BYTES	(1024 * 1024)
#define SIGMA_MAX_YAML_DEPTH	32
#define SIGMA_MAX_YAML_NODES	20000
#define SIGMA_MAX_CORR_GROUPS	65536	/* default hard cap, all correlations */

/* One rule that was skipped, or a problem worth telling. */
struct sigma_report_item {
	const char *file;	/* path or buffer name; never NULL */
	const char *title;	/* rule title, NULL when it could not be read */
	const char *id;		/* rule id, may be NULL */
	size_t line;		/* 1-based line in the file, 0 = unknown */
	const char *reason;	/* English, one line */
};

/* Caller-allocated; strings live in its arena until sigma_report_release. */
struct sigma_report {
	struct arena arena;
	struct vec items;	/* struct sigma_report_item */
	size_t files;		/* files read */
	size_t rules_loaded;	/* detection rules compiled */
	size_t correlations_loaded;
	size_t rules_skipped;	/* each has an item */
};

void sigma_report_init(struct sigma_report *r);
void sigma_report_release(struct sigma_report *r);

/* What a person or the alert writer needs to know about a rule. */
struct sigma_rule_info {
	const char *id;			/* "id:", or the title when absent */
	const char *name;		/* "name:" (correlation reference), may be NULL */
	const char *title;
	const char *description;	/* may be NULL */
	const char *level;		/* "informational".."critical", may be NULL */
	const char *status;		/* may be NULL */
	const char *file;		/* where it was loaded from */
	const char *logsource_product;	/* may be NULL */
	const char *logsource_service;
	const char *logsource_category;
	const char *const *tags;	/* ntags strings ("attack.t1110") */
	size_t ntags;
	bool correlation;		/* a correlation rule */
	/*
	 * "mamori: builtin: PREFIX": the built-in detections whose ids start
	 * with PREFIX catch the same attack, so the built-in wins: the caller
	 * drops this rule's hit on an event a built-in of PREFIX matched
	 * (even one it held back as a repeat), and a correlation's hits
	 * always. NULL when absent.
	 */
	const char *builtin;
	/*
	 * Ready for alert_to_json(): id, name = title, severity from
	 * "mamori: severity:" or "level:", ir_step and what/why/action from
	 * the "mamori:" custom block:
	 *	mamori:
	 *	  severity: high		(optional, else from level)
	 *	  ir_step: detect		(detect | report | recover)
 *	  builtin: mamori.web.		(see builtin above)
	 *	  what:   {en: "...", ja: "..."}
	 *	  why:    {en: "...", ja: "..."}
	 *	  action: {en: "...", ja: "..."}
	 * Without the block, what = title and why = description (both
	 * languages get the English text) and action is a generic ja/en
	 * "ask your IT vendor".
	 */
	struct alert_rule alert;
};

/* One hit: a rule matched an event, or a correlation fired. */
struct sigma_hit {
	const struct sigma_rule_info *rule;
	const struct event *ev;		/* the event that matched / completed
					 * the correlation; NULL from flush */
	int64_t ts_ms;			/* event time or correlation end time */
	/* Correlation only (zero/NULL otherwise): */
	uint64_t count;			/* events (event_count), distinct
					 * values (value_count) or rules seen
					 * (temporal*) */
	int64_t first_ts_ms;		/* start of the window that fired */
	size_t ngroup;			/* group-by fields */
	const char *const *group_fields; /* ECS keys ("source.ip") */
	const struct span *group_values; /* values (may be empty spans) */
};

/* Called once per hit; keep nothing borrowed after returning. */
typedef void (*sigma_hit_fn)(void *ctx, const struct sigma_hit *hit);

struct sigma_stats {
	uint64_t events;		/* events matched */
	uint64_t hits;			/* callbacks made */
	uint64_t corr_groups;		/* live correlation groups now */
	uint64_t corr_evicted;		/* groups dropped at the cap (LRU) */
	uint64_t corr_expired;		/* groups freed after their timespan */
	uint64_t regex_errors;		/* PCRE2 match errors (treated as no match) */
};

int sigma_ruleset_new(struct sigma_ruleset **out);
/* Hard cap on correlation groups (all correlations together); 0 = default. */
void sigma_ruleset_set_max_groups(struct sigma_ruleset *rs, size_t max_groups);
/*
 * The caller drops the hits of "builtin:" rules as sigma_rule_info says.
 * With on (before compile), rules that could then never lead to an alert
 * are not evaluated at all: a "builtin:" correlation feeding no other live
 * correlation, and a detection rule silenced by generate: false that feeds
 * only such correlations. Their hits are then not reported either.
 */
void sigma_ruleset_set_builtin_wins(struct sigma_ruleset *rs, bool on);

/*
 * Adds the rules of one YAML text (one or more documents separated by
 * "---"). name is used in reports. Returns 0 even when rules were skipped
 * (see report); MAMORI_E_NOMEM / MAMORI_E_INVAL (after compile) otherwise.
 */
int sigma_ruleset_add_buffer(struct sigma_ruleset *rs, struct span yaml,
    const char *name, struct sigma_report *report);
int sigma_ruleset_add_file(struct sigma_ruleset *rs, const char *path,
    struct sigma_report *report);
/* Every *.yml / *.yaml below dir (recursive, sorted by path). */
int sigma_ruleset_add_dir(struct sigma_ruleset *rs, const char *dir,
    struct sigma_report *report);
/*
 * Resolves correlation references and builds the prefilter. Unresolvable
 * correlations are reported and skipped. Call once after the last add.
 */
int sigma_ruleset_compile(struct sigma_ruleset *rs, struct sigma_report *report);

/* new + add + compile. On error *out is NULL. */
int sigma_ruleset_load_dir(struct sigma_ruleset **out, const char *dir,
    struct sigma_report *report);
int sigma_ruleset_load_file(struct sigma_ruleset **out, const char *path,
    struct sigma_report *report);
int sigma_ruleset_load_buffer(struct sigma_ruleset **out, struct span yaml,
    const char *name, struct sigma_report *report);

/*
 * Matches one event against every rule and feeds the correlations. Calls cb
 * for each matching rule (unless a correlation suppresses it) and each
 * correlation that fires. Returns the number of hits, or a negative
 * MAMORI_E_INVAL when the ruleset was not compiled.
 */
int sigma_ruleset_match(struct sigma_ruleset *rs, const struct event *ev,
    sigma_hit_fn cb, void *ctx);
/*
 * Closes every correlation window: conditions that can only be decided at
 * the end of a window (lt, lte, eq, neq) are evaluated. Call at end of
 * input. Returns the number of hits.
 */
int sigma_ruleset_flush(struct sigma_ruleset *rs, sigma_hit_fn cb, void *ctx);

/*
 * Correlation windows across restarts (sigma_state.c). sigma_state_save
 * hands each open group to fn as bytes, most recently used first, at most
 * max of them (and none over SIGMA_STATE_MAX_BYTES); *dropped counts the
 * groups left out. sigma_state_load puts one back into a ruleset compiled
 * from the same rules; clock_ms is the event time the state was saved at
 * (later windows close relative to it). Load them oldest first, so the
 * least recently used order comes back. fn returns 0 or a negative error,
 * which ends the walk and is returned.
 */
#define SIGMA_STATE_MAX_BYTES (64 * 1024)
struct sigma_state {
	const char *rule_id;		/* the correlation's id */
	int64_t last_ms;		/* its group's newest event time */
	const void *data;
	size_t len;
};
typedef int (*sigma_state_fn)(void *arg, const struct sigma_state *s);
int sigma_state_save(struct sigma_ruleset *rs, size_t max, sigma_state_fn fn, void *arg,
    size_t *dropped);
enum sigma_state_result {
	SIGMA_STATE_LOADED,
	SIGMA_STATE_EXPIRED,		/* its window closed before clock_ms */
	SIGMA_STATE_CHANGED,		/* no such correlation now, or it was edited */
	SIGMA_STATE_FULL,		/* the group cap or memory cap is reached */
	SIGMA_STATE_BAD,		/* malformed bytes */
};
enum sigma_state_result sigma_state_load(struct sigma_ruleset *rs, int64_t clock_ms,
    const char *rule_id, const void *data, size_t len);

size_t sigma_ruleset_count(const struct sigma_ruleset *rs);
const struct sigma_rule_info *sigma_ruleset_rule(const struct sigma_ruleset *rs,
    size_t i);
void sigma_ruleset_stats(const struct sigma_ruleset *rs, struct sigma_stats *out);
void sigma_ruleset_free(struct sigma_ruleset *rs);

/* The ECS key a Sigma field name maps to, or NULL when it has no mapping. */
const char *sigma_field_ecs(const char *sigma_name);

#endif
