/*
 * fuzz_passwd.c - /etc/passwd, /etc/group and /etc/shadow parsers, and
 * the PAM password-policy reader. The same bytes go to every parser, and
 * shadow is applied to the users parsed from them, as the collector does.
 */
#include <stdint.h>
#include <string.h>

#include "agent/inventory.h"
#include "agent/pam_policy.h"
#include "agent/passwd_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct vec users, groups;
	struct span text = { (const char *)data, size };
	size_t bad = 0;
	arena_init(&a, 64 * 1024 * 1024);
	vec_init(&users, sizeof(struct inv_user), 100000);
	vec_init(&groups, sizeof(struct inv_group), 100000);
	passwd_file_parse_passwd(&a, text, &users, &bad);
	passwd_file_parse_group(&a, text, &groups, &bad);
	passwd_file_parse_shadow(&a, text, &users, &bad);
	for (size_t i = 0; i < users.n; i++) {
		const struct inv_user *u = vec_at(&users, i);
		(void)passwd_file_login_shell(u->shell);
		(void)passwd_file_hash_locked(u->hash);
	}
	struct pam_quality q = { false, NULL, 0, -1 };
	pam_policy_parse(&a, text, &q);
	long minlen = -1;
	int line = 0;
	pam_policy_pwquality_minlen(text, &minlen, &line);
	arena_release(&a);
	return 0;
}
