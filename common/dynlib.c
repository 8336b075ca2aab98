/*
 * dynlib.c - role libraries opened on first use (see dynlib.h).
 */
#include "common/dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "common/err.h"

int
dynlib_load(const char *soname, const char *what, const char *hint,
    const struct dynlib_sym *syms, size_t nsyms, void *base, char *err, size_t errsz)
{
	void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
	if (!h) {
		const char *why = dlerror();
		snprintf(err, errsz, "this needs %s (for %s), which cannot be loaded (%s); install %s",
		    soname, what, why ? why : "not found", hint);
		return MAMORI_E_UNSUPPORTED;
	}
	for (size_t i = 0; i < nsyms; i++) {
		void *p = dlsym(h, syms[i].name);
		if (!p) {
			snprintf(err, errsz, "this needs %s from %s (for %s), which this version lacks",
			    syms[i].name, soname, what);
			dlclose(h);
			return MAMORI_E_UNSUPPORTED;
		}
		/* POSIX: a function's address fits a void *; copied, not cast. */
		memcpy((char *)base + syms[i].offset, &p, sizeof(p));
	}
	/* The handle is not kept: RTLD_NODELETE keeps the library mapped, and a
	 * later dlopen of the same soname returns it. */
	dlclose(h);
	return MAMORI_OK;
}
