#include "storage/db_pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/err.h"
#include "storage/db.h"

struct db_pool {
	pthread_mutex_t mu;
	pthread_cond_t freed;
	int n, nfree;
	struct db *all[DB_POOL_MAX];
	struct db *free[DB_POOL_MAX];	/* a stack of the idle ones */
};

int
db_pool_open(const char *path, int size, struct db_pool **out, char *err, size_t errsz)
{
	int rc = MAMORI_OK;
	struct db_pool *p = NULL;

	*out = NULL;
	if (size < 1 || size > DB_POOL_MAX) {
		snprintf(err, errsz, "read connections must be 1..%d, not %d", DB_POOL_MAX, size);
		return MAMORI_E_INVAL;
	}
	if (!(p = calloc(1, sizeof(*p)))) {
		snprintf(err, errsz, "out of memory");
		return MAMORI_E_NOMEM;
	}
	if (pthread_mutex_init(&p->mu, NULL) != 0) {
		free(p);
		snprintf(err, errsz, "cannot create a mutex");
		return MAMORI_E_NOMEM;
	}
	if (pthread_cond_init(&p->freed, NULL) != 0) {
		pthread_mutex_destroy(&p->mu);
		free(p);
		snprintf(err, errsz, "cannot create a condition variable");
		return MAMORI_E_NOMEM;
	}
	for (; p->n < size; p->n++) {
		if ((rc = db_open_reader(path, &p->all[p->n], err, errsz)) != MAMORI_OK)
			goto out;
		p->free[p->nfree++] = p->all[p->n];
	}
	*out = p;
	p = NULL;
out:
	db_pool_close(p);
	return rc;
}

void
db_pool_close(struct db_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n; i++)
		db_close(p->all[i]);
	pthread_cond_destroy(&p->freed);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

struct db *
db_pool_get(struct db_pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0)
		pthread_cond_wait(&p->freed, &p->mu);
	struct db *db = p->free[--p->nfree];
	pthread_mutex_unlock(&p->mu);
	return db;
}

void
db_pool_put(struct db_pool *p, struct db *db)
{
	pthread_mutex_lock(&p->mu);
	p->free[p->nfree++] = db;
	pthread_cond_signal(&p->freed);
	pthread_mutex_unlock(&p->mu);
}
