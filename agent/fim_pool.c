/*
 * fim_pool.c - reader threads for fim_walk (see fim_pool.h).
 */
#include "agent/fim_pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/err.h"

struct fim_pool {
	pthread_mutex_t mu;
	pthread_cond_t work;		/* todo became non-empty, or stop */
	pthread_cond_t finished;	/* done became non-empty */
	struct fim_job *todo, *todo_tail, *done;
	size_t in_flight, cap;
	bool stop;
	int rc;				/* first non-zero from done_fn */
	fim_pool_done_fn done_fn;
	void *arg;
	unsigned nthreads;
	pthread_t threads[FIM_POOL_MAX_THREADS];
};

/* Same test as the serial walker: did the file change while read? */
static bool
same_content(const struct stat *a, const struct stat *b)
{
	return a->st_size == b->st_size && a->st_ino == b->st_ino &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	    a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void
hash_job(struct fim_hasher *h, struct fim_job *j)
{
	struct stat st2;
	uint64_t n = 0;
	int rc = fim_hash_fd(h, j->fd, j->e.hash, &n);
	if (rc == MAMORI_E_NOMEM) {
		j->rc = rc;
	} else if (rc) {
		j->e.err = errno;
		j->e.state = FIM_S_UNREADABLE;
	} else if (fstat(j->fd, &st2) != 0 || !same_content(&j->st, &st2) ||
	    n != (uint64_t)j->st.st_size) {
		j->e.state = FIM_S_CHANGING;
	} else {
		j->e.has_hash = true;
	}
	close(j->fd);
	j->fd = -1;
}

static void *
worker(void *arg)
{
	struct fim_pool *p = arg;
	struct fim_hasher h;
	bool ok = fim_hasher_init(&h) == MAMORI_OK;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (!p->todo && !p->stop)
			pthread_cond_wait(&p->work, &p->mu);
		if (!p->todo)
			break;
		struct fim_job *j = p->todo;
		p->todo = j->next;
		if (!p->todo)
			p->todo_tail = NULL;
		pthread_mutex_unlock(&p->mu);
		if (ok) {
			hash_job(&h, j);
		} else {
			j->rc = MAMORI_E_NOMEM;
			close(j->fd);
			j->fd = -1;
		}
		pthread_mutex_lock(&p->mu);
		j->next = p->done;
		p->done = j;
		pthread_cond_signal(&p->finished);
	}
	pthread_mutex_unlock(&p->mu);
	if (ok)
		fim_hasher_release(&h);
	return NULL;
}

/* Takes the finished jobs (caller holds mu), delivers them unlocked. */
static void
deliver(struct fim_pool *p)
{
	struct fim_job *j = p->done;
	size_t n = 0;
	p->done = NULL;
	for (struct fim_job *k = j; k; k = k->next)
		n++;
	p->in_flight -= n;
	pthread_mutex_unlock(&p->mu);
	while (j) {
		struct fim_job *next = j->next;
		int rc = j->rc;
		if (!rc && !p->rc)
			rc = p->done_fn(p->arg, j);
		if (rc && !p->rc)
			p->rc = rc;
		free(j->rel);
		free(j);
		j = next;
	}
	pthread_mutex_lock(&p->mu);
}

int
fim_pool_start(struct fim_pool **out, unsigned threads, fim_pool_done_fn done, void *arg)
{
	struct fim_pool *p = calloc(1, sizeof(*p));
	*out = NULL;
	if (!p)
		return MAMORI_E_NOMEM;
	if (threads < 2)
		threads = 2;
	if (threads > FIM_POOL_MAX_THREADS)
		threads = FIM_POOL_MAX_THREADS;
	p->cap = 2 * (size_t)threads;
	p->done_fn = done;
	p->arg = arg;
	if (pthread_mutex_init(&p->mu, NULL) != 0) {
		free(p);
		return MAMORI_E_NOMEM;
	}
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->finished, NULL);
	for (unsigned i = 0; i < threads; i++) {
		if (pthread_create(&p->threads[i], NULL, worker, p) != 0)
			break;
		p->nthreads++;
	}
	if (p->nthreads == 0) {
		pthread_cond_destroy(&p->work);
		pthread_cond_destroy(&p->finished);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return MAMORI_E_NOMEM;
	}
	*out = p;
	return MAMORI_OK;
}

int
fim_pool_submit(struct fim_pool *p, struct fim_job *j)
{
	pthread_mutex_lock(&p->mu);
	while (p->in_flight >= p->cap) {
		while (!p->done)
			pthread_cond_wait(&p->finished, &p->mu);
		deliver(p);
	}
	j->next = NULL;
	if (p->todo_tail)
		p->todo_tail->next = j;
	else
		p->todo = j;
	p->todo_tail = j;
	p->in_flight++;
	pthread_cond_signal(&p->work);
	int rc = p->rc;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int
fim_pool_poll(struct fim_pool *p)
{
	pthread_mutex_lock(&p->mu);
	if (p->done)
		deliver(p);
	int rc = p->rc;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int
fim_pool_finish(struct fim_pool *p)
{
	if (!p)
		return MAMORI_OK;
	pthread_mutex_lock(&p->mu);
	while (p->in_flight > 0) {
		while (!p->done)
			pthread_cond_wait(&p->finished, &p->mu);
		deliver(p);
	}
	p->stop = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (unsigned i = 0; i < p->nthreads; i++)
		pthread_join(p->threads[i], NULL);
	int rc = p->rc;
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->finished);
	pthread_mutex_destroy(&p->mu);
	free(p);
	return rc;
}
