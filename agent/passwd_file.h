/*
 * passwd_file.h - /etc/passwd, /etc/group and /etc/shadow.
 *
 * The three files are colon-separated text (passwd(5), group(5),
 * shadow(5)). The parsers take the file's bytes, append to the inventory's
 * vectors, and count lines they could not use in *bad (the caller warns
 * once per file). NIS "+"/"-" compat lines and comments are skipped, not
 * bad. They return 0, or MAMORI_E_NOMEM / MAMORI_E_LIMIT from the arena.
 */
#ifndef MAMORI_AGENT_PASSWD_FILE_H
#define MAMORI_AGENT_PASSWD_FILE_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/inventory.h"
#include "common/arena.h"
#include "common/span.h"

/* Appends struct inv_user. A password field other than "x" is the
 * account's real password (pam_unix uses it instead of shadow), so it is
 * stored in hash with shadow_known set. */
int passwd_file_parse_passwd(struct arena *a, struct span text,
    struct vec *users, size_t *bad);
/* Appends struct inv_group with its member list. */
int passwd_file_parse_group(struct arena *a, struct span text,
    struct vec *groups, size_t *bad);
/* Sets shadow_known, hash and locked on the users it names whose passwd
 * field is "x". Entries for unknown users are ignored. */
int passwd_file_parse_shadow(struct arena *a, struct span text,
    struct vec *users, size_t *bad);

/* Users sorted by name for lookups; valid until users grows. */
struct passwd_index {
	struct inv_user **sorted;
	size_t n;
};
int passwd_file_index(struct arena *a, struct vec *users,
    struct passwd_index *idx);
/* The first user of that name in file order, or NULL. */
struct inv_user *passwd_file_find(const struct passwd_index *idx,
    struct span name);

/* False for shells that refuse interactive logins (nologin, false, sync,
 * halt, shutdown). An empty field means /bin/sh to login(1): true. */
bool passwd_file_login_shell(const char *shell);
/* "!" or "*" prefixed fields are locked; "" is an empty password. */
bool passwd_file_hash_locked(const char *hash);

#endif
