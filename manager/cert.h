/*
 * cert.h - the manager's TLS certificate: a configured one, or a
 * self-signed one made on first start and kept next to the database.
 */
#ifndef MAMORI_MANAGER_CERT_H
#define MAMORI_MANAGER_CERT_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Loads cert_path and key_path as PEM into *cert and *key (malloc, NUL
 * terminated). When both files are missing and may_create is set, makes an
 * ECDSA P-256 key (mode 0600) and a self-signed certificate for
 * "mamori-manager" with the SANs localhost, 127.0.0.1, ::1 and host (when
 * not NULL), valid 825 days. *created says whether that happened. One file
 * without the other is an error: we never overwrite an operator's file.
 */
int cert_load_or_create(const char *cert_path, const char *key_path,
    const char *host, bool may_create, char **cert, char **key, bool *created,
    char *err, size_t errsz);

/* The SHA-256 fingerprint of a PEM certificate as "AB:CD:..." (96 bytes). */
int cert_fingerprint(const char *cert_pem, char *out, size_t outsz);

#endif
