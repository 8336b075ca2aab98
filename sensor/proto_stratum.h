/*
 * proto_stratum.h - the mining pool protocols (Stratum v1 for Bitcoin and
 * Zcash, the Ethereum "eth_submitLogin/eth_getWork" proxy form, and the
 * Monero/XMRig "login" call): JSON-RPC lines recognised by their method,
 * on any port.
 */
#ifndef MAMORI_SENSOR_PROTO_STRATUM_H
#define MAMORI_SENSOR_PROTO_STRATUM_H

#include <stdbool.h>

#include "common/span.h"

/* True when payload is a mining client's JSON-RPC request; *method is the
 * method named. */
bool proto_stratum_request(struct span payload, struct span *method);

#endif
