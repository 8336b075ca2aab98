/*
 * advisory.c - IPA / JVN advisory feeds (advisory.h). XML through
 * libxml2's xmlReader with the network off, entities not substituted and
 * document type declarations refused; JSON through jansson. XML is read
 * twice, first only to check it, so that a broken feed hands over nothing.
 */
#include "vuln/advisory.h"

#include <ctype.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "common/err.h"
#include "vuln/lib_xml.h"
#include "vuln/feed.h"

#define SEC_NS "http://jvn.jp/rss/mod_sec/3.0/"

enum xml_kind { X_RSS1, X_RSS2, X_ATOM, X_VULDEF };

struct xparse {
	struct advisory_sink *sink;
	bool emit;		/* second pass: hand items over */
	enum xml_kind kind;
	bool in_item;
	int item_depth;
	bool have_issued;
	/* VULDEF: the AffectedItem and Cvss being read */
	char vendor[128], product[128], severity[16];
	struct advisory a;
	char xml_err[160];
	int rc;
	struct lib_xml_reader xml;
};

/* Copies s trimmed into dst, cut at a UTF-8 boundary. */
static void
put(char *dst, size_t dstsz, const char *s)
{
	struct span t = span_trim(span_from_cstr(s ? s : ""));
	size_t n = t.len < dstsz - 1 ? t.len : dstsz - 1;
	while (n < t.len && n > 0 && ((unsigned char)t.p[n] & 0xc0) == 0x80)
		n--;
	memcpy(dst, t.p, n);
	dst[n] = '\0';
}

static void
lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

void
advisory_cpe_product(const char *cpe, char *out, size_t outsz)
{
	/* cpe:/PART:VENDOR:PRODUCT[:...] or cpe:2.3:PART:VENDOR:PRODUCT:... */
	const char *p = NULL;
	int skip = 0;
	out[0] = '\0';
	if (!cpe)
		return;
	if (strncmp(cpe, "cpe:/", 5) == 0) {
		p = cpe + 5;
		skip = 2;
	} else if (strncmp(cpe, "cpe:2.3:", 8) == 0) {
		p = cpe + 8;
		skip = 2;
	} else {
		return;
	}
	for (int i = 0; i < skip; i++) {
		p = strchr(p, ':');
		if (!p)
			return;
		p++;
	}
	size_t n = strcspn(p, ":");
	if (n == 0 || n >= outsz || (n == 1 && (*p == '*' || *p == '-')))
		return;
	memcpy(out, p, n);
	out[n] = '\0';
	lower(out);
}

static void
add_cve(struct advisory *a, const char *c)
{
	if (!c || !feed_is_cve(c) || strlen(c) >= sizeof(a->cves[0]) || a->ncves == ADVISORY_CVES_MAX)
		return;
	for (int i = 0; i < a->ncves; i++)
		if (strcmp(a->cves[i], c) == 0)
			return;
	snprintf(a->cves[a->ncves++], sizeof(a->cves[0]), "%s", c);
}

static void
add_product(struct advisory *a, const char *vendor, const char *product, const char *cpe)
{
	char trimmed[256];
	put(trimmed, sizeof(trimmed), cpe);
	for (int i = 0; i < a->nproducts; i++)
		if (strcmp(a->products[i].cpe, trimmed) == 0)
			return;
	if (a->nproducts == ADVISORY_PRODUCTS_MAX)
		return;
	struct advisory_product *p = &a->products[a->nproducts];
	put(p->vendor, sizeof(p->vendor), vendor);
	put(p->product, sizeof(p->product), product);
	snprintf(p->cpe, sizeof(p->cpe), "%s", trimmed);
	advisory_cpe_product(p->cpe, p->name, sizeof(p->name));
	if (p->cpe[0] || p->product[0])
		a->nproducts++;
}

static void
add_cvss(struct advisory *a, double score, const char *severity)
{
	if (score < 0 || score > 10 || score <= a->cvss)
		return;
	a->cvss = score;
	put(a->severity, sizeof(a->severity), severity);
	lower(a->severity);
}

static const char *
source_of(const struct advisory *a)
{
	if (strncmp(a->id, "JVNDB-", 6) == 0)
		return "jvndb";
	if (strncmp(a->id, "MYJVN-", 6) == 0)
		return "myjvn";
	if (strstr(a->link, "ipa.go.jp"))
		return "ipa";
	return "jvn";
}

/* A finished item: checked, completed and (second pass) handed over. */
static int
finish(struct advisory_sink *sink, struct advisory *a, bool emit)
{
	if (!a->id[0])
		snprintf(a->id, sizeof(a->id), "%.*s", (int)sizeof(a->id) - 1, a->link);
	/* JVN marks entries that are not advisories (unconfirmed, unsupported, deleted). */
	if (!a->title[0] || !a->id[0] || strstr(a->summary, "** 未確定 **") ||
	    strstr(a->summary, "** サポート外 **") || strstr(a->summary, "** 削除 **")) {
		sink->skipped++;
		return MAMORI_OK;
	}
	if (!a->link[0] && strncmp(a->id, "JVNDB-", 6) == 0 && strlen(a->id) >= 10)
		snprintf(a->link, sizeof(a->link), "https://jvndb.jvn.jp/ja/contents/%.4s/%s.html",
		    a->id + 6, a->id);
	snprintf(a->source, sizeof(a->source), "%s", source_of(a));
	if (++sink->items > ADVISORY_ITEMS_MAX) {
		snprintf(sink->err, sizeof(sink->err), "more than %d items in one feed", ADVISORY_ITEMS_MAX);
		return MAMORI_E_LIMIT;
	}
	return emit && sink->item ? sink->item(sink->ctx, a) : MAMORI_OK;
}

static void
on_error(void *ctx, xmlErrorPtr e)
{
	struct xparse *x = ctx;
	if (!x->xml_err[0] && e && e->message) {
		snprintf(x->xml_err, sizeof(x->xml_err), "line %d: %s", e->line, e->message);
		x->xml_err[strcspn(x->xml_err, "\n")] = '\0';
	}
}

static bool
is(const xmlChar *name, const char *want)
{
	return name && strcmp((const char *)name, want) == 0;
}

static void
text_of(const struct lib_xml_reader *r, char *dst, size_t dstsz)
{
	xmlChar *s = r->f.read_string(r->r);
	put(dst, dstsz, (const char *)s);
	(*r->f.free)(s);
}

static void
attr_of(const struct lib_xml_reader *r, const char *name, char *dst, size_t dstsz)
{
	xmlChar *s = r->f.get_attribute(r->r, (const xmlChar *)name);
	put(dst, dstsz, (const char *)s);
	(*r->f.free)(s);
}

static void
begin(struct xparse *x, int depth)
{
	x->in_item = true;
	x->item_depth = depth;
	x->have_issued = false;
	memset(&x->a, 0, sizeof(x->a));
	x->a.cvss = -1;
}

static void
date_of(struct xparse *x, const struct lib_xml_reader *r, bool preferred)
{
	char buf[64];
	int64_t t;
	if (x->have_issued && !preferred)
		return;
	text_of(r, buf, sizeof(buf));
	if (feed_parse_date(span_from_cstr(buf), &t) == 0 && (preferred || !x->a.published)) {
		x->a.published = t;
		x->have_issued |= preferred;
	}
}

/* VULDEF 3.2 (the JVN iPedia detail feed, jvndb_detail_YYYY.rdf): Vulinfo. */
static void
vuldef_child(struct xparse *x, const struct lib_xml_reader *r, const xmlChar *name,
    int depth)
{
	char buf[512];
	struct advisory *a = &x->a;
	if (is(name, "VulinfoID") && depth == x->item_depth + 1)
		text_of(r, a->id, sizeof(a->id));
	else if (is(name, "Title") && depth == x->item_depth + 2)
		text_of(r, a->title, sizeof(a->title));
	else if (is(name, "Overview") && !a->summary[0])
		text_of(r, a->summary, sizeof(a->summary));
	else if (is(name, "AffectedItem"))
		x->vendor[0] = x->product[0] = '\0';
	else if (is(name, "Name") && depth == x->item_depth + 4)	/* AffectedItem/Name */
		text_of(r, x->vendor, sizeof(x->vendor));
	else if (is(name, "ProductName"))
		text_of(r, x->product, sizeof(x->product));
	else if (is(name, "Cpe")) {
		text_of(r, buf, sizeof(buf));
		add_product(a, x->vendor, x->product, buf);
	} else if (is(name, "Severity"))
		text_of(r, x->severity, sizeof(x->severity));
	else if (is(name, "Base")) {
		text_of(r, buf, sizeof(buf));
		char *end = NULL;
		double sc = strtod(buf, &end);
		if (end && end != buf && *end == '\0')
			add_cvss(a, sc, x->severity);
	} else if (is(name, "VulinfoID")) {	/* Related/RelatedItem/VulinfoID */
		text_of(r, buf, sizeof(buf));
		add_cve(a, buf);
	} else if (is(name, "DateFirstPublished"))
		date_of(x, r, true);
}

static void
child(struct xparse *x, const struct lib_xml_reader *r, const xmlChar *name, int depth)
{
	if (x->kind == X_VULDEF) {
		vuldef_child(x, r, name, depth);
		return;
	}

	char buf[512], buf2[256], buf3[256];
	struct advisory *a = &x->a;
	bool direct = depth == x->item_depth + 1;
	if (direct && is(name, "title"))
		text_of(r, a->title, sizeof(a->title));
	else if (direct && is(name, "link")) {
		attr_of(r, "href", a->link, sizeof(a->link));
		if (!a->link[0])
			text_of(r, a->link, sizeof(a->link));
	} else if (direct && (is(name, "description") || is(name, "summary")))
		text_of(r, a->summary, sizeof(a->summary));
	else if (direct && (is(name, "identifier") || (x->kind == X_ATOM && is(name, "id"))))
		text_of(r, a->id, sizeof(a->id));
	else if (direct && (is(name, "issued") || is(name, "published") || is(name, "pubDate")))
		date_of(x, r, true);
	else if (direct && (is(name, "date") || is(name, "updated")))
		date_of(x, r, false);
	else if (is(name, "references")) {
		attr_of(r, "source", buf2, sizeof(buf2));
		if (strcmp(buf2, "CVE") == 0 || strcmp(buf2, "NVD") == 0) {
			attr_of(r, "id", buf, sizeof(buf));
			add_cve(a, buf);
		}
	} else if (is(name, "cpe")) {
		attr_of(r, "vendor", buf2, sizeof(buf2));
		attr_of(r, "product", buf3, sizeof(buf3));
		text_of(r, buf, sizeof(buf));
		add_product(a, buf2, buf3, buf);
	} else if (is(name, "cvss")) {
		attr_of(r, "score", buf, sizeof(buf));
		attr_of(r, "severity", buf2, sizeof(buf2));
		char *end = NULL;
		double s = strtod(buf, &end);
		if (end && end != buf && *end == '\0')
			add_cvss(a, s, buf2);
	}
}

static int
root(struct xparse *x, const xmlChar *name)
{
	if (is(name, "RDF"))
		x->kind = X_RSS1;
	else if (is(name, "rss"))
		x->kind = X_RSS2;
	else if (is(name, "feed"))
		x->kind = X_ATOM;
	else if (is(name, "VULDEF-Document"))
		x->kind = X_VULDEF;
	else {
		snprintf(x->sink->err, sizeof(x->sink->err),
		    "not an RSS, Atom or VULDEF feed: the root element is <%.40s>",
		    name ? (const char *)name : "?");
		return MAMORI_E_PARSE;
	}
	static const char *const names[] = { "rss1", "rss2", "atom", "vuldef" };
	x->sink->format = names[x->kind];
	return MAMORI_OK;
}

static bool
starts_item(const struct xparse *x, const struct lib_xml_reader *r, const xmlChar *name)
{
	if (x->kind == X_ATOM)
		return is(name, "entry");
	if (x->kind == X_VULDEF)
		return is(name, "Vulinfo");
	const xmlChar *ns = r->f.namespace_uri(r->r);
	return is(name, "item") && !(ns && strcmp((const char *)ns, SEC_NS) == 0);
}

static int
xml_pass(struct span in, struct advisory_sink *sink, bool emit)
{
	struct xparse *x = calloc(1, sizeof(*x));
	if (!x)
		return MAMORI_E_NOMEM;
	x->sink = sink;
	x->emit = emit;
	sink->items = sink->skipped = 0;
	int rc = MAMORI_OK, ret;
	bool root_seen = false;
	struct lib_xml_reader *r = &x->xml;
	if ((rc = lib_xml_open(&r->f, sink->err, sizeof(sink->err))) != MAMORI_OK) {
		free(x);
		return rc;
	}
	/* No NOENT, DTDLOAD or HUGE: entities stay references, limits stay on. */
	r->r = r->f.reader_for_memory(in.p, (int)in.len, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!r->r) {
		free(x);
		return MAMORI_E_NOMEM;
	}
	r->f.set_error_handler(r->r, on_error, x);
	while ((ret = r->f.read(r->r)) == 1) {
		int type = r->f.node_type(r->r);
		const xmlChar *name = r->f.local_name(r->r);
		int depth = r->f.depth(r->r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			snprintf(sink->err, sizeof(sink->err),
			    "advisory feeds have no document type declaration; refusing this one");
			rc = MAMORI_E_PARSE;
			goto out;
		}
		if (type == XML_READER_TYPE_ELEMENT) {
			if (!root_seen) {
				root_seen = true;
				if ((rc = root(x, name)) != MAMORI_OK)
					goto out;
				continue;
			}
			if (!x->in_item) {
				if (starts_item(x, r, name)) {
					begin(x, depth);
					if (r->f.is_empty(r->r) == 1) {
						x->in_item = false;
						if ((rc = finish(sink, &x->a, emit)) != MAMORI_OK)
							goto out;
					}
				}
				continue;
			}
			child(x, r, name, depth);
		} else if (type == XML_READER_TYPE_END_ELEMENT && x->in_item &&
		    depth == x->item_depth) {
			x->in_item = false;
			if ((rc = finish(sink, &x->a, emit)) != MAMORI_OK)
				goto out;
		}
	}
	if (ret < 0 || !root_seen) {
		snprintf(sink->err, sizeof(sink->err), "broken XML: %s",
		    x->xml_err[0] ? x->xml_err : "the document ends early or is empty");
		rc = MAMORI_E_PARSE;
	}
out:
	r->f.free_reader(r->r);
	free(x);
	return rc;
}

/* JSON: MyJVN VULDEF documents in a STIX bundle. */

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

/* Vendor branches name the vendor; product branches carry the CPE. */
static void
json_products(struct advisory *a, json_t *node, const char *vendor, int depth)
{
	if (depth > 8)
		return;
	json_t *prod = json_object_get(node, "product");
	if (json_is_object(prod))
		add_product(a, vendor, jstr(prod, "name"),
		    jstr(json_object_get(prod, "product_identification_helper"), "cpe"));
	if (strcmp(jstr(node, "category"), "vendor") == 0)
		vendor = jstr(node, "name");
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(node, "branches"), i, b)
		json_products(a, b, vendor, depth + 1);
}

static void
json_scores(struct advisory *a, json_t *vuln)
{
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(vuln, "metrics"), i, m) {
		json_t *content = json_object_get(m, "content");
		static const char *const keys[] = { "cvss_v4", "cvss_v3", "cvss_v2" };
		for (size_t k = 0; k < 3; k++) {
			json_t *c = json_object_get(content, keys[k]);
			json_t *score = json_object_get(c, "baseScore");
			if (json_is_number(score)) {
				add_cvss(a, json_number_value(score), jstr(c, "baseSeverity"));
				break;
			}
		}
	}
}

static int
json_document(struct advisory_sink *sink, json_t *v)
{
	struct advisory *a = calloc(1, sizeof(*a));
	if (!a)
		return MAMORI_E_NOMEM;
	a->cvss = -1;
	json_t *doc = json_object_get(v, "document");
	json_t *tracking = json_object_get(doc, "tracking");
	put(a->title, sizeof(a->title), jstr(doc, "title"));
	put(a->id, sizeof(a->id), jstr(tracking, "id"));
	const char *date = jstr(tracking, "initial_release_date");
	int64_t t;
	if (feed_parse_date(span_from_cstr(date), &t) == 0)
		a->published = t;
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(doc, "notes"), i, x)
		if (!a->summary[0] && (strcmp(jstr(x, "category"), "description") == 0 ||
		    strcmp(jstr(x, "category"), "summary") == 0))
			put(a->summary, sizeof(a->summary), jstr(x, "text"));
	json_products(a, json_object_get(v, "product_tree"), "", 0);
	json_array_foreach(json_object_get(v, "vulnerabilities"), i, x) {
		add_cve(a, jstr(x, "cve"));
		json_scores(a, x);
	}
	int rc = finish(sink, a, true);
	free(a);
	return rc;
}

static int
json_parse(struct span in, struct advisory_sink *sink)
{
	json_error_t e;
	json_t *root = json_loadb(in.p, in.len, 0, &e);
	int rc = MAMORI_OK;
	if (!root) {
		snprintf(sink->err, sizeof(sink->err), "broken JSON: line %d: %s", e.line, e.text);
		return MAMORI_E_PARSE;
	}
	json_t *objects = json_object_get(root, "objects");
	if (!json_is_array(objects)) {
		snprintf(sink->err, sizeof(sink->err),
		    "not a MyJVN VULDEF document: no \"objects\" array (STIX bundle)");
		rc = MAMORI_E_PARSE;
		goto out;
	}
	sink->format = "vuldef-json";
	sink->items = sink->skipped = 0;
	size_t i, j;
	json_t *o, *d;
	json_array_foreach(objects, i, o)
		json_array_foreach(json_object_get(o, "VULDEF-Document"), j, d)
			if ((rc = json_document(sink, d)) != MAMORI_OK)
				goto out;
out:
	json_decref(root);
	return rc;
}

int
advisory_parse(struct span in, struct advisory_sink *sink)
{
	sink->err[0] = '\0';
	sink->format = "";
	sink->items = sink->skipped = 0;
	if (in.len > ADVISORY_INPUT_MAX) {
		snprintf(sink->err, sizeof(sink->err), "the feed is larger than %u MiB",
		    ADVISORY_INPUT_MAX >> 20);
		return MAMORI_E_LIMIT;
	}
	struct span t = span_trim(in);
	if (t.len >= 3 && memcmp(t.p, "\xef\xbb\xbf", 3) == 0)
		t = span_trim((struct span){ t.p + 3, t.len - 3 });
	if (t.len == 0) {
		snprintf(sink->err, sizeof(sink->err), "the feed is empty");
		return MAMORI_E_PARSE;
	}
	if (t.p[0] == '{')
		return json_parse(t, sink);
	if (t.p[0] != '<') {
		snprintf(sink->err, sizeof(sink->err), "not XML or JSON");
		return MAMORI_E_PARSE;
	}
	/* First pass only checks, so a feed broken at its end stores nothing. */
	int rc = xml_pass(t, sink, false);
	return rc != MAMORI_OK ? rc : xml_pass(t, sink, true);
}
