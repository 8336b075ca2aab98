#include "agent/fim_walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "agent/fim_pool.h"
#include "agent/fim_visit.h"
#include "common/err.h"

struct walker {
	const struct fim_walk_opts *opt;
	fim_walk_fn fn;
	void *arg;
	struct fim_visit_root vr;
	struct fim_visit v;	/* the serial walk's (and a single file's) */
	const char *root;	/* display prefix, no trailing slash ("/" kept) */
	uint64_t count;
	struct fim_visit_stack stack;
	char *disp;		/* display path buffer */
	size_t dispcap;
};

const char *
fim_type_name(enum fim_type t)
{
	static const char *const n[] = { "file", "dir", "symlink", "fifo",
		"socket", "chardev", "blockdev", "other" };
	return (unsigned)t <= FIM_T_OTHER ? n[t] : "other";
}

const char *
fim_state_name(enum fim_state s)
{
	static const char *const n[] = { "ok", "unreadable", "vanished", "changing" };
	return (unsigned)s <= FIM_S_CHANGING ? n[s] : "unreadable";
}

enum fim_type
fim_type_of_mode(uint32_t m)
{
	switch (m & S_IFMT) {
	case S_IFREG: return FIM_T_FILE;
	case S_IFDIR: return FIM_T_DIR;
	case S_IFLNK: return FIM_T_SYMLINK;
	case S_IFIFO: return FIM_T_FIFO;
	case S_IFSOCK: return FIM_T_SOCK;
	case S_IFCHR: return FIM_T_CHR;
	case S_IFBLK: return FIM_T_BLK;
	default: return FIM_T_OTHER;
	}
}

/* Builds root + "/" + rel into w->disp. */
static const char *
display(struct walker *w, const char *rel)
{
	size_t rl = strlen(w->root), nl = strlen(rel);
	size_t need = rl + 1 + nl + 1;
	if (need > w->dispcap) {
		size_t cap = need * 2;
		char *p = realloc(w->disp, cap);
		if (!p)
			return NULL;
		w->disp = p;
		w->dispcap = cap;
	}
	memcpy(w->disp, w->root, rl);
	size_t off = rl;
	if (nl) {
		if (!(rl == 1 && w->root[0] == '/'))
			w->disp[off++] = '/';
		memcpy(w->disp + off, rel, nl);
		off += nl;
	}
	w->disp[off] = '\0';
	return w->disp;
}

static int
emit(struct walker *w, struct fim_entry *e, const char *rel)
{
	if (w->opt->max_entries && w->count >= w->opt->max_entries)
		return MAMORI_E_LIMIT;
	w->count++;
	e->path = display(w, rel);
	if (!e->path)
		return MAMORI_E_NOMEM;
	return w->fn(w->arg, e);
}

/* Lists one directory on this thread, each child examined as it comes. */
static int
walk_dir(struct walker *w, const struct fim_visit_pending *pd)
{
	struct fim_entry e;
	int rc;
	int fd = fim_visit_dir(&w->vr, pd->rel, pd->dev, pd->ino, &e);

	if ((rc = emit(w, &e, pd->rel)) != 0 || fd < 0) {
		if (fd >= 0)
			close(fd);
		return rc;
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return MAMORI_OK;
	}
	size_t rl = strlen(pd->rel);
	char *crel = NULL;
	size_t ccap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		bool descend;
		if (fim_visit_skip(de->d_name))
			continue;
		if ((rc = fim_visit_join(&crel, &ccap, pd->rel, rl, de->d_name)) != 0 ||
		    (rc = fim_visit_child(&w->v, dirfd(d), de->d_name, de->d_type,
		    de->d_ino, &e, &descend, &st)) != 0)
			break;
		rc = descend ? fim_visit_push(&w->stack, crel, st.st_dev, st.st_ino) :
		    emit(w, &e, crel);
		if (rc)
			break;
	}
	free(crel);
	closedir(d);
	return rc;
}

/* Entries found by the pool's threads, on the caller's thread. */
static int
pool_emit(void *arg, struct fim_entry *e, const char *rel)
{
	return emit(arg, e, rel);
}

/* The root is a single file: examined as a child of its directory. */
static int
walk_file(struct walker *w, const char *path)
{
	const char *slash = strrchr(path, '/'), *dir = ".", *name = path;
	char *dcopy = NULL;
	struct fim_entry e;
	struct stat st;
	bool descend;
	int rc;

	if (slash) {
		dcopy = strndup(path, slash == path ? 1 : (size_t)(slash - path));
		if (!dcopy)
			return MAMORI_E_NOMEM;
		dir = dcopy;
		name = slash + 1;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dcopy);
	if (dfd < 0)
		return errno == ENOENT ? MAMORI_E_NOTFOUND : MAMORI_E_IO;
	rc = fim_visit_child(&w->v, dfd, name, DT_UNKNOWN, 0, &e, &descend, &st);
	close(dfd);
	return rc ? rc : emit(w, &e, "");
}

int
fim_walk(const char *root, const struct fim_walk_opts *opt, fim_walk_fn fn,
    void *arg)
{
	struct walker w = { .opt = opt, .fn = fn, .arg = arg };
	struct stat st;
	char *rootcopy = NULL;
	int rootfd = -1, rc;

	w.vr = (struct fim_visit_root){ .opt = opt, .rootfd = -1 };
	if ((rc = fim_visit_init(&w.v, &w.vr)) != 0)
		return rc;
	rootcopy = strdup(root);
	if (!rootcopy) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	for (size_t n = strlen(rootcopy); n > 1 && rootcopy[n - 1] == '/'; n--)
		rootcopy[n - 1] = '\0';
	w.root = rootcopy;

	/* The root itself is the caller's choice and is followed; nothing
	 * below it is. */
	rootfd = open(rootcopy, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0 && errno == ENOTDIR) {
		rc = walk_file(&w, rootcopy);
		goto out;
	}
	if (rootfd < 0) {
		rc = errno == ENOENT ? MAMORI_E_NOTFOUND :
		    errno == EACCES ? MAMORI_E_PERM : MAMORI_E_IO;
		goto out;
	}
	if (fstat(rootfd, &st) != 0) {
		rc = MAMORI_E_IO;
		goto out;
	}
	fim_visit_root_init(&w.vr, opt, rootfd, st.st_dev);
	if (opt->threads > 1) {
		rc = fim_pool_walk(&w.vr, opt->threads, st.st_ino, pool_emit, &w);
		goto out;
	}
	if ((rc = fim_visit_push(&w.stack, "", st.st_dev, st.st_ino)) != 0)
		goto out;
	struct fim_visit_pending pd;
	while (!rc && fim_visit_pop(&w.stack, &pd)) {
		rc = walk_dir(&w, &pd);
		free(pd.rel);
	}
out:
	fim_visit_stack_free(&w.stack);
	free(w.disp);
	free(rootcopy);
	if (rootfd >= 0)
		close(rootfd);
	fim_visit_release(&w.v);
	return rc;
}
