/* t_ransom_detect.c - the ransomware rules on synthetic event sequences. */
#include <stdlib.h>
#include <string.h>

#include "agent/ransom_detect.h"
#include "common/conf.h"
#include "common/err.h"
#include "tests/tap.h"
#include "agent/ransom_backup.h"

static struct ransom_sample
rand_sample(unsigned seed, size_t n, const char *magic)
{
	unsigned char *b = malloc(n);
	struct ransom_sample s;
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)((seed = seed * 1664525u + 1013904223u) >> 24);
	if (magic)
		memcpy(b, magic, strlen(magic));
	ransom_sample_analyze(b, n / 2, b + n / 2, n - n / 2, &s);
	free(b);
	return s;
}

static struct ransom_sample
text_sample(void)
{
	static const char t[] = "見積書 invoice total meeting schedule 2024-04-01,128000,paid\n";
	unsigned char b[4096];
	struct ransom_sample s;
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (unsigned char)t[i % (sizeof(t) - 1)];
	ransom_sample_analyze(b, sizeof(b), NULL, 0, &s);
	return s;
}

int
main(void)
{
	struct ransom_detector d;
	struct ransom_conf c;
	const struct ransom_verdict *v = NULL;
	char p[128], q[160];

	ransom_conf_defaults(&c);
	ok(ransom_entropy((const unsigned char *)"aaaa", 4) == 0.0, "entropy of one symbol is 0");
	struct ransom_sample rs = rand_sample(1, 8192, NULL);
	ok(rs.entropy > 7.9 && !rs.known_format, "random bytes: entropy %.3f > 7.9", rs.entropy);
	struct ransom_sample ts = text_sample();
	ok(ts.entropy < 6.0, "text: entropy %.3f < 6", ts.entropy);
	ok(rand_sample(2, 8192, "\x28\xb5\x2f\xfd").known_format, "zstd magic is a known format");
	ok(rand_sample(2, 8192, "\xff\xd8\xff").known_format, "jpeg magic is a known format");
	ok(rand_sample(2, 8192, "PK\x03\x04").known_format, "zip/docx magic is a known format");

	ok(ransom_note_name("/home/a/HOW_TO_DECRYPT_FILES.txt"), "HOW_TO_DECRYPT_FILES.txt is a note");
	ok(ransom_note_name("/x/Restore-My-Files.txt"), "LockBit note");
	ok(ransom_note_name("/x/_readme.txt"), "STOP/Djvu note");
	ok(!ransom_note_name("/x/README.txt"), "README.txt is not a note");
	ok(!ransom_note_name("/x/decor.png"), "decor.png is not a note");

	const char *ext = NULL;
	ok(ransom_ext_rename("/d/a.docx", "/d/a.docx.lockbit", &ext) && strcmp(ext, "lockbit") == 0,
	    "a.docx -> a.docx.lockbit is a new extension");
	ok(!ransom_ext_rename("/d/.a.jpg.Xy12Ab", "/d/a.jpg", NULL), "rsync temp rename is not");
	ok(!ransom_ext_rename("/d/a.conf.dpkg-new", "/d/a.conf", NULL), "dpkg-new rename is not");
	ok(!ransom_ext_rename("/var/log/syslog", "/var/log/syslog.1", NULL), "logrotate .1 is not");
	ok(!ransom_ext_rename("/d/a.txt", "/d/a.txt.bak", NULL), ".bak is not");

	/* Burst of high-entropy rewrites by one process: fires at the 10th. */
	ransom_detect_init(&d, &c);
	int fired_at = 0;
	for (int i = 1; i <= 30 && !fired_at; i++) {
		snprintf(p, sizeof(p), "/home/u/doc%d.txt", i);
		struct ransom_event ev = { .ts_ms = 1000 + i * 5, .pid = 4242, .kind = RE_WRITE,
			.path = p, .sampled = true, .sample = rand_sample((unsigned)i, 8192, NULL) };
		if ((v = ransom_detect_feed(&d, &ev)))
			fired_at = i;
	}
	is_int(fired_at, 10, "high-entropy burst fires at burst_files (10)");
	ok(v && v->pid == 4242 && (v->reasons & RANSOM_R_ENTROPY) && v->writes == 10 &&
	    v->nfiles == 10 && strcmp(v->files[0], "/home/u/doc1.txt") == 0,
	    "verdict names the pid, reason, count and files");
	snprintf(p, sizeof(p), "/home/u/doc99.txt");
	struct ransom_event again = { .ts_ms = 2000, .pid = 4242, .kind = RE_WRITE, .path = p,
		.sampled = true, .sample = rand_sample(99, 8192, NULL) };
	ok(ransom_detect_feed(&d, &again) == NULL, "no second alert for the same reason");
	ransom_detect_release(&d);

	/* Write + rename per file reaches the threshold after 5 files. */
	ransom_detect_init(&d, &c);
	fired_at = 0;
	for (int i = 1; i <= 30 && !fired_at; i++) {
		snprintf(p, sizeof(p), "/srv/share/f%d.xlsx", i);
		snprintf(q, sizeof(q), "/srv/share/f%d.xlsx.crypt", i);
		struct ransom_event w = { .ts_ms = i * 3, .pid = 7, .kind = RE_WRITE, .path = p,
			.sampled = true, .sample = rand_sample((unsigned)i + 50, 4096, NULL) };
		struct ransom_event r = { .ts_ms = i * 3 + 1, .pid = 7, .kind = RE_RENAME,
			.path = q, .old_path = p };
		if (ransom_detect_feed(&d, &w) || (v = ransom_detect_feed(&d, &r)))
			fired_at = i;
	}
	is_int(fired_at, 5, "write+rename ransomware fires at the 5th file");
	ok(v && (v->reasons & RANSOM_R_RENAME) && v->ext && strcmp(v->ext, "crypt") == 0,
	    "verdict names the new extension");
	ransom_detect_release(&d);

	/* Slow activity outside the window never fires. */
	ransom_detect_init(&d, &c);
	bool any = false;
	for (int i = 1; i <= 50; i++) {
		snprintf(p, sizeof(p), "/home/u/slow%d", i);
		struct ransom_event ev = { .ts_ms = (int64_t)i * 5000, .pid = 9, .kind = RE_WRITE,
			.path = p, .sampled = true, .sample = rand_sample((unsigned)i, 4096, NULL) };
		any |= ransom_detect_feed(&d, &ev) != NULL;
	}
	ok(!any, "one encrypted-looking write every 5 s does not fire");
	/* Compressed output (zstd -r) and a photo export: never. */
	any = false;
	for (int i = 1; i <= 200; i++) {
		snprintf(p, sizeof(p), "/home/u/pics/IMG_%04d.jpg", i);
		struct ransom_event ev = { .ts_ms = 100000 + i, .pid = 10, .kind = RE_WRITE,
			.path = p, .sampled = true,
			.sample = rand_sample((unsigned)i, 8192, i % 2 ? "\xff\xd8\xff" : "\x28\xb5\x2f\xfd") };
		any |= ransom_detect_feed(&d, &ev) != NULL;
	}
	ok(!any, "200 JPEG/zstd writes in 0.2 s do not fire");
	/* Text rewrites by an editor or build: never. */
	any = false;
	for (int i = 1; i <= 200; i++) {
		snprintf(p, sizeof(p), "/home/u/src/f%d.o", i);
		struct ransom_event ev = { .ts_ms = 200000 + i, .pid = 11, .kind = RE_WRITE,
			.path = p, .sampled = true, .sample = text_sample() };
		any |= ransom_detect_feed(&d, &ev) != NULL;
	}
	ok(!any, "200 low-entropy writes do not fire");
	/* Tiny samples say nothing. */
	struct ransom_event tiny = { .ts_ms = 300000, .pid = 12, .kind = RE_WRITE, .path = "/t",
		.sampled = true, .sample = rand_sample(3, 100, NULL) };
	ok(ransom_detect_feed(&d, &tiny) == NULL, "100-byte sample is ignored");
	ransom_detect_release(&d);

	/* Ransom notes in three directories. */
	ransom_detect_init(&d, &c);
	v = NULL;
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "/home/u/d%d/Restore-My-Files.txt", i);
		struct ransom_event ev = { .ts_ms = 10 + i, .pid = 55, .kind = RE_CREATE, .path = p };
		v = ransom_detect_feed(&d, &ev);
		if (i < 2)
			ok(v == NULL, "note in %d director%s: no alert yet", i + 1, i ? "ies" : "y");
	}
	ok(v && (v->reasons & RANSOM_R_NOTES) && v->note_dirs == 3 &&
	    strcmp(v->note, "Restore-My-Files.txt") == 0, "note in 3 directories fires");
	struct ransom_event same = { .ts_ms = 20, .pid = 56, .kind = RE_CREATE,
		.path = "/home/u/d0/HOW_TO_DECRYPT.txt" };
	ok(ransom_detect_feed(&d, &same) == NULL, "one note of another process does not");
	ransom_detect_release(&d);

	/* Canary: the first touch fires. */
	ransom_detect_init(&d, &c);
	ransom_detect_add_canary(&d, "/home/u/.Accounts_2024_backup.xlsx");
	struct ransom_event cr = { .ts_ms = 1, .pid = 77, .kind = RE_CREATE,
		.path = "/home/u/.Accounts_2024_backup.xlsx" };
	ok(ransom_detect_feed(&d, &cr) == NULL, "creating the canary (ourselves) is not a touch");
	struct ransom_event cw = { .ts_ms = 2, .pid = 77, .kind = RE_RENAME,
		.path = "/home/u/.Accounts_2024_backup.xlsx.enc",
		.old_path = "/home/u/.Accounts_2024_backup.xlsx" };
	v = ransom_detect_feed(&d, &cw);
	ok(v && (v->reasons & RANSOM_R_CANARY) && v->canary &&
	    strcmp(v->canary, "/home/u/.Accounts_2024_backup.xlsx") == 0,
	    "renaming the canary fires at once");
	ransom_detect_release(&d);

	/* Backups: the Linux side of "vssadmin delete shadows". */
	ok(ransom_backup_command("/usr/bin/btrfs subvolume delete /.snapshots/12/snapshot"),
	    "btrfs subvolume delete is snapshot removal");
	ok(ransom_backup_command("btrfs sub del /mnt/snap") && ransom_backup_command("lvremove -f vg/snap") &&
	    ransom_backup_command("zfs destroy -r tank@auto") && ransom_backup_command("timeshift --delete-all") &&
	    ransom_backup_command("snapper -c root delete 3-9"),
	    "short btrfs forms, lvremove, zfs destroy, timeshift, snapper");
	ok(ransom_backup_command("C:\\Windows\\System32\\vssadmin.exe delete shadows /all /quiet") &&
	    ransom_backup_command("WMIC.exe shadowcopy delete"), "vssadmin and wmic (Windows command lines)");
	ok(!ransom_backup_command("btrfs subvolume list /") && !ransom_backup_command("zfs list") &&
	    !ransom_backup_command("rm -rf /tmp/x") && !ransom_backup_command(NULL),
	    "listing snapshots or other deletions are not");
	ok(ransom_backup_tool("/usr/bin/restic forget --prune") && !ransom_backup_tool("rm -f x"),
	    "backup tools pruning their own data are recognised");
	ransom_detect_init(&d, &c);
	ransom_detect_add_backup(&d, "/srv/backup/");
	ok(ransom_detect_in_backup(&d, "/srv/backup/day1.tar") && !ransom_detect_in_backup(&d, "/srv/backups"),
	    "backup path prefix is a directory");
	v = NULL;
	unsigned bk_fired = 0;
	for (unsigned i = 1; i <= 8 && !v; i++) {
		snprintf(p, sizeof(p), "/srv/backup/day%u.tar.zst", i);
		struct ransom_event del = { .ts_ms = i * 10, .pid = 90, .kind = RE_DELETE, .path = p,
			.cmdline = "rm -f /srv/backup/day1.tar.zst" };
		if ((v = ransom_detect_feed(&d, &del)))
			bk_fired = i;
	}
	ok(v && (v->reasons & RANSOM_R_BACKUP) && bk_fired == c.backup_files && v->backup_deletes == 5,
	    "the 5th backup deleted in the window fires (%u)", bk_fired);
	v = NULL;
	for (unsigned i = 1; i <= 20; i++) {
		snprintf(p, sizeof(p), "/srv/backup/snap%u", i);
		struct ransom_event del = { .ts_ms = i * 10, .pid = 91, .kind = RE_DELETE, .path = p,
			.cmdline = "/usr/bin/restic forget --keep-daily 7 --prune" };
		v = v ? v : ransom_detect_feed(&d, &del);
	}
	ok(!v, "restic pruning its own repository stays quiet");
	for (unsigned i = 1; i <= 4; i++) {
		snprintf(p, sizeof(p), "/srv/backup/w%u", i);
		struct ransom_event del = { .ts_ms = i * 20000, .pid = 92, .kind = RE_DELETE, .path = p };
		v = v ? v : ransom_detect_feed(&d, &del);
	}
	ok(!v, "a few deletions far apart stay quiet");
	struct ransom_event snap = { .ts_ms = 5, .pid = 93, .kind = RE_DELETE,
		.path = "/.snapshots/41/snapshot", .cmdline = "btrfs subvolume delete /.snapshots/41/snapshot" };
	v = ransom_detect_feed(&d, &snap);
	ok(v && (v->reasons & RANSOM_R_BACKUP) && v->backup_command,
	    "one deletion by a snapshot-removal command fires at once");
	struct ransom_event mv = { .ts_ms = 6, .pid = 94, .kind = RE_RENAME, .path = "/tmp/x/day9",
		.old_path = "/srv/backup/day9" };
	for (int i = 0; i < 5; i++) {
		mv.ts_ms = 6 + i;
		v = ransom_detect_feed(&d, &mv);
	}
	ok(v && (v->reasons & RANSOM_R_BACKUP), "moving backups out of their directory counts too");
	ransom_detect_release(&d);

	/* The thresholds come from the configuration table. */
	struct conf cf;
	char cerr[256];
	conf_init(&cf);
	static const char yaml[] = "ransom:\n  backup_files: 3\n  min_sample_bytes: 2048\n";
	ok(conf_load_buffer(&cf, "t.yaml", yaml, sizeof(yaml) - 1, cerr, sizeof(cerr)) == MAMORI_OK,
	    "ransom.backup_files and ransom.min_sample_bytes load");
	struct ransom_conf cc;
	ransom_conf_load(&cc, &cf);
	ok(cc.backup_files == 3 && cc.min_sample == 2048 && cc.burst_files == 10,
	    "ransom_conf_load reads them (defaults elsewhere)");
	ransom_detect_init(&d, &cc);
	ransom_detect_add_backup(&d, "/srv/backup/");
	v = NULL;
	bk_fired = 0;
	for (unsigned i = 1; i <= 8 && !v; i++) {
		snprintf(p, sizeof(p), "/srv/backup/c%u", i);
		struct ransom_event del = { .ts_ms = i * 10, .pid = 95, .kind = RE_DELETE, .path = p };
		if ((v = ransom_detect_feed(&d, &del)))
			bk_fired = i;
	}
	ok(bk_fired == 3, "with backup_files 3 the 3rd deletion fires (%u)", bk_fired);
	ransom_detect_release(&d);
	conf_release(&cf);

	/* Many processes: the table evicts, never grows without bound. */
	ransom_detect_init(&d, &c);
	for (int i = 0; i < 10000; i++) {
		snprintf(p, sizeof(p), "/x/%d", i);
		struct ransom_event ev = { .ts_ms = i, .pid = 1000 + i, .kind = RE_WRITE, .path = p };
		ransom_detect_feed(&d, &ev);
	}
	ok(d.nprocs == 64, "process table stays bounded");
	ransom_detect_release(&d);

	return done_testing();
}
