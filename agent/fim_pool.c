/*
 * fim_pool.c - the integrity walk on several threads (see fim_pool.h).
 *
 * One mutex guards the shared state: the stack of directories still to
 * list, the listed directories whose names are still to be examined
 * ("batches"), and the entries found for the caller. A thread takes a
 * name when there are enough of them, lists a directory when names run
 * low, and does the disk work unlocked.
 */
#include "agent/fim_pool.h"

#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/err.h"

/* A listed directory; open until its last child is examined. */
struct batch {
	struct batch *next;	/* in ready while names are untaken */
	DIR *d;
	char *rel;
	size_t rl;
	struct name *names;
	size_t n, taken, left;	/* listed, handed out, not yet finished */
	char *buf;		/* the names, NUL-terminated, back to back */
};

struct name {
	uint64_t ino;
	size_t off;		/* in buf */
	unsigned char dtype;
};

/* An entry on its way to the caller's thread. */
struct found {
	struct found *next;
	struct fim_entry e;
	char data[];		/* rel, NUL, link target, NUL */
};

struct fim_pool {
	pthread_mutex_t mu;
	pthread_cond_t work;	/* work appeared, or the walk ended */
	pthread_cond_t out;	/* found non-empty, or the walk ended */
	pthread_cond_t room;	/* found has room again */
	const struct fim_visit_root *root;
	struct fim_visit_stack pending;
	struct batch *ready;
	size_t nbatches, maxbatches, readynames;
	struct found *found, *found_tail;
	size_t nfound;
	unsigned busy, threads;
	bool end;
	int rc;			/* first error: stops the walk */
};

/* Caller holds mu. */
static void
fail(struct fim_pool *p, int rc)
{
	if (!p->rc)
		p->rc = rc;
	pthread_cond_broadcast(&p->work);
	pthread_cond_broadcast(&p->out);
	pthread_cond_broadcast(&p->room);
}

static void
batch_free(struct batch *b)
{
	if (b->d)
		closedir(b->d);
	free(b->names);
	free(b->buf);
	free(b->rel);
	free(b);
}

/*
 * One thread. What a unit of work produced is settled the next time the
 * thread holds the lock, together with taking the next unit: one lock a
 * unit, and found entries go to the caller in runs of FLUSH_AT (every
 * futex call is a system call, which is dear in a virtual machine).
 */
#define FLUSH_AT 64

struct thr {
	struct fim_pool *p;
	struct fim_visit v;
	char *crel;			/* the examined child's relative path */
	size_t ccap;
	struct found *head, *tail;	/* found, not handed over yet */
	size_t nfound;
	bool listed;			/* a directory was listed: */
	struct batch *listed_b;		/* its children (NULL: none) */
	struct batch *examined_b;	/* a name of this batch was examined */
	bool descend;			/* and is a directory to list */
	dev_t dev;
	ino_t ino;
};

/* Keeps a copy of e (path set to rel) for the caller's thread. */
static int
keep(struct thr *t, const struct fim_entry *e, const char *rel)
{
	size_t rl = strlen(rel) + 1, ll = e->link ? strlen(e->link) + 1 : 0;
	struct found *f = malloc(sizeof(*f) + rl + ll);
	if (!f)
		return MAMORI_E_NOMEM;
	f->next = NULL;
	f->e = *e;
	memcpy(f->data, rel, rl);
	if (ll) {
		memcpy(f->data + rl, e->link, ll);
		f->e.link = f->data + rl;
	}
	if (t->tail)
		t->tail->next = f;
	else
		t->head = f;
	t->tail = f;
	t->nfound++;
	return MAMORI_OK;
}

/* Hands the kept entries over (caller holds mu). */
static void
flush(struct thr *t)
{
	struct fim_pool *p = t->p;
	if (!t->head)
		return;
	while (p->nfound >= FIM_POOL_FOUND && !p->rc)
		pthread_cond_wait(&p->room, &p->mu);
	if (p->found_tail)
		p->found_tail->next = t->head;
	else
		p->found = t->head;
	p->found_tail = t->tail;
	p->nfound += t->nfound;
	t->head = t->tail = NULL;
	t->nfound = 0;
	pthread_cond_signal(&p->out);
}

static int
cmp_ino(const void *a, const void *b)
{
	uint64_t x = ((const struct name *)a)->ino, y = ((const struct name *)b)->ino;
	return x < y ? -1 : x > y;
}

/* Reads every name of d into b. */
static int
read_names(struct batch *b)
{
	size_t ncap = 0, len = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(b->d)) != NULL) {
		if (fim_visit_skip(de->d_name))
			continue;
		size_t nl = strlen(de->d_name) + 1;
		if (b->n == ncap) {
			ncap = ncap ? 2 * ncap : 16;
			struct name *v = realloc(b->names, ncap * sizeof(*v));
			if (!v)
				return MAMORI_E_NOMEM;
			b->names = v;
		}
		if (len + nl > cap) {
			cap = 2 * (len + nl) + 256;
			char *q = realloc(b->buf, cap);
			if (!q)
				return MAMORI_E_NOMEM;
			b->buf = q;
		}
		memcpy(b->buf + len, de->d_name, nl);
		b->names[b->n++] = (struct name){ de->d_ino, len, de->d_type };
		len += nl;
	}
	/* Inode order: neighbouring inodes share inode-table blocks and
	 * usually have their data close together, which the disk's queue
	 * can then merge and sort. */
	if (b->n > 1)
		qsort(b->names, b->n, sizeof(*b->names), cmp_ino);
	return MAMORI_OK;
}

/* Opens and lists one pending directory (counted in nbatches). */
static int
list_dir(struct thr *t, struct fim_visit_pending *pd)
{
	struct fim_entry e;
	struct batch *b = NULL;
	int fd = fim_visit_dir(t->p->root, pd->rel, pd->dev, pd->ino, &e);
	int rc = keep(t, &e, pd->rel);

	t->listed = true;
	if (rc || fd < 0)
		goto out;
	if (!(b = calloc(1, sizeof(*b)))) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	if (!(b->d = fdopendir(fd)))
		goto out;	/* listed as a directory, nothing below */
	fd = -1;
	b->rel = pd->rel;
	b->rl = strlen(pd->rel);
	pd->rel = NULL;
	if ((rc = read_names(b)) != 0 || b->n == 0)
		goto out;
	b->left = b->n;
	t->listed_b = b;
	return MAMORI_OK;
out:
	if (fd >= 0)
		close(fd);
	if (b)
		batch_free(b);
	return rc;
}

/* Examines one name of b. */
static int
examine(struct thr *t, struct batch *b, const struct name *nm)
{
	struct fim_entry e;
	struct stat st;
	int rc = fim_visit_join(&t->crel, &t->ccap, b->rel, b->rl, b->buf + nm->off);

	t->examined_b = b;
	if (!rc)
		rc = fim_visit_child(&t->v, dirfd(b->d), b->buf + nm->off, nm->dtype,
		    nm->ino, &e, &t->descend, &st);
	if (!rc && t->descend) {
		t->dev = st.st_dev;
		t->ino = st.st_ino;
	} else if (!rc) {
		rc = keep(t, &e, t->crel);
	}
	return rc;
}

/* Books what the last unit produced (caller holds mu); returns a batch
 * to free once unlocked. The thread stays busy until it has also handed
 * its entries over, so the walk cannot be seen to end before. */
static struct batch *
settle(struct thr *t, int rc)
{
	struct fim_pool *p = t->p;
	struct batch *done = NULL;
	if (t->listed) {
		struct batch *b = t->listed_b;
		if (b) {
			b->next = p->ready;
			p->ready = b;
			p->readynames += b->n;
			pthread_cond_broadcast(&p->work);
		} else {
			p->nbatches--;
			pthread_cond_signal(&p->work);
		}
		t->listed = false;
		t->listed_b = NULL;
	}
	if (t->examined_b) {
		struct batch *b = t->examined_b;
		if (!rc && t->descend) {
			rc = fim_visit_push(&p->pending, t->crel, t->dev, t->ino);
			pthread_cond_signal(&p->work);
		}
		if (--b->left == 0) {
			p->nbatches--;
			pthread_cond_signal(&p->work);
			done = b;
		}
		t->examined_b = NULL;
		t->descend = false;
	}
	if (rc)
		fail(p, rc);
	return done;
}

static void *
worker(void *arg)
{
	struct thr *t = arg;
	struct fim_pool *p = t->p;
	int rc = fim_visit_init(&t->v, p->root);
	bool have_v = rc == MAMORI_OK;

	pthread_mutex_lock(&p->mu);
	if (rc)
		fail(p, rc);
	while (!p->rc && !p->end) {
		struct batch *b = p->ready;
		/* List ahead while the names in hand would not keep every
		 * thread busy; a batch is an open descriptor, so bounded. */
		bool list = p->pending.n > 0 && p->nbatches < p->maxbatches &&
		    p->readynames < 4 * (size_t)p->threads;
		if (list) {
			struct fim_visit_pending pd;
			(void)fim_visit_pop(&p->pending, &pd);
			p->nbatches++;
			p->busy++;
			pthread_mutex_unlock(&p->mu);
			rc = list_dir(t, &pd);
			free(pd.rel);
		} else if (b) {
			const struct name *nm = &b->names[b->taken++];
			p->readynames--;
			if (b->taken == b->n)
				p->ready = b->next;
			p->busy++;
			pthread_mutex_unlock(&p->mu);
			rc = examine(t, b, nm);
		} else if (t->head) {
			p->busy++;	/* flush() may wait for room */
			flush(t);
			p->busy--;
			continue;
		} else {
			if (p->busy == 0 && p->pending.n == 0 && p->nbatches == 0) {
				p->end = true;
				pthread_cond_broadcast(&p->work);
				pthread_cond_broadcast(&p->out);
				break;
			}
			pthread_cond_wait(&p->work, &p->mu);
			continue;
		}
		pthread_mutex_lock(&p->mu);
		struct batch *done = settle(t, rc);
		if (done) {
			pthread_mutex_unlock(&p->mu);
			batch_free(done);
			pthread_mutex_lock(&p->mu);
		}
		if (t->nfound >= FLUSH_AT)
			flush(t);
		if (--p->busy == 0)
			pthread_cond_broadcast(&p->work);
	}
	pthread_mutex_unlock(&p->mu);
	while (t->head) {
		struct found *f = t->head;
		t->head = f->next;
		free(f);
	}
	free(t->crel);
	if (have_v)
		fim_visit_release(&t->v);
	return NULL;
}

/* Calls emit for what the threads found until the walk ends or stops. */
static void
deliver(struct fim_pool *p, fim_pool_emit_fn emit, void *arg)
{
	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->found && !p->end && !p->rc)
			pthread_cond_wait(&p->out, &p->mu);
		struct found *f = p->found;
		if (!f || p->rc)
			break;
		p->found = p->found_tail = NULL;
		p->nfound = 0;
		pthread_cond_broadcast(&p->room);
		pthread_mutex_unlock(&p->mu);
		int rc = MAMORI_OK;
		while (f) {
			struct found *next = f->next;
			if (!rc)
				rc = emit(arg, &f->e, f->data);
			free(f);
			f = next;
		}
		pthread_mutex_lock(&p->mu);
		if (rc)
			fail(p, rc);
	}
	pthread_mutex_unlock(&p->mu);
}

int
fim_pool_walk(const struct fim_visit_root *r, unsigned threads, ino_t root_ino,
    fim_pool_emit_fn emit, void *arg)
{
	struct fim_pool p = { .root = r };
	unsigned started = 0;
	int rc;

	if (threads < 2)
		threads = 2;
	if (threads > FIM_POOL_MAX_THREADS)
		threads = FIM_POOL_MAX_THREADS;
	p.threads = threads;
	p.maxbatches = 2 * (size_t)threads + 4;
	if ((rc = fim_visit_push(&p.pending, "", r->dev, root_ino)) != 0)
		return rc;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.work, NULL);
	pthread_cond_init(&p.out, NULL);
	pthread_cond_init(&p.room, NULL);
	pthread_t *tid = calloc(threads, sizeof(*tid));
	struct thr *thr = calloc(threads, sizeof(*thr));
	for (unsigned i = 0; tid && thr && i < threads; i++) {
		thr[i].p = &p;
		if (pthread_create(&tid[i], NULL, worker, &thr[i]) != 0)
			break;
		started++;
	}
	if (started == 0) {
		rc = MAMORI_E_NOMEM;
		goto out;
	}
	deliver(&p, emit, arg);
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	rc = p.rc;
out:
	while (p.ready) {
		struct batch *b = p.ready;
		p.ready = b->next;
		batch_free(b);
	}
	while (p.found) {
		struct found *f = p.found;
		p.found = f->next;
		free(f);
	}
	fim_visit_stack_free(&p.pending);
	free(tid);
	free(thr);
	pthread_cond_destroy(&p.work);
	pthread_cond_destroy(&p.out);
	pthread_cond_destroy(&p.room);
	pthread_mutex_destroy(&p.mu);
	return rc;
}
