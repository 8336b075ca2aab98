/*
 * err.h - the one error convention of mamori.
 *
 * Functions that can fail return int: 0 on success or a negative
 * MAMORI_E* code. Cleanup goes through one "out:" label. Input errors are
 * counted and reported by the caller; they never abort the process.
 */
#ifndef MAMORI_COMMON_ERR_H
#define MAMORI_COMMON_ERR_H

enum mamori_err {
	MAMORI_OK = 0,
	MAMORI_E_NOMEM = -1,	/* allocation failed */
	MAMORI_E_IO = -2,	/* a read, write or open failed; errno is kept */
	MAMORI_E_PARSE = -3,	/* malformed input */
	MAMORI_E_LIMIT = -4,	/* a configured cap was reached */
	MAMORI_E_NOTFOUND = -5,	/* the thing asked for does not exist */
	MAMORI_E_INVAL = -6,	/* bad argument or bad configuration value */
	MAMORI_E_DB = -7,	/* the database refused an operation */
	MAMORI_E_UNSUPPORTED = -8, /* the platform or input lacks a feature */
	MAMORI_E_TIMEOUT = -9,	/* a time budget ran out */
	MAMORI_E_PERM = -10,	/* permission denied */
};

/* A short English description of an error code, never NULL. */
const char *err_str(int err);

/* Exit codes of the command line (sysexits.h values where they fit). */
enum mamori_exit {
	EXIT_OK_RUN = 0,	/* ran; nothing at or above --fail-on */
	EXIT_FINDINGS = 1,	/* a finding at or above --fail-on exists */
	EXIT_USAGE = 2,		/* bad command line: one-line message */
	EXIT_DATAERR = 65,	/* bad input data */
	EXIT_NOINPUT = 66,	/* input file missing or unreadable */
	EXIT_SOFTWARE = 70,	/* internal error */
	EXIT_CANTCREAT = 73,	/* cannot create output (database) */
	EXIT_IOERR = 74,	/* I/O error */
	EXIT_TEMPFAIL = 75,	/* try again later (the manager is unreachable) */
	EXIT_NOPERM = 77,	/* refused: revoked agent, used token, changed certificate */
	EXIT_CONFIG = 78,	/* configuration error */
};

#endif
