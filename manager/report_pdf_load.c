/*
 * report_pdf_load.c - finds and opens the PDF module.
 *
 * cairo, pango, glib, fontconfig and their X11 and font libraries are about
 * 40 shared objects: linked into mamori they cost every command (a scan,
 * the agent) milliseconds and megabytes at start-up. They live in the
 * module mamori-pdf.so instead, loaded only when a PDF is asked for. It is
 * looked for next to the executable (the build tree), then in the
 * installed module directory.
 */
#include "manager/report_month.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common/atomicfile.h"
#include "common/err.h"

#ifndef MAMORI_MODULE_DIR
#define MAMORI_MODULE_DIR "/usr/local/lib/mamori"
#endif
#define PDF_MODULE "mamori-pdf.so"

/*
 * cairo 1.16 (Debian 12) loses two small buffers while it subsets CFF fonts
 * in cairo_surface_finish(); sanitizer builds would fail every PDF on it.
 * libcairo has no frame pointers, so the leak's stack shows only the
 * library: the suppression has to name it. Our own allocations still show.
 * LeakSanitizer asks the executable for this, so it lives here and not in
 * the module.
 */
#if defined(__SANITIZE_ADDRESS__)
const char *__lsan_default_suppressions(void);
const char *
__lsan_default_suppressions(void)
{
	return "leak:libcairo.so\n";
}
#endif

static void *
open_module(char *tried, size_t triedsz)
{
	char exe[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	tried[0] = '\0';
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/%s", exe, PDF_MODULE);
			void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
			if (h)
				return h;
			snprintf(tried, triedsz, "%s", path);
		}
	}
	snprintf(path, sizeof(path), "%s/%s", MAMORI_MODULE_DIR, PDF_MODULE);
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		size_t used = strlen(tried);
		snprintf(tried + used, triedsz - used, "%s%s (%s)", used ? ", " : "", path,
		    dlerror());
	}
	return h;
}

/* The module's function name, or NULL with err set (the module or its entry missing). */
static void *
module_fn(const char *name, char *err, size_t errsz)
{
	char tried[1024];
	void *h = open_module(tried, sizeof(tried));
	if (!h) {
		snprintf(err, errsz, "PDF output needs the module %s; tried %s", PDF_MODULE, tried);
		return NULL;
	}
	void *fn = dlsym(h, name);
	if (!fn) {
		snprintf(err, errsz, "%s has no %s (an older module?): %s", PDF_MODULE, name, dlerror());
		dlclose(h);
	}
	/* Otherwise not dlclose()d: glib registers types and atexit handlers
	 * that must outlive the call. */
	return fn;
}

const char *
report_month_pdf_module_dir(void)
{
	return MAMORI_MODULE_DIR;
}

typedef int (*render_file_fn)(const struct report_doc *, FILE *, char *, size_t);

struct render_file {
	render_file_fn render;
	const struct report_doc *doc;
};

static int
fill_pdf(FILE *f, const void *arg, char *err, size_t errsz)
{
	const struct render_file *r = arg;
	return r->render(r->doc, f, err, errsz);
}

int
report_month_pdf(const struct report_doc *doc, const char *path, char *err,
    size_t errsz)
{
	struct render_file r = { .doc = doc };
	void *fn = module_fn("report_month_pdf_render_file", err, errsz);
	if (!fn)
		return MAMORI_E_UNSUPPORTED;
	/* POSIX allows converting dlsym's result to a function pointer. */
	*(void **)&r.render = fn;
	return atomicfile_write(path, 0600, fill_pdf, &r, err, errsz);
}

int
report_month_pdf_mem(const struct report_doc *doc, char **buf, size_t *len, char *err,
    size_t errsz)
{
	typedef int (*render_fn)(const struct report_doc *, char **, size_t *, char *, size_t);
	render_fn render;
	void *fn = module_fn("report_month_pdf_render_mem", err, errsz);
	*buf = NULL;
	*len = 0;
	if (!fn)
		return MAMORI_E_UNSUPPORTED;
	*(void **)&render = fn;
	return render(doc, buf, len, err, errsz);
}
