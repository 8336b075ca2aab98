/* t_atomicfile.c - files replaced whole or not at all, with their mode, and
 * no temporary file left behind whatever fails. */
#include "common/atomicfile.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/err.h"
#include "tests/tap.h"

/* Entries of dir other than . and .. */
static int
entries(const char *dir)
{
	int n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

static int
slurp(const char *path, char *buf, size_t bufsz)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, bufsz - 1, f);
	fclose(f);
	buf[n] = '\0';
	return (int)n;
}

static mode_t
mode_of(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? sb.st_mode & 07777 : 0;
}

/* Writes half a line, then fails like a renderer that hits a bad input. */
static int
fill_fail(FILE *f, const void *arg, char *err, size_t errsz)
{
	fputs("half a rep", f);
	snprintf(err, errsz, "%s", (const char *)arg);
	return MAMORI_E_PARSE;
}

static int
fill_text(FILE *f, const void *arg, char *err, size_t errsz)
{
	return fputs(arg, f) == EOF ? MAMORI_E_IO : MAMORI_OK;
}

int
main(void)
{
	char dir[] = "/tmp/t_atomicfile.XXXXXX", path[256], sub[256], buf[256], err[256];
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof(path), "%s/report.html", dir);
	umask(077);

	is_int(atomicfile_write_mem(path, 0644, "first\n", 6, err, sizeof(err)), MAMORI_OK,
	    "a new file is written");
	slurp(path, buf, sizeof(buf));
	is_str(buf, "first\n", "with the given contents");
	is_int(mode_of(path), 0644, "and the given mode, not the umask's");
	is_int(entries(dir), 1, "no temporary file beside it");

	is_int(atomicfile_write(path, 0600, fill_text, "second\n", err, sizeof(err)), MAMORI_OK,
	    "an existing file is replaced through a stream");
	slurp(path, buf, sizeof(buf));
	is_str(buf, "second\n", "the new contents");
	is_int(mode_of(path), 0600, "the new mode");

	is_int(atomicfile_write(path, 0644, fill_fail, "bad month", err, sizeof(err)),
	    MAMORI_E_PARSE, "a failing writer's error is returned");
	is_str(err, "bad month", "with its message");
	slurp(path, buf, sizeof(buf));
	is_str(buf, "second\n", "the old file is untouched");
	is_int(mode_of(path), 0600, "and keeps its mode");
	is_int(entries(dir), 1, "the partial temporary file is removed");

	/* rename() fails: the target is a non-empty directory. */
	snprintf(sub, sizeof(sub), "%s/busy", dir);
	mkdir(sub, 0700);
	snprintf(buf, sizeof(buf), "%s/busy/x", dir);
	close(creat(buf, 0600));
	ok(atomicfile_write_mem(sub, 0600, "x", 1, err, sizeof(err)) == MAMORI_E_IO &&
	    strstr(err, "cannot create") != NULL, "a failed rename is an I/O error: %s", err);
	is_int(entries(dir), 2, "and leaves no temporary file");
	unlink(buf);
	rmdir(sub);

	snprintf(sub, sizeof(sub), "%s/missing/report.html", dir);
	ok(atomicfile_write_mem(sub, 0600, "x", 1, err, sizeof(err)) == MAMORI_E_IO &&
	    strstr(err, "missing") != NULL, "a missing directory is named: %s", err);

	char longpath[5000];
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	is_int(atomicfile_write_mem(longpath, 0600, "x", 1, err, sizeof(err)), MAMORI_E_INVAL,
	    "a path too long for the temporary name is refused");

	is_int(atomicfile_write_mem(path, 0600, "", 0, err, sizeof(err)), MAMORI_OK,
	    "empty contents are a valid file");
	is_int(slurp(path, buf, sizeof(buf)), 0, "and it is empty");

	/* Relative to an open directory (the agent's spool). */
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	is_int(atomicfile_write_mem_at(dfd, "acked", 0600, "42\n", 3, err, sizeof(err)), MAMORI_OK,
	    "a file is written relative to a directory descriptor");
	snprintf(sub, sizeof(sub), "%s/acked", dir);
	slurp(sub, buf, sizeof(buf));
	is_str(buf, "42\n", "with its contents");
	is_int(atomicfile_write_mem_at(dfd, "acked", 0600, "43\n", 3, err, sizeof(err)), MAMORI_OK,
	    "and replaced");
	slurp(sub, buf, sizeof(buf));
	is_str(buf, "43\n", "with the new contents");
	is_int(entries(dir), 2, "no temporary file beside it");
	ok(atomicfile_write_mem_at(dfd, "a/b", 0600, "x", 1, err, sizeof(err)) == MAMORI_E_INVAL &&
	    strstr(err, "a/b") != NULL, "a name with a slash is refused: %s", err);
	is_int(atomicfile_write_at(dfd, "acked", 0644, fill_fail, "bad", err, sizeof(err)),
	    MAMORI_E_PARSE, "a failing writer fails the relative write too");
	slurp(sub, buf, sizeof(buf));
	is_str(buf, "43\n", "the old file is untouched");
	is_int(entries(dir), 2, "the temporary file is removed");
	close(dfd);
	unlink(sub);

	unlink(path);
	rmdir(dir);
	return done_testing();
}
