/* proto_smb.c - SMB1/SMB2 messages of one segment (MS-SMB2 2.2). */
#include "sensor/proto_smb.h"

#include <string.h>
#include <strings.h>

#include "common/err.h"
#include "detection/binxml.h"

#define NB_SESSION_MESSAGE 0x00
#define SMB1_HDR 32
#define SMB2_HDR 64
#define SMB2_FLAG_ASYNC 0x02

static uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void
proto_smb_iter_init(struct smb_iter *it, struct span segment)
{
	memset(it, 0, sizeof(*it));
	it->seg = segment;
}

/* Steps to the next NetBIOS frame that carries a message; 0 with it->cmd
 * at the message, or NOTFOUND / PARSE. */
static int
next_frame(struct smb_iter *it)
{
	const uint8_t *b = (const uint8_t *)it->seg.p;
	for (;;) {
		size_t off = it->frame;
		if (off + 4 > it->seg.len)
			return MAMORI_E_NOTFOUND;
		size_t len = (size_t)b[off + 1] << 16 | (size_t)b[off + 2] << 8 | b[off + 3];
		/* 0x81..0x85: session request, answers, keep-alive (port 139) */
		if (b[off] != NB_SESSION_MESSAGE && (b[off] < 0x81 || b[off] > 0x85))
			return MAMORI_E_PARSE;
		it->frame = off + 4 + len;
		it->frame_end = it->frame < it->seg.len ? it->frame : it->seg.len;
		if (b[off] == NB_SESSION_MESSAGE && len >= 4) {
			it->cmd = off + 4;
			return MAMORI_OK;
		}
	}
}

int
proto_smb_next(struct smb_iter *it, struct smb_msg *m)
{
	const uint8_t *b = (const uint8_t *)it->seg.p;
	memset(m, 0, sizeof(*m));
	for (;;) {
		if (it->n >= SMB_MAX_MSGS)
			return MAMORI_E_NOTFOUND;
		if (it->cmd == 0) {
			int rc = next_frame(it);
			if (rc != 0)
				return rc;
		}
		size_t at = it->cmd, end = it->frame_end;
		it->cmd = 0;
		if (at + 4 > end)
			continue;
		const uint8_t *h = b + at;
		if (h[1] != 'S' || h[2] != 'M' || h[3] != 'B')
			return MAMORI_E_PARSE;
		if (h[0] == 0xfd || h[0] == 0xfc)
			continue;	/* encrypted or compressed (SMB 3): nothing to read */
		if (h[0] == 0xff) {
			if (end - at < SMB1_HDR)
				continue;
			m->version = 1;
			m->command = h[4];
			m->status = le32(h + 5);
			m->flags = h[9];
			m->response = (h[9] & 0x80) != 0;
			m->tree_id = le16(h + 24);
			m->msg_id = le16(h + 30);
			m->msg = (struct span){ (const char *)h, end - at };
			it->n++;
			return MAMORI_OK;
		}
		if (h[0] != 0xfe)
			return MAMORI_E_PARSE;
		if (end - at < SMB2_HDR || le16(h + 4) != SMB2_HDR)
			return MAMORI_E_PARSE;
		uint32_t next = le32(h + 20);
		m->version = 2;
		m->status = le32(h + 8);
		m->command = le16(h + 12);
		m->flags = le32(h + 16);
		m->response = (m->flags & SMB2_FLAG_RESPONSE) != 0;
		m->msg_id = (uint64_t)le32(h + 24) | (uint64_t)le32(h + 28) << 32;
		m->tree_id = (m->flags & SMB2_FLAG_ASYNC) ? 0 : le32(h + 36);
		size_t mend = end;
		/* a chained command starts 8-aligned after this one, inside the frame */
		if (next >= SMB2_HDR && next % 8 == 0 && next < end - at) {
			mend = at + next;
			it->cmd = mend;
		}
		m->msg = (struct span){ (const char *)h, mend - at };
		it->n++;
		return MAMORI_OK;
	}
}

/* UTF-16LE bytes at msg offset off, len bytes, to UTF-8 in dst (the last
 * SMB_NAME_UNITS units when longer). */
static int
name_at(const struct smb_msg *m, size_t off, size_t len, char *dst, size_t cap)
{
	if (len % 2 || off > m->msg.len || len > m->msg.len - off || cap == 0)
		return MAMORI_E_PARSE;
	size_t units = len / 2;
	if (units > SMB_NAME_UNITS) {
		off += (units - SMB_NAME_UNITS) * 2;
		units = SMB_NAME_UNITS;
	}
	struct binxml_buf out = { dst, 0, cap - 1 };
	struct span text;
	if (binxml_utf16((const unsigned char *)m->msg.p + off, units, &out, &text) != 0)
		return MAMORI_E_PARSE;
	dst[text.len] = '\0';
	return MAMORI_OK;
}

/* The request body after the SMB2 header when it has at least n bytes and
 * the StructureSize the command's request has. */
static const uint8_t *
body(const struct smb_msg *m, uint16_t command, uint16_t structure, size_t n)
{
	if (m->version != 2 || m->response || m->command != command || m->msg.len < SMB2_HDR + n)
		return NULL;
	const uint8_t *r = (const uint8_t *)m->msg.p + SMB2_HDR;
	return le16(r) == structure ? r : NULL;
}

int
proto_smb2_create(const struct smb_msg *m, struct smb_create *out)
{
	const uint8_t *r = body(m, SMB2_CREATE, 57, 56);
	memset(out, 0, sizeof(*out));
	if (!r)
		return MAMORI_E_PARSE;
	out->access = le32(r + 24);
	out->disposition = le32(r + 36);
	out->options = le32(r + 40);
	uint16_t noff = le16(r + 44), nlen = le16(r + 46);
	if (nlen == 0)
		return MAMORI_OK;
	return name_at(m, noff, nlen, out->name, sizeof(out->name));
}

int
proto_smb2_tree_connect(const struct smb_msg *m, char *share, size_t cap)
{
	char path[SMB_NAME_MAX];
	const uint8_t *r = body(m, SMB2_TREE_CONNECT, 9, 8);
	if (!r || cap == 0 || name_at(m, le16(r + 4), le16(r + 6), path, sizeof(path)) != 0)
		return MAMORI_E_PARSE;
	const char *s = strrchr(path, '\\');
	s = s ? s + 1 : path;
	size_t n = strlen(s);
	if (n == 0)
		return MAMORI_E_PARSE;
	if (n >= cap)
		n = cap - 1;
	memcpy(share, s, n);
	share[n] = '\0';
	return MAMORI_OK;
}

int
proto_smb2_set_delete(const struct smb_msg *m)
{
	const uint8_t *r = body(m, SMB2_SET_INFO, 33, 32);
	if (!r)
		return MAMORI_E_PARSE;
	uint8_t type = r[2], cls = r[3];
	uint32_t blen = le32(r + 4);
	uint16_t boff = le16(r + 8);
	/* SMB2_0_INFO_FILE: FileDispositionInformation (13, a byte) or its Ex
	 * form (64, flags: FILE_DISPOSITION_DELETE is bit 0) */
	if (type != 1 || (cls != 13 && cls != 64))
		return MAMORI_E_NOTFOUND;
	size_t need = cls == 13 ? 1 : 4;
	if (blen < need || boff > m->msg.len || need > m->msg.len - boff)
		return MAMORI_E_PARSE;
	const uint8_t *v = (const uint8_t *)m->msg.p + boff;
	bool del = cls == 13 ? v[0] != 0 : (le32(v) & 1) != 0;
	return del ? MAMORI_OK : MAMORI_E_NOTFOUND;
}

bool
proto_smb_executable_name(const char *name)
{
	static const char *const ext[] = { "exe", "dll", "scr", "com", "pif", "cpl", "msi", "msp",
		"bat", "cmd", "ps1", "psm1", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "jar" };
	const char *base = strrchr(name, '\\');
	base = base ? base + 1 : name;
	size_t n = strcspn(base, ":");	/* "a.exe:Zone.Identifier" is a.exe's stream */
	const char *dot = NULL;
	for (size_t i = 0; i < n; i++)
		if (base[i] == '.')
			dot = base + i;
	if (!dot)
		return false;
	size_t el = (size_t)(base + n - dot - 1);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
		if (strlen(ext[i]) == el && strncasecmp(dot + 1, ext[i], el) == 0)
			return true;
	return false;
}
