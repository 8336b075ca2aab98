#include "common/err.h"

const char *
err_str(int err)
{
	switch (err) {
	case MAMORI_OK: return "success";
	case MAMORI_E_NOMEM: return "out of memory";
	case MAMORI_E_IO: return "input/output error";
	case MAMORI_E_PARSE: return "malformed input";
	case MAMORI_E_LIMIT: return "limit reached";
	case MAMORI_E_NOTFOUND: return "not found";
	case MAMORI_E_INVAL: return "invalid argument";
	case MAMORI_E_DB: return "database error";
	case MAMORI_E_UNSUPPORTED: return "not supported";
	case MAMORI_E_TIMEOUT: return "time budget exhausted";
	case MAMORI_E_PERM: return "permission denied";
	}
	return "unknown error";
}
