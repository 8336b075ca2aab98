/*
 * lib_mhd.h - libmicrohttpd (and with it GnuTLS and its dozen libraries),
 * opened on first use (common/dynlib.h): only `mamori serve` and `up`
 * run the web server.
 */
#ifndef MAMORI_MANAGER_LIB_MHD_H
#define MAMORI_MANAGER_LIB_MHD_H

#include <stddef.h>
#include <sys/socket.h>

#include <microhttpd.h>

struct lib_mhd {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_get_connection_info) *get_connection_info;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_create_response_from_buffer_with_free_callback) *create_response;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
	__typeof__(MHD_suspend_connection) *suspend_connection;
	__typeof__(MHD_resume_connection) *resume_connection;
};

/* Fills m; MAMORI_E_UNSUPPORTED with the reason in err when the library is
 * missing. */
int lib_mhd_open(struct lib_mhd *m, char *err, size_t errsz);

#endif
