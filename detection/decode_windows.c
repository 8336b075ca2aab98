/*
 * decode_windows.c - Windows Security and System events to ECS, shared by
 * the JSON (Winlogbeat, NXLog) and XML renderings. Only the event ids the
 * detections use are mapped; others keep winlog.event_id and the host.
 */
#include "detection/decode_util.h"
#include "detection/decoder.h"

static bool
get(decode_win_get g, const void *arg, const char *name, struct span *out)
{
	if (!g(arg, name, out))
		return false;
	*out = span_trim(*out);
	return out->len && !span_eq(*out, "-");
}

static void
set(struct event *ev, const char *cat, const char *action, const char *outcome)
{
	event_set_cstr(ev, "event.category", cat);
	event_set_cstr(ev, "event.action", action);
	if (outcome)
		event_set_cstr(ev, "event.outcome", outcome);
}

/* Local logons (127.0.0.1, ::1) are not a remote source. */
static void
source(struct event *ev, decode_win_get g, const void *arg)
{
	struct span ip;
	if (!get(g, arg, "IpAddress", &ip))
		return;
	ip = decode_ip_clean(ip);
	if (span_eq(ip, "127.0.0.1") || span_eq(ip, "::1") || !decode_is_ip(ip))
		return;
	decode_set_source(ev, ip);
}

static void
logon_service(struct event *ev, decode_win_get g, const void *arg)
{
	struct span lt;
	if (get(g, arg, "LogonType", &lt)) {
		event_set(ev, "winlog.logon.type", lt);
		/* 10 = RemoteInteractive (RDP); 3 = network logon (file sharing,
		 * and RDP with NLA): counted as Windows logons */
		event_set_cstr(ev, "service.type", span_eq(lt, "10") ? "rdp" : "windows");
	}
}

bool
decode_windows_event(unsigned id, decode_win_get g, const void *arg, struct event *ev)
{
	struct span v;
	event_set_cstr(ev, "service.type", "windows");
	switch (id) {
	case 4624:
	case 4625:
		if (get(g, arg, "TargetUserName", &v))
			decode_set_user(ev, v);
		if (get(g, arg, "TargetDomainName", &v))
			event_set(ev, "user.domain", v);
		if (get(g, arg, "WorkstationName", &v))
			event_set(ev, "source.domain", v);
		if (get(g, arg, "SubStatus", &v) || get(g, arg, "Status", &v))
			event_set(ev, "event.reason", v);
		if (get(g, arg, "TargetLogonId", &v))
			event_set(ev, "winlog.logon.id", v);
		source(ev, g, arg);
		logon_service(ev, g, arg);
		set(ev, "authentication", id == 4624 ? "logged-in" : "logon-failed",
		    id == 4624 ? "success" : "failure");
		return true;
	case 4634:
		if (get(g, arg, "TargetUserName", &v))
			decode_set_user(ev, v);
		set(ev, "authentication", "logged-out", "success");
		return true;
	case 4648:
		if (get(g, arg, "SubjectUserName", &v))
			decode_set_user(ev, v);
		if (get(g, arg, "TargetUserName", &v))
			event_set(ev, "user.target.name", v);
		if (get(g, arg, "TargetServerName", &v))
			event_set(ev, "destination.domain", v);
		source(ev, g, arg);
		set(ev, "authentication", "logged-in-explicit", "success");
		return true;
	case 4672:
		if (get(g, arg, "SubjectUserName", &v))
			decode_set_user(ev, v);
		/* the same id as the 4624 of this logon (detect_hours.c pairs them) */
		if (get(g, arg, "SubjectLogonId", &v))
			event_set(ev, "winlog.logon.id", v);
		set(ev, "iam", "logged-in-special", "success");
		return true;
	case 4720: case 4722: case 4724: case 4740: case 4726: case 4738:
		if (get(g, arg, "TargetUserName", &v))
			event_set(ev, "user.target.name", v), decode_set_user(ev, v);
		if (get(g, arg, "SubjectUserName", &v))
			event_set(ev, "user.changes.by", v);
		if (id == 4740 && get(g, arg, "TargetDomainName", &v))
			event_set(ev, "source.domain", v);	/* the caller computer */
		set(ev, "iam", id == 4720 ? "added-user-account" : id == 4722 ? "enabled-user-account" :
		    id == 4724 ? "reset-password" : id == 4740 ? "locked-out-user-account" :
		    id == 4726 ? "deleted-user-account" : "modified-user-account", "success");
		return true;
	case 4728: case 4732: case 4756:
		if (get(g, arg, "MemberName", &v) && !span_eq(v, "-"))
			decode_set_user(ev, v);
		else if (get(g, arg, "MemberSid", &v))
			decode_set_user(ev, v);
		if (get(g, arg, "MemberSid", &v))
			event_set(ev, "user.id", v);
		if (get(g, arg, "TargetUserName", &v))
			event_set(ev, "group.name", v);
		if (get(g, arg, "TargetSid", &v))
			event_set(ev, "group.id", v);
		if (get(g, arg, "SubjectUserName", &v))
			event_set(ev, "user.changes.by", v);
		set(ev, "iam", "added-member-to-group", "success");
		return true;
	case 4768: case 4769: case 4771: case 4776: {
		bool ok = true;
		if (get(g, arg, "TargetUserName", &v))
			decode_set_user(ev, v);
		if (get(g, arg, "Status", &v) || get(g, arg, "FailureCode", &v) || get(g, arg, "ErrorCode", &v)) {
			event_set(ev, "event.reason", v);
			ok = span_eq(v, "0x0") || span_eq(v, "0");
		}
		if (id == 4776 && get(g, arg, "Workstation", &v))
			event_set(ev, "source.domain", v);
		source(ev, g, arg);
		event_set_cstr(ev, "service.type", "kerberos");
		if (id == 4776)
			event_set_cstr(ev, "service.type", "ntlm");
		set(ev, "authentication", id == 4768 ? "kerberos-tgt" : id == 4769 ? "kerberos-service-ticket" :
		    id == 4771 ? "kerberos-preauth-failed" : "credential-validation",
		    ok && id != 4771 ? "success" : "failure");
		return true;
	}
	case 1102:
	case 104:
		if (get(g, arg, "SubjectUserName", &v) || get(g, arg, "param1", &v))
			decode_set_user(ev, v);
		if (id == 104 && get(g, arg, "Channel", &v))
			event_set(ev, "winlog.channel", v);
		set(ev, "host", "audit-log-cleared", "success");
		return true;
	case 7045:
		if (get(g, arg, "ServiceName", &v))
			event_set(ev, "service.name", v);
		if (get(g, arg, "ImagePath", &v))
			event_set(ev, "process.executable", v);
		if (get(g, arg, "AccountName", &v))
			decode_set_user(ev, v);
		if (get(g, arg, "StartType", &v))
			event_set(ev, "service.start_type", v);
		set(ev, "configuration", "service-installed", "success");
		return true;
	}
	event_set_cstr(ev, "event.category", "host");
	return true;
}
