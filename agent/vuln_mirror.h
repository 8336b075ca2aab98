/*
 * vuln_mirror.h - does the host's package mirror already offer the fix?
 *
 * The distribution's tracker says a CVE is fixed in version X; the host
 * can only install X once its apt lists (its mirror, its configured
 * suites) carry it. Reading /var/lib/apt/lists tells "upgrade available
 * now" from "fixed upstream, not yet in your mirror" (mirror lagging, or
 * the -security suite missing from sources.list), without the network.
 */
#ifndef MAMORI_AGENT_VULN_MIRROR_H
#define MAMORI_AGENT_VULN_MIRROR_H

#include "agent/scan_ctx.h"
#include "agent/vuln_scan.h"

/*
 * Sets match_source.available for the installed sources that have a
 * fixable result, from every Packages index apt has. Does nothing when
 * nothing is fixable or the host has no apt lists (then the state stays
 * unknown); an unreadable list is a scan warning. Sets
 * vs->nnot_in_mirror. 0 or MAMORI_E_NOMEM.
 */
int vuln_mirror_check(struct vuln_scan *vs, struct scan_ctx *ctx);

#endif
