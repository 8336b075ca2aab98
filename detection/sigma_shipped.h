/*
 * sigma_shipped.h - the Sigma rules that come with mamori (the .yml files of rules/sigma),
 * built into the binary (tools/embed.py), so an installed mamori needs no
 * rules folder. Used by every log watch unless logs.sigma_shipped is off.
 */
#ifndef MAMORI_DETECTION_SIGMA_SHIPPED_H
#define MAMORI_DETECTION_SIGMA_SHIPPED_H

#include "detection/sigma.h"

/* Adds them to rs (before sigma_ruleset_compile); sigma_ruleset_add_buffer's result. */
int sigma_shipped_add(struct sigma_ruleset *rs, struct sigma_report *report);

#endif
