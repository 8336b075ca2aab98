/* detect_mail.c - an office PC sending mail to outside mail servers like a
 * spam bot: it greets the server with an address that is not its own (a
 * bot behind the router that learnt its public address), or it uses more
 * distinct outside mail servers within an hour than sensor.smtp_servers_per_hour
 * (bots spread spam over stolen mail accounts). Judged at the first MAIL
 * command of each session. */
#include <stdio.h>
#include <string.h>

#include "sensor/proto_smtp.h"
#include "sensor/sensor.h"

#define SMTP_SPAN_MS (3600 * 1000LL)

static void
mail_from(struct sensor *s, struct flow *f, const struct pkt *p, struct span from)
{
	char msg[400], a[64], b[64];
	f->det |= DET_SMTP_DONE;
	int64_t now = p->ts_us / 1000;
	struct window_entry *e = detect_window(s, R_SMTP_SPAM, &f->src, NULL);
	size_t servers = detect_window_distinct(e, now, SMTP_SPAN_MS, &f->dst);
	bool fake = f->det & DET_SMTP_FAKE_HELO;
	if ((!fake && servers < s->det.conf.smtp_servers_per_hour) ||
	    !detect_window_fire(e, now, SMTP_SPAN_MS))
		return;
	ip_addr_str(&f->src, a, sizeof(a));
	ip_addr_str(&f->dst, b, sizeof(b));
	if (fake)
		snprintf(msg, sizeof(msg), "%s sent mail (%.*s) to %s port %u, greeting it with an address that is not its own",
		    a, (int)(from.len > 120 ? 120 : from.len), from.p, b, f->dport);
	else
		snprintf(msg, sizeof(msg), "%s sent mail through %zu outside mail servers within an hour",
		    a, servers);
	sensor_alert_begin(s, f, p, detect_rule(R_SMTP_SPAM), msg);
	eve_span(&s->eve, "mail_from", (struct span){ from.p, from.len > 256 ? 256 : from.len });
	eve_int(&s->eve, "mail_servers", (int64_t)servers);
	eve_str(&s->eve, "reason", fake ? "false_helo" : "many_servers");
	sensor_alert_end(s);
}

void
detect_mail_smtp(struct sensor *s, struct flow *f, const struct pkt *p)
{
	struct span in = p->payload, verb, arg;
	struct ip_addr lit;
	if ((f->det & DET_SMTP_DONE) || !detect_outward(f))
		return;
	while (proto_smtp_next(&in, &verb, &arg)) {
		if (span_eq_nocase(verb, "EHLO") || span_eq_nocase(verb, "HELO")) {
			if (proto_smtp_addr_literal(arg, &lit) == 0 &&
			    memcmp(&lit, &f->src, sizeof(lit)) != 0)
				f->det |= DET_SMTP_FAKE_HELO;
		} else if (span_eq_nocase(verb, "MAIL")) {
			if (arg.len >= 5 && span_eq_nocase((struct span){ arg.p, 5 }, "FROM:"))
				arg = span_trim((struct span){ arg.p + 5, arg.len - 5 });
			mail_from(s, f, p, arg);
			return;
		}
	}
}
