/*
 * proto_smb.h - the SMB messages in one TCP segment (MS-SMB, MS-SMB2): the
 * NetBIOS session frames (4-byte header, 0x00 and a 24-bit length), and in
 * each the SMB1 message or the SMB2 commands chained by NextCommand. For
 * SMB2: a CREATE request's file name (UTF-16LE to UTF-8), access,
 * disposition and options; a TREE_CONNECT request's share; a SET_INFO
 * request that marks a file for deletion. A message is read as far as the
 * span has it; frames cut by TCP segments are put together before
 * (proto_smb_stream).
 * Everything is bounded: SMB_MAX_MSGS messages per segment.
 */
#ifndef MAMORI_SENSOR_PROTO_SMB_H
#define MAMORI_SENSOR_PROTO_SMB_H

#include <stdbool.h>
#include <stdint.h>

#include "common/span.h"

#define SMB_MAX_MSGS 32
/* Windows names are at most 255 UTF-16 units a component: longer paths
 * keep their end (the file's own name and extension). */
#define SMB_NAME_UNITS 255
#define SMB_NAME_MAX (SMB_NAME_UNITS * 3 + 1)
#define SMB_SHARE_MAX 80

#define SMB1_COM_NEGOTIATE 0x72
#define SMB2_TREE_CONNECT 3
#define SMB2_CREATE 5
#define SMB2_SET_INFO 17

/* SMB2 header flags */
#define SMB2_FLAG_RESPONSE 0x01
#define SMB2_FLAG_RELATED 0x04

/* Access mask bits (MS-SMB2 2.2.13.1.1) */
#define SMB_ACC_READ_DATA 0x00000001u
#define SMB_ACC_WRITE_DATA 0x00000002u
#define SMB_ACC_APPEND_DATA 0x00000004u
#define SMB_ACC_EXECUTE 0x00000020u
#define SMB_ACC_DELETE 0x00010000u
#define SMB_ACC_GENERIC_ALL 0x10000000u
#define SMB_ACC_GENERIC_EXECUTE 0x20000000u
#define SMB_ACC_GENERIC_WRITE 0x40000000u
#define SMB_ACC_GENERIC_READ 0x80000000u
/* CreateOptions */
#define SMB_OPT_DIRECTORY 0x00000001u
#define SMB_OPT_DELETE_ON_CLOSE 0x00001000u

struct smb_msg {
	uint8_t version;		/* 1 (0xff 'SMB') or 2 (0xfe 'SMB') */
	uint16_t command;
	uint32_t flags;			/* SMB2 header flags; SMB1: FLAGS (0x80 reply) */
	uint32_t status;
	uint32_t tree_id;
	uint64_t msg_id;
	bool response;
	struct span msg;		/* from the header to the end of the message
					 * or of the segment; SMB2 offsets count from here */
};

struct smb_iter {
	struct span seg;
	size_t frame;			/* offset of the current NetBIOS frame */
	size_t frame_end;		/* its end, clipped to the segment */
	size_t cmd;			/* offset of the next SMB2 command; 0 = next frame */
	unsigned n;			/* messages returned */
};

void proto_smb_iter_init(struct smb_iter *it, struct span segment);
/* The next message: 0, MAMORI_E_NOTFOUND at the end (or past the bound),
 * MAMORI_E_PARSE when the framing is not SMB's (the rest is skipped). */
int proto_smb_next(struct smb_iter *it, struct smb_msg *m);

struct smb_create {
	uint32_t access, disposition, options;
	char name[SMB_NAME_MAX];	/* UTF-8; "" for the share's root */
};

/* An SMB2 CREATE request: 0 or MAMORI_E_PARSE. */
int proto_smb2_create(const struct smb_msg *m, struct smb_create *out);
/* An SMB2 TREE_CONNECT request: the share name (after "\\server\"),
 * UTF-8. 0 or MAMORI_E_PARSE. */
int proto_smb2_tree_connect(const struct smb_msg *m, char *share, size_t cap);
/* An SMB2 SET_INFO request that sets FileDispositionInformation(Ex) with
 * delete: 0 when it deletes, MAMORI_E_NOTFOUND for other SET_INFOs,
 * MAMORI_E_PARSE. */
int proto_smb2_set_delete(const struct smb_msg *m);
/* True for a name whose extension runs code on Windows (.exe .dll .scr
 * .js .vbs .ps1 .bat ...); a stream suffix (":Zone.Identifier") is
 * ignored. */
bool proto_smb_executable_name(const char *name);

#endif
