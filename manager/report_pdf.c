/*
 * report_pdf.c - the monthly report as PDF: A4 pages laid out with pango
 * (Noto Sans CJK JP for Japanese) on a cairo PDF surface, written to a
 * stream: the caller (report_pdf_load.c) replaces the target file with
 * common/atomicfile, so a failure never leaves a broken PDF behind.
 *
 * Built as the loadable module mamori-pdf.so (report_pdf_load.c opens it):
 * cairo, pango and glib are some 40 shared libraries, and only this
 * command needs them.
 */
#include "manager/report_month.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

#include "common/err.h"

#define PAGE_W 595.0		/* A4 in points */
#define PAGE_H 842.0
#define MARGIN 50.0
#define CONTENT_W (PAGE_W - 2 * MARGIN)
#define FONT "Noto Sans CJK JP"

struct pdf {
	cairo_t *cr;
	double y;
	int page;
	bool nomem;		/* an item could not be laid out: the PDF would miss it */
};


static const double weather_rgb[4][3] = {
	{ 0.20, 0.65, 0.40 }, { 0.60, 0.73, 0.20 }, { 0.93, 0.60, 0.20 }, { 0.85, 0.27, 0.20 },
};

static PangoLayout *
layout(struct pdf *p, const char *text, double size, bool bold, double width)
{
	PangoLayout *l = pango_cairo_create_layout(p->cr);
	PangoFontDescription *fd = pango_font_description_from_string(FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	/* Plain text, never markup: the text comes from hostnames and packages. */
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static double
height_of(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void
footer(struct pdf *p)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "- %d -", p->page);
	PangoLayout *l = layout(p, buf, 8, false, CONTENT_W);
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	cairo_set_source_rgb(p->cr, 0.4, 0.4, 0.4);
	cairo_move_to(p->cr, MARGIN, PAGE_H - MARGIN / 2 - 8);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
}

/* Starts a new page when h more points do not fit. */
static void
need(struct pdf *p, double h)
{
	if (p->y + h <= PAGE_H - MARGIN)
		return;
	footer(p);
	cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN;
}

static void
text_block(struct pdf *p, const char *text, double size, bool bold, double before,
    double after, double r, double g, double b)
{
	PangoLayout *l = layout(p, text, size, bold, CONTENT_W);
	double h = height_of(l);
	p->y += before;
	need(p, h);
	cairo_set_source_rgb(p->cr, r, g, b);
	cairo_move_to(p->cr, MARGIN, p->y);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	p->y += h + after;
}

static void
note_block(struct pdf *p, const char *text)
{
	PangoLayout *l = layout(p, text, 10, false, CONTENT_W - 16);
	double h = height_of(l) + 16;
	p->y += 6;
	need(p, h);
	cairo_set_source_rgb(p->cr, 1.0, 0.96, 0.88);
	cairo_rectangle(p->cr, MARGIN, p->y, CONTENT_W, h);
	cairo_fill_preserve(p->cr);
	cairo_set_source_rgb(p->cr, 0.88, 0.63, 0.25);
	cairo_set_line_width(p->cr, 1);
	cairo_stroke(p->cr);
	cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
	cairo_move_to(p->cr, MARGIN + 8, p->y + 8);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	p->y += h + 8;
}

static void
score_block(struct pdf *p, const struct rblock *r)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%d / 100", r->score);
	need(p, 50);
	const double *c = weather_rgb[r->weather & 3];
	cairo_set_source_rgb(p->cr, c[0], c[1], c[2]);
	cairo_arc(p->cr, MARGIN + 18, p->y + 22, 16, 0, 2 * G_PI);
	cairo_fill(p->cr);
	PangoLayout *l = layout(p, buf, 26, true, 160);
	cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
	cairo_move_to(p->cr, MARGIN + 44, p->y + 2);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	l = layout(p, r->text, 13, true, CONTENT_W - 210);
	cairo_move_to(p->cr, MARGIN + 210, p->y + 12);
	pango_cairo_show_layout(p->cr, l);
	g_object_unref(l);
	p->y += 50;
}

static void
trend_block(struct pdf *p, const struct rblock *r)
{
	if (r->npoints == 0)
		return;
	double hgt = 90, bw = CONTENT_W / (double)(r->npoints > 31 ? r->npoints : 31);
	need(p, hgt + 30);
	cairo_set_source_rgb(p->cr, 0.7, 0.7, 0.7);
	cairo_set_line_width(p->cr, 0.5);
	cairo_move_to(p->cr, MARGIN, p->y + hgt);
	cairo_line_to(p->cr, MARGIN + CONTENT_W, p->y + hgt);
	cairo_stroke(p->cr);
	for (size_t i = 0; i < r->npoints; i++) {
		int v = r->points[i].value < 0 ? 0 : r->points[i].value > 100 ? 100 : r->points[i].value;
		int w = v >= 80 ? 0 : v >= 60 ? 1 : v >= 40 ? 2 : 3;
		double x = MARGIN + (double)i * bw, bh = v * (hgt - 12) / 100.0;
		cairo_set_source_rgb(p->cr, weather_rgb[w][0], weather_rgb[w][1], weather_rgb[w][2]);
		cairo_rectangle(p->cr, x + 1, p->y + hgt - bh, bw - 2, bh);
		cairo_fill(p->cr);
		char buf[16];	/* an int always fits */
		snprintf(buf, sizeof(buf), "%d", v);
		PangoLayout *l = layout(p, buf, 6, false, bw);
		pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
		cairo_set_source_rgb(p->cr, 0.2, 0.2, 0.2);
		cairo_move_to(p->cr, x, p->y + hgt - bh - 9);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
		l = layout(p, r->points[i].label, 5.5, false, bw);
		pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
		cairo_move_to(p->cr, x, p->y + hgt + 3);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
	}
	p->y += hgt + 24;
}

static void
table_row(struct pdf *p, char *const *cells, int ncols, bool head, const double *cw)
{
	double h = 0;
	PangoLayout *ls[16];
	for (int c = 0; c < ncols; c++) {
		ls[c] = layout(p, cells[c], 8.5, head, cw[c] - 6);
		double hh = height_of(ls[c]);
		h = hh > h ? hh : h;
	}
	h += 6;
	need(p, h);
	double x = MARGIN;
	for (int c = 0; c < ncols; c++) {
		if (head) {
			cairo_set_source_rgb(p->cr, 0.93, 0.96, 0.93);
			cairo_rectangle(p->cr, x, p->y, cw[c], h);
			cairo_fill(p->cr);
		}
		cairo_set_source_rgb(p->cr, 0.7, 0.7, 0.7);
		cairo_set_line_width(p->cr, 0.5);
		cairo_rectangle(p->cr, x, p->y, cw[c], h);
		cairo_stroke(p->cr);
		cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
		cairo_move_to(p->cr, x + 3, p->y + 3);
		pango_cairo_show_layout(p->cr, ls[c]);
		g_object_unref(ls[c]);
		x += cw[c];
	}
	p->y += h;
}

static void
table_block(struct pdf *p, const struct rblock *r)
{
	double cw[16], sum = 0;
	if (r->ncols <= 0 || r->ncols > 16 || r->ncells <= (size_t)r->ncols)
		return;
	/* Columns as wide as their longest text, within limits. */
	for (int c = 0; c < r->ncols; c++) {
		size_t longest = 4;
		for (size_t k = (size_t)c; k < r->ncells; k += (size_t)r->ncols) {
			size_t n = strlen(r->cells[k]);
			longest = n > longest ? n : longest;
		}
		cw[c] = longest > 60 ? 60 : (double)longest;
		sum += cw[c];
	}
	for (int c = 0; c < r->ncols; c++)
		cw[c] = cw[c] / sum * CONTENT_W;
	p->y += 4;
	for (size_t k = 0; k + (size_t)r->ncols <= r->ncells; k += (size_t)r->ncols) {
		table_row(p, r->cells + k, r->ncols, k == 0, cw);
	}
	p->y += 8;
}

static void
list_block(struct pdf *p, const struct rblock *r)
{
	for (size_t k = 0; k < r->ncells; k++) {
		char *s = NULL;
		size_t n = strlen(r->cells[k]) + 16;
		if ((s = malloc(n)) == NULL) {
			p->nomem = true;
			return;
		}
		snprintf(s, n, "%zu. %s", k + 1, r->cells[k]);
		text_block(p, s, 10, false, 2, 2, 0.1, 0.1, 0.1);
		free(s);
	}
}

static cairo_status_t
write_fd(void *closure, const unsigned char *data, unsigned int len)
{
	FILE *f = closure;
	return fwrite(data, 1, len, f) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* Lays the document out onto a PDF written to f; the caller closes f. */
int
report_month_pdf_render_file(const struct report_doc *doc, FILE *f, char *err, size_t errsz)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_fd, f, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, doc->title ? doc->title : "");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "mamori");
	struct pdf p = { cairo_create(s), MARGIN, 1, false };
	for (size_t i = 0; i < doc->nblocks; i++) {
		const struct rblock *r = &doc->blocks[i];
		switch (r->kind) {
		case RB_TITLE: text_block(&p, r->text, 20, true, 0, 4, 0.1, 0.35, 0.2); break;
		case RB_SUBTITLE: text_block(&p, r->text, 9, false, 0, 10, 0.35, 0.35, 0.35); break;
		case RB_H2: text_block(&p, r->text, 13, true, 12, 6, 0.1, 0.35, 0.2); break;
		case RB_P: text_block(&p, r->text, 10, false, 2, 4, 0.1, 0.1, 0.1); break;
		case RB_NOTE: note_block(&p, r->text); break;
		case RB_SCORE: score_block(&p, r); break;
		case RB_TREND: trend_block(&p, r); break;
		case RB_TABLE: table_block(&p, r); break;
		case RB_LIST: list_block(&p, r); break;
		}
	}
	footer(&p);
	cairo_show_page(p.cr);
	/* Drawing errors stay in the context; writing errors in the surface. */
	cairo_status_t st = cairo_status(p.cr);
	cairo_destroy(p.cr);
	cairo_surface_finish(s);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	/* Drop pango's and fontconfig's process-wide caches so that leak
	 * checkers see only real leaks. The manager renders one PDF at a time
	 * (api_report.c), so nothing else uses them meanwhile. */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errsz, "cannot render the PDF: %s", cairo_status_to_string(st));
		return MAMORI_E_IO;
	}
	if (p.nomem) {
		snprintf(err, errsz, "out of memory while laying out the PDF");
		return MAMORI_E_NOMEM;
	}
	return MAMORI_OK;
}

int
report_month_pdf_render_mem(const struct report_doc *doc, char **buf, size_t *len, char *err,
    size_t errsz)
{
	*buf = NULL;
	*len = 0;
	FILE *f = open_memstream(buf, len);
	if (!f) {
		snprintf(err, errsz, "out of memory");
		return MAMORI_E_NOMEM;
	}
	int rc = report_month_pdf_render_file(doc, f, err, errsz);
	if (fclose(f) != 0 && !rc) {
		snprintf(err, errsz, "out of memory");
		rc = MAMORI_E_NOMEM;
	}
	if (rc) {
		free(*buf);
		*buf = NULL;
		*len = 0;
	}
	return rc;
}
