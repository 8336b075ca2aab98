#include "manager/notify_route.h"

#define DAY_MS (86400LL * 1000)
#define MINUTE_MS (60LL * 1000)

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int
notify_route_local_minute(int64_t now_ms, int utc_offset_min)
{
	int64_t local = now_ms + (int64_t)utc_offset_min * MINUTE_MS;
	return (int)((local - floor_div(local, DAY_MS) * DAY_MS) / MINUTE_MS);
}

bool
notify_route_quiet(const struct store_notify_channel *ch, int64_t now_ms)
{
	int s = ch->quiet_start, e = ch->quiet_end;
	if (s < 0 || e < 0 || s == e)
		return false;
	int m = notify_route_local_minute(now_ms, ch->utc_offset_min);
	/* 22:00-07:00 wraps past midnight. */
	return s < e ? (m >= s && m < e) : (m >= s || m < e);
}

enum notify_route_action
notify_route_alert(const struct store_notify_channel *ch, int severity, int64_t now_ms)
{
	if (severity < ch->min_severity)
		return NOTIFY_ROUTE_DROP;
	/* Ransomware at 3 a.m. must wake someone: critical skips the digest and
	 * quiet hours unless the channel says otherwise. */
	if (severity >= 4 && !ch->quiet_critical)
		return NOTIFY_ROUTE_SEND;
	if (ch->digest_at >= 0)
		return NOTIFY_ROUTE_DIGEST;
	return notify_route_quiet(ch, now_ms) ? NOTIFY_ROUTE_HOLD : NOTIFY_ROUTE_SEND;
}

int64_t
notify_route_digest_slot(const struct store_notify_channel *ch, int64_t now_ms)
{
	if (ch->digest_at < 0)
		return -1;
	int64_t off = (int64_t)ch->utc_offset_min * MINUTE_MS;
	int64_t local = now_ms + off;
	int64_t slot = floor_div(local, DAY_MS) * DAY_MS + ch->digest_at * MINUTE_MS;
	if (slot > local)
		slot -= DAY_MS;
	return slot - off;
}

bool
notify_route_digest_due(const struct store_notify_channel *ch, int64_t now_ms)
{
	int64_t slot = notify_route_digest_slot(ch, now_ms);
	int64_t since = ch->last_digest > ch->created_at ? ch->last_digest : ch->created_at;
	return slot >= 0 && slot > since;
}

int64_t
notify_route_backoff_ms(int attempts)
{
	int64_t ms = MINUTE_MS;
	for (int i = 1; i < attempts && ms < 60 * MINUTE_MS; i++)
		ms *= 2;
	return ms > 60 * MINUTE_MS ? 60 * MINUTE_MS : ms;
}
