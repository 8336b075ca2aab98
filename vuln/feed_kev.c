/*
 * feed_kev.c - CISA Known Exploited Vulnerabilities catalogue
 * (known_exploited_vulnerabilities.json): {title, catalogVersion,
 * dateReleased, count, vulnerabilities: [{cveID, vendorProject, product,
 * vulnerabilityName, dateAdded, shortDescription, requiredAction, dueDate,
 * knownRansomwareCampaignUse, notes, cwes}]}.
 */
#include <stdio.h>
#include <string.h>

#include "common/err.h"
#include "vuln/feed.h"
#include "vuln/feed_json.h"

enum { F_CVE, F_VENDOR, F_PRODUCT, F_NAME, F_ADDED, F_DUE, F_ACTION, F_RANSOM, F_N };

static const char *const names[F_N] = {
	[F_CVE] = "cveID", [F_VENDOR] = "vendorProject", [F_PRODUCT] = "product",
	[F_NAME] = "vulnerabilityName", [F_ADDED] = "dateAdded", [F_DUE] = "dueDate",
	[F_ACTION] = "requiredAction", [F_RANSOM] = "knownRansomwareCampaignUse",
};

struct kev {
	struct feed_sink *sink;
	char f[F_N][1024];
	bool have_list, have_count;
	uint64_t count;
	char version[64];
};

static bool
in_entry(const struct feed_json *j)
{
	const char *k = feed_json_key(j, 1);
	return j->depth == 3 && k && strcmp(k, "vulnerabilities") == 0 && j->arr[2] &&
	    !j->arr[3];
}

static int
k_open(struct feed_json *j, bool array)
{
	struct kev *k = j->ctx;
	if (j->depth == 1 && array) {
		snprintf(k->sink->err, sizeof(k->sink->err),
		    "not a KEV catalogue: the top level is an array");
		return MAMORI_E_PARSE;
	}
	if (j->depth == 2 && array && strcmp(j->key[1], "vulnerabilities") == 0)
		k->have_list = true;
	if (in_entry(j))
		memset(k->f, 0, sizeof(k->f));
	return MAMORI_OK;
}

static int
k_close(struct feed_json *j, bool array)
{
	struct kev *k = j->ctx;
	if (!in_entry(j))
		return MAMORI_OK;
	k->sink->records++;
	if (!feed_is_cve(k->f[F_CVE])) {
		k->sink->skipped++;
		return MAMORI_OK;
	}
	struct feed_kev r = {
		.cve = k->f[F_CVE], .vendor = k->f[F_VENDOR], .product = k->f[F_PRODUCT],
		.name = k->f[F_NAME], .date_added = k->f[F_ADDED], .due_date = k->f[F_DUE],
		.required_action = k->f[F_ACTION],
		.ransomware = strcmp(k->f[F_RANSOM], "Known") == 0,
	};
	return k->sink->kev ? k->sink->kev(k->sink->ctx, &r) : MAMORI_OK;
}

static int
k_value(struct feed_json *j, enum feed_json_type type, const unsigned char *s, size_t len)
{
	struct kev *k = j->ctx;
	const char *key = feed_json_key(j, j->depth);
	if (j->depth == 0) {
		snprintf(k->sink->err, sizeof(k->sink->err), "not a KEV catalogue");
		return MAMORI_E_PARSE;
	}
	if (!key)
		return MAMORI_OK;
	if (j->depth == 1) {
		struct span v = { (const char *)s, len };
		if (strcmp(key, "dateReleased") == 0 && type == FJ_STRING)
			feed_note_date(k->sink, v);
		else if (strcmp(key, "catalogVersion") == 0 && type == FJ_STRING) {
			(void)feed_copy(k->version, sizeof(k->version), s, len);
			if (!k->sink->feed_date)
				feed_note_date(k->sink, v);
		} else if (strcmp(key, "count") == 0 && type == FJ_NUMBER) {
			k->have_count = span_to_u64(v, UINT32_MAX, &k->count) == MAMORI_OK;
		}
		return MAMORI_OK;
	}
	if (!in_entry(j) || type != FJ_STRING)
		return MAMORI_OK;
	for (int i = 0; i < F_N; i++) {
		if (strcmp(key, names[i]) == 0) {
			/* Over-long text is cut rather than refused. */
			size_t n = len < sizeof(k->f[i]) - 1 ? len : sizeof(k->f[i]) - 1;
			while (n < len && n > 0 && (s[n] & 0xc0) == 0x80)
				n--;
			(void)feed_copy(k->f[i], sizeof(k->f[i]), s, n);
			break;
		}
	}
	return MAMORI_OK;
}

int
feed_kev_parse(struct feed_reader *in, struct feed_sink *sink)
{
	struct kev k = { .sink = sink };
	struct feed_json j = {
		.open = k_open, .close = k_close, .value = k_value,
		.ctx = &k, .sink = sink,
	};
	int rc = feed_json_run(&j, in);
	if (rc)
		return rc;
	if (!k.have_list) {
		snprintf(sink->err, sizeof(sink->err),
		    "not a KEV catalogue: no \"vulnerabilities\" list");
		return MAMORI_E_PARSE;
	}
	/* The catalogue states its size: a mismatch means a damaged file. */
	if (k.have_count && k.count != sink->records) {
		snprintf(sink->err, sizeof(sink->err),
		    "KEV catalogue says count %llu but holds %llu entries",
		    (unsigned long long)k.count, (unsigned long long)sink->records);
		return MAMORI_E_PARSE;
	}
	return MAMORI_OK;
}
