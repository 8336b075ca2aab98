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

typedef int (*render_fn)(const struct report_doc *, const char *, char *, size_t);

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

int
report_month_pdf(const struct report_doc *doc, const char *path, char *err,
    size_t errsz)
{
	char tried[1024];
	void *h = open_module(tried, sizeof(tried));
	if (!h) {
		snprintf(err, errsz, "PDF output needs the module %s; tried %s", PDF_MODULE, tried);
		return MAMORI_E_UNSUPPORTED;
	}
	/* POSIX allows converting dlsym's result to a function pointer. */
	render_fn render;
	*(void **)&render = dlsym(h, "report_month_pdf_render");
	if (!render) {
		snprintf(err, errsz, "%s has no renderer: %s", PDF_MODULE, dlerror());
		dlclose(h);
		return MAMORI_E_UNSUPPORTED;
	}
	int rc = render(doc, path, err, errsz);
	/* Not dlclose()d: glib registers types and atexit handlers that must
	 * outlive the call; the process ends soon after a report anyway. */
	return rc;
}
