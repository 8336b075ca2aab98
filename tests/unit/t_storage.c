/* t_storage.c - migrations, one-transaction scans and the scan diff. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"
#include "storage/db.h"
#include "storage/store_scan.h"
#include "tests/tap.h"

struct seen {
	int pkg_added, pkg_removed, pkg_changed, listen_added, listen_removed, admin_added;
	char last_port_proc[64];
};

static int
collect(void *ctx, const struct store_change *c)
{
	struct seen *s = ctx;
	switch (c->kind) {
	case STORE_PKG_ADDED: s->pkg_added++; break;
	case STORE_PKG_REMOVED: s->pkg_removed++; break;
	case STORE_PKG_CHANGED: s->pkg_changed++; break;
	case STORE_LISTEN_ADDED:
		s->listen_added++;
		snprintf(s->last_port_proc, sizeof(s->last_port_proc), "%d/%s", c->port, c->process);
		break;
	case STORE_LISTEN_REMOVED: s->listen_removed++; break;
	case STORE_ADMIN_ADDED: s->admin_added++; break;
	default: break;
	}
	return 0;
}

int
main(void)
{
	char path[] = "/tmp/mamori-t-storage-XXXXXX";
	int fd = mkstemp(path);
	close(fd);
	unlink(path);
	char err[256];
	struct db *db;

	is_int(db_open(path, false, &db, err, sizeof(err)), 0, "open creates and migrates");
	is_int(db_schema_version(db), db_migration_count(), "schema at the latest migration");

	struct store_scan s;
	is_int(store_scan_begin(db, "mid-1", "pc1", 1000, "/", &s), 0, "first scan begins");
	is_int(s.prev_scan_id, 0, "no previous scan");
	store_scan_add_package(&s, "deb", "openssl", "amd64", "3.0.1");
	store_scan_add_package(&s, "deb", "telnetd", "amd64", "1.0");
	store_scan_add_listening(&s, "tcp", "0.0.0.0", 22, "sshd");
	store_scan_add_admin(&s, "root", "uid0");
	is_int(store_scan_finish(&s, "{}", 80, 5, 10), 0, "first scan commits");
	int64_t first = s.scan_id;

	/* A scan that fails halfway leaves nothing behind. */
	is_int(store_scan_begin(db, "mid-1", "pc1", 1500, "/", &s), 0, "aborted scan begins");
	store_scan_add_package(&s, "deb", "ghost", "amd64", "1");
	store_scan_abort(&s);

	is_int(store_scan_begin(db, "mid-1", "pc1", 2000, "/", &s), 0, "second scan begins");
	is_int(s.prev_scan_id, first, "previous is the first committed scan, not the aborted one");
	store_scan_add_package(&s, "deb", "openssl", "amd64", "3.0.2");
	store_scan_add_package(&s, "deb", "vsftpd", "amd64", "3.0");
	store_scan_add_listening(&s, "tcp", "0.0.0.0", 22, "sshd");
	store_scan_add_listening(&s, "tcp", "0.0.0.0", 21, "vsftpd");
	store_scan_add_admin(&s, "root", "uid0");
	store_scan_add_admin(&s, "mallory", "sudo");
	struct seen seen;
	memset(&seen, 0, sizeof(seen));
	is_int(store_scan_diff(&s, collect, &seen), 0, "diff runs");
	is_int(seen.pkg_added, 1, "one package added (vsftpd)");
	is_int(seen.pkg_removed, 1, "one package removed (telnetd)");
	is_int(seen.pkg_changed, 1, "one package updated (openssl)");
	is_int(seen.listen_added, 1, "one new listening port");
	is_str(seen.last_port_proc, "21/vsftpd", "the new port and its process");
	is_int(seen.listen_removed, 0, "no port closed");
	is_int(seen.admin_added, 1, "one new administrator");
	is_int(store_scan_finish(&s, "{\"x\":1}", 70, 5, 10), 0, "second scan commits");

	int64_t id;
	char *json;
	is_int(store_scan_last_report(db, &id, &json), 0, "last report readable");
	is_str(json, "{\"x\":1}", "it is the latest one");
	free(json);
	db_close(db);

	is_int(db_open(path, false, &db, err, sizeof(err)), 0, "reopen an existing database");
	db_close(db);

	/* A file that is not a database is refused with a message. */
	FILE *f = fopen(path, "w");
	fputs("this is not a database, just text that is long enough to fill a header....\n", f);
	fclose(f);
	char wal[300];
	snprintf(wal, sizeof(wal), "%s-wal", path);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", path);
	unlink(wal);
	ok(db_open(path, false, &db, err, sizeof(err)) != 0 && db == NULL, "garbage file refused: %s", err);
	unlink(path);
	return done_testing();
}
