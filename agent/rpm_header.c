/*
 * rpm_header.c - reads the naming tags out of an rpm header blob.
 *
 * The blob comes from a database file that may be damaged or crafted, so
 * every count, offset and string is checked against the blob with a
 * cursor; limits follow rpm's own (HEADER_TAGS_MAX, HEADER_DATA_MAX).
 */
#include "agent/rpm_header.h"

#include <inttypes.h>
#include <string.h>

#include "common/err.h"

#define TAGS_MAX	0xffff
#define DATA_MAX	0x0fffffff
#define TYPE_INT32	4
#define TYPE_STRING	6

/* A NUL-terminated string at offset off of the data store. */
static int
string_at(struct span data, uint32_t off, struct span *out)
{
	if (off >= data.len)
		return MAMORI_E_PARSE;
	const char *s = data.p + off;
	const char *nul = memchr(s, '\0', data.len - off);
	if (!nul)
		return MAMORI_E_PARSE;
	*out = (struct span){ s, (size_t)(nul - s) };
	if (out->len == 0 || !span_is_text(*out))
		return MAMORI_E_PARSE;
	return MAMORI_OK;
}

int
rpm_header_parse(struct span blob, struct rpm_header_pkg *out,
    const char **why)
{
	struct cursor c, ent;
	struct span index, data;
	uint32_t il, dl;

	memset(out, 0, sizeof(*out));
	*why = NULL;
	cursor_init(&c, blob.p, blob.len);
	if (cursor_u32be(&c, &il) != 0 || cursor_u32be(&c, &dl) != 0) {
		*why = "header shorter than 8 bytes";
		return MAMORI_E_PARSE;
	}
	if (il == 0 || il > TAGS_MAX || dl > DATA_MAX) {
		*why = "header counts out of range";
		return MAMORI_E_PARSE;
	}
	if (cursor_bytes(&c, (size_t)il * 16, &index) != 0 ||
	    cursor_bytes(&c, dl, &data) != 0) {
		*why = "header longer than its blob";
		return MAMORI_E_PARSE;
	}
	cursor_init(&ent, index.p, index.len);
	for (uint32_t i = 0; i < il; i++) {
		uint32_t tag, type, off, count;
		struct span *dst = NULL;
		if (cursor_u32be(&ent, &tag) != 0 || cursor_u32be(&ent, &type) != 0 ||
		    cursor_u32be(&ent, &off) != 0 || cursor_u32be(&ent, &count) != 0)
			break;	/* cannot happen: index is il * 16 bytes */
		switch (tag) {
		case RPMTAG_NAME: dst = &out->name; break;
		case RPMTAG_VERSION: dst = &out->version; break;
		case RPMTAG_RELEASE: dst = &out->release; break;
		case RPMTAG_ARCH: dst = &out->arch; break;
		case RPMTAG_SOURCERPM: dst = &out->sourcerpm; break;
		case RPMTAG_EPOCH:
			if (out->has_epoch)
				continue;
			if (type != TYPE_INT32 || count < 1 || off % 4 != 0 ||
			    off > data.len || data.len - off < 4) {
				*why = "bad EPOCH entry";
				return MAMORI_E_PARSE;
			}
			{
				const unsigned char *p =
				    (const unsigned char *)data.p + off;
				out->epoch = (uint32_t)p[0] << 24 |
				    (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
			}
			out->has_epoch = true;
			continue;
		default:
			continue;
		}
		if (dst->len != 0)
			continue;	/* the first of duplicate tags counts */
		if (type != TYPE_STRING || count != 1 ||
		    string_at(data, off, dst) != MAMORI_OK) {
			*why = "bad string entry";
			return MAMORI_E_PARSE;
		}
	}
	if (out->name.len == 0 || out->version.len == 0 ||
	    out->release.len == 0) {
		*why = "no NAME, VERSION or RELEASE";
		return MAMORI_E_PARSE;
	}
	return MAMORI_OK;
}

char *
rpm_header_evr(struct arena *a, const struct rpm_header_pkg *h)
{
	if (h->has_epoch)
		return arena_printf(a, "%" PRIu32 ":%.*s-%.*s", h->epoch,
		    (int)h->version.len, h->version.p,
		    (int)h->release.len, h->release.p);
	return arena_printf(a, "%.*s-%.*s", (int)h->version.len, h->version.p,
	    (int)h->release.len, h->release.p);
}

bool
rpm_header_source(struct span s, struct span *name, struct span *version)
{
	if (span_ends_with(s, ".src.rpm"))
		s.len -= strlen(".src.rpm");
	else if (span_ends_with(s, ".nosrc.rpm"))
		s.len -= strlen(".nosrc.rpm");
	else
		return false;
	/* name-version-release: the last two hyphens split it. */
	size_t rel = s.len, ver;
	while (rel > 0 && s.p[rel - 1] != '-')
		rel--;
	if (rel < 2)
		return false;
	ver = rel - 1;
	while (ver > 0 && s.p[ver - 1] != '-')
		ver--;
	if (ver < 2 || rel == s.len || ver == rel - 1)
		return false;
	*name = (struct span){ s.p, ver - 1 };
	*version = (struct span){ s.p + ver, s.len - ver };
	return true;
}
