/*
 * lib_mhd.c - libmicrohttpd's functions by dlsym (see lib_mhd.h).
 */
#include "manager/lib_mhd.h"

#include "common/dynlib.h"

#ifndef MAMORI_SONAME_MHD
#define MAMORI_SONAME_MHD "libmicrohttpd.so.12"
#endif

#define SYM(field, name) DYNLIB_SYM(struct lib_mhd, field, name)
static const struct dynlib_sym syms[] = {
	SYM(start_daemon, MHD_start_daemon),
	SYM(stop_daemon, MHD_stop_daemon),
	SYM(get_daemon_info, MHD_get_daemon_info),
	SYM(get_connection_info, MHD_get_connection_info),
	SYM(lookup_connection_value, MHD_lookup_connection_value),
	SYM(create_response, MHD_create_response_from_buffer_with_free_callback),
	SYM(add_response_header, MHD_add_response_header),
	SYM(queue_response, MHD_queue_response),
	SYM(destroy_response, MHD_destroy_response),
	SYM(suspend_connection, MHD_suspend_connection),
	SYM(resume_connection, MHD_resume_connection),
};

int
lib_mhd_open(struct lib_mhd *m, char *err, size_t errsz)
{
	return dynlib_load(MAMORI_SONAME_MHD, "the web server",
	    "libmicrohttpd (Debian: apt-get install libmicrohttpd12)", syms,
	    sizeof(syms) / sizeof(syms[0]), m, err, errsz);
}
