/*
 * procnet.h - the socket tables of /proc/net/{tcp,tcp6,udp,udp6}.
 *
 * Each line is "sl: LOCAL REMOTE ST TX:RX TR:WHEN RETR UID TIMEOUT INODE ...",
 * addresses as hex words printed in the kernel's (= this machine's) byte
 * order and ports as hex numbers.
 */
#ifndef MAMORI_AGENT_PROCNET_H
#define MAMORI_AGENT_PROCNET_H

#include <stdbool.h>
#include <stddef.h>

#include "agent/inventory.h"
#include "common/arena.h"
#include "common/span.h"

/* Kernel socket states (include/net/tcp_states.h). */
#define PROCNET_TCP_LISTEN 0x0A
#define PROCNET_TCP_CLOSE 0x07	/* an unconnected UDP socket: ss "UNCONN" */

/*
 * Appends the listening sockets of one table to out (struct inv_socket):
 * TCP in LISTEN, UDP in CLOSE (what `ss -l` lists for each). proto is one of
 * "tcp", "tcp6", "udp", "udp6" (static; it also says the address width).
 * Lines that do not parse are counted in *bad. Returns 0, MAMORI_E_INVAL
 * for an unknown proto, or MAMORI_E_NOMEM / MAMORI_E_LIMIT from the arena.
 */
int procnet_parse(struct arena *a, struct span text, const char *proto,
    struct vec *out, size_t *bad);

/*
 * Decodes one hex address of a table (8 hex digits for IPv4, 32 for IPv6)
 * into text ("127.0.0.1", "::1", "::ffff:10.0.0.1") and sets the flags.
 * Returns 0 or MAMORI_E_PARSE.
 */
int procnet_addr(struct span hex, char *buf, size_t size, bool *any,
    bool *loopback);

#endif
