/*
 * notify_channel.h - a channel's settings from text, the same for the
 * command line (mamori notify channel add) and the API (POST
 * /api/notify/channels), and a channel as JSON (never with its secret).
 */
#ifndef MAMORI_MANAGER_NOTIFY_CHANNEL_H
#define MAMORI_MANAGER_NOTIFY_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#include "storage/store_notify.h"

struct json_t;

/* Defaults: Japanese, high and above, no quiet hours, at once, UTC+09:00. */
void notify_channel_defaults(struct store_notify_channel *ch);
/*
 * One setting: name, kind, target, server, from, user, secret, lang,
 * min_severity (info..critical), quiet ("22:00-07:00", "" for none),
 * quiet_critical (yes|no), digest ("HH:MM", "" for at once), utc_offset
 * ("+09:00"). MAMORI_E_INVAL with err set for a bad value or key.
 */
int notify_channel_set(struct store_notify_channel *ch, const char *key, const char *value,
    char *err, size_t errsz);
/* After all settings: required fields and the URL rules (notify_send_check). */
int notify_channel_check(const struct store_notify_channel *ch, char *err, size_t errsz);
struct json_t *notify_channel_json(const struct store_notify_channel *ch,
    const struct store_notify_counts *c);
/* Every channel of a tenant, with its delivery counts, as a JSON array. */
struct db;
int notify_channel_list_json(struct db *db, int64_t tenant_id, struct json_t **out);

#endif
