/*
 * feed_jvn.c - JVN iPedia feeds (IPA): the RSS 1.0 feeds jvndb*.rdf and
 * MyJVN overview lists (item: sec:identifier, title, link,
 * sec:references source="CVE"|"NVD" id="CVE-...", dcterms:issued), and the
 * VULDEF detail feed (Vulinfo: VulinfoID, VulinfoData/Title,
 * Related/RelatedItem/VulinfoID = CVE-..., DateFirstPublished,
 * DateLastUpdated). One feed_jvn per (JVNDB id, CVE).
 *
 * libxml2's xmlReader streams the file; the network is off, entities are
 * not substituted and a document type declaration is refused outright, so
 * no external or exponential entity can be reached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#include "common/err.h"
#include "vuln/lib_xml.h"
#include "vuln/feed.h"

#define MAX_CVES 64

struct jvn {
	struct feed_sink *sink;
	struct feed_reader *in;
	int rc;
	bool in_item;		/* RSS item or VULDEF Vulinfo */
	int item_depth;
	bool in_related, vuldef, skip;
	char id[64], title[1024], link[512], published[64];
	char cves[MAX_CVES][32];
	int ncves;
	char xml_err[160];
	struct lib_xml_reader xml;
};

static int
io_read(void *ctx, char *buf, int len)
{
	struct jvn *v = ctx;
	size_t got;
	if (len <= 0)
		return 0;
	if (v->in->read(v->in->ctx, buf, (size_t)len, &got) != MAMORI_OK)
		return -1;
	return (int)got;
}

static int
io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

static void
on_error(void *ctx, xmlErrorPtr e)
{
	struct jvn *v = ctx;
	if (!v->xml_err[0] && e && e->message) {
		snprintf(v->xml_err, sizeof(v->xml_err), "line %d: %s", e->line, e->message);
		v->xml_err[strcspn(v->xml_err, "\n")] = '\0';
	}
}

/* The element's text, trimmed and cut to dstsz at a UTF-8 boundary. */
static void
text(const struct lib_xml_reader *r, char *dst, size_t dstsz)
{
	xmlChar *s = r->f.read_string(r->r);
	dst[0] = '\0';
	if (!s)
		return;
	struct span t = span_trim(span_from_cstr((const char *)s));
	size_t n = t.len < dstsz - 1 ? t.len : dstsz - 1;
	while (n < t.len && n > 0 && ((unsigned char)t.p[n] & 0xc0) == 0x80)
		n--;
	memcpy(dst, t.p, n);
	dst[n] = '\0';
	(*r->f.free)(s);
}

static void
add_cve(struct jvn *v, const char *c)
{
	if (!feed_is_cve(c) || v->ncves == MAX_CVES)
		return;
	for (int i = 0; i < v->ncves; i++)
		if (strcmp(v->cves[i], c) == 0)
			return;
	snprintf(v->cves[v->ncves++], sizeof(v->cves[0]), "%s", c);
}

static void
begin_item(struct jvn *v, int depth, bool vuldef)
{
	v->in_item = true;
	v->vuldef = vuldef;
	v->item_depth = depth;
	v->in_related = v->skip = false;
	v->id[0] = v->title[0] = v->link[0] = v->published[0] = '\0';
	v->ncves = 0;
}

static int
end_item(struct jvn *v)
{
	v->in_item = false;
	v->sink->records++;
	if (v->skip || strncmp(v->id, "JVNDB-", 6) != 0 || v->ncves == 0) {
		v->sink->skipped++;
		return MAMORI_OK;
	}
	if (!v->link[0] && strlen(v->id) >= 10)	/* JVNDB-YYYY-... */
		snprintf(v->link, sizeof(v->link),
		    "https://jvndb.jvn.jp/ja/contents/%.4s/%s.html", v->id + 6, v->id);
	for (int i = 0; i < v->ncves; i++) {
		struct feed_jvn j = {
			.jvn_id = v->id, .cve = v->cves[i], .title_ja = v->title,
			.link = v->link, .published = v->published[0] ? v->published : NULL,
		};
		int rc = v->sink->jvn ? v->sink->jvn(v->sink->ctx, &j) : MAMORI_OK;
		if (rc)
			return rc;
	}
	return MAMORI_OK;
}

static bool
is(const xmlChar *name, const char *want)
{
	return name && strcmp((const char *)name, want) == 0;
}

static void
attr(const struct lib_xml_reader *r, const char *name, char *dst, size_t dstsz)
{
	xmlChar *a = r->f.get_attribute(r->r, (const xmlChar *)name);
	dst[0] = '\0';
	if (a) {
		snprintf(dst, dstsz, "%s", (const char *)a);
		(*r->f.free)(a);
	}
}

static int
element(struct jvn *v, const struct lib_xml_reader *r, const xmlChar *name, int depth)
{
	char buf[1024];

	if (!v->in_item) {
		if (is(name, "item"))
			begin_item(v, depth, false);
		else if (is(name, "Vulinfo"))
			begin_item(v, depth, true);
		else if (is(name, "date") || is(name, "modified")) {
			text(r, buf, sizeof(buf));	/* channel date */
			feed_note_date(v->sink, span_from_cstr(buf));
		}
		if (v->in_item && r->f.is_empty(r->r) == 1)
			return end_item(v);
		return MAMORI_OK;
	}
	if (!v->vuldef) {
		if (is(name, "identifier"))
			text(r, v->id, sizeof(v->id));
		else if (is(name, "title") && depth == v->item_depth + 1)
			text(r, v->title, sizeof(v->title));
		else if (is(name, "link") && depth == v->item_depth + 1)
			text(r, v->link, sizeof(v->link));
		else if (is(name, "issued"))
			text(r, v->published, sizeof(v->published));
		else if (is(name, "references")) {
			char src[16];
			attr(r, "source", src, sizeof(src));
			if (strcmp(src, "CVE") == 0 || strcmp(src, "NVD") == 0) {
				attr(r, "id", buf, sizeof(buf));
				add_cve(v, buf);
			}
		} else if (is(name, "description") && depth == v->item_depth + 1) {
			/* Entries JVN itself marks as unconfirmed, unsupported
			 * or deleted are not advisories. */
			text(r, buf, sizeof(buf));
			if (strstr(buf, "** 未確定 **") || strstr(buf, "** サポート外 **") ||
			    strstr(buf, "** 削除 **"))
				v->skip = true;
		} else if (is(name, "modified") || is(name, "date")) {
			text(r, buf, sizeof(buf));
			feed_note_date(v->sink, span_from_cstr(buf));
		}
		return MAMORI_OK;
	}
	if (is(name, "RelatedItem"))
		v->in_related = r->f.is_empty(r->r) != 1;
	else if (is(name, "VulinfoID")) {
		text(r, buf, sizeof(buf));
		if (depth == v->item_depth + 1)
			(void)feed_copy(v->id, sizeof(v->id), (const unsigned char *)buf,
			    strlen(buf));
		else if (v->in_related)
			add_cve(v, buf);
	} else if (is(name, "Title") && depth == v->item_depth + 2 && !v->title[0])
		text(r, v->title, sizeof(v->title));
	else if (is(name, "DateFirstPublished"))
		text(r, v->published, sizeof(v->published));
	else if (is(name, "DateLastUpdated")) {
		text(r, buf, sizeof(buf));
		feed_note_date(v->sink, span_from_cstr(buf));
	}
	return MAMORI_OK;
}

int
feed_jvn_parse(struct feed_reader *in, struct feed_sink *sink)
{
	struct jvn *v = calloc(1, sizeof(*v));
	struct lib_xml_reader *r = NULL;
	int rc = MAMORI_OK, ret;
	bool root_seen = false;

	if (!v)
		return MAMORI_E_NOMEM;
	v->sink = sink;
	v->in = in;
	r = &v->xml;
	if ((rc = lib_xml_open(&r->f, sink->err, sizeof(sink->err))) != MAMORI_OK)
		goto out;
	/* No NOENT, DTDLOAD or HUGE: entities stay references, limits stay on. */
	r->r = r->f.reader_for_io(io_read, io_close, v, NULL, NULL,
	    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!r->r) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	r->f.set_error_handler(r->r, on_error, v);
	while ((ret = r->f.read(r->r)) == 1) {
		int type = r->f.node_type(r->r);
		const xmlChar *name = r->f.local_name(r->r);
		int depth = r->f.depth(r->r);
		if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
			snprintf(sink->err, sizeof(sink->err),
			    "JVN feeds have no document type declaration; refusing this one");
			rc = MAMORI_E_PARSE;
			goto out;
		}
		if (type == XML_READER_TYPE_ELEMENT) {
			if (!root_seen) {
				root_seen = true;
				if (!is(name, "RDF") && !is(name, "VULDEF-Document")) {
					snprintf(sink->err, sizeof(sink->err),
					    "not a JVN feed: the root element is <%s>",
					    name ? (const char *)name : "?");
					rc = MAMORI_E_PARSE;
					goto out;
				}
			}
			if ((rc = element(v, r, name, depth)) != MAMORI_OK)
				goto out;
		} else if (type == XML_READER_TYPE_END_ELEMENT && v->in_item) {
			if (depth == v->item_depth && (is(name, "item") || is(name, "Vulinfo"))) {
				if ((rc = end_item(v)) != MAMORI_OK)
					goto out;
			} else if (is(name, "RelatedItem"))
				v->in_related = false;
		}
	}
	if (ret != 0 || !root_seen) {
		snprintf(sink->err, sizeof(sink->err), "XML error%s%s",
		    v->xml_err[0] ? " at " : " (empty or truncated file)",
		    v->xml_err);
		rc = MAMORI_E_PARSE;
	}
out:
	if (r && r->r)
		r->f.free_reader(r->r);
	free(v);
	return rc;
}
