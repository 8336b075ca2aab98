/*
 * t_decode_logs.c - the log decoders field by field, and bad input: NUL
 * bytes, invalid UTF-8, cut lines, syslog header variants and the year of
 * BSD dates. Lines are from the CrowdSec and fail2ban samples in
 * tests/data/logs and from Wazuh's rule tests (ASA 106023, SonicWall
 * "Administrator login denied", /work/shared/data/logs/vendor); the ASA
 * 113015, PAN-OS GlobalProtect SYSTEM, Pulse, sudo/su/login, OpenVPN
 * syslog and Windows JSON lines are written by us in the vendors'
 * documented layouts (no public sample at hand).
 */
#include <stdlib.h>
#include <string.h>

#include "detection/decode_util.h"
#include "detection/decoder.h"
#include "tests/tap.h"

struct want {
	const char *line;
	const char *decoder;
	const char *kv[8];	/* "key=value" (value compared exactly) */
};

static const struct want cases[] = {
	{ "Feb 12 14:10:21 sd-126005 sshd[16378]: Invalid user pascal from 35.188.49.176 port 53502", "sshd",
	  { "source.ip=35.188.49.176", "user.name=pascal", "event.outcome=failure", "host.name=sd-126005",
	    "process.pid=16378", "service.type=ssh" } },
	{ "<38>1 2019-07-08T17:40:16.954167-04:00 h.example.com sshd 57915 - - Failed unknown for invalid user redmond from 192.0.2.1 port 59197 ssh2",
	  "sshd", { "source.ip=192.0.2.1", "user.name=redmond", "host.name=h.example.com" } },
	{ "Nov 11 08:04:52 rb sshd[2737]: Failed password for invalid user test from 10.10.1.2 port 55555 ssh2 from 127.0.0.1 port 58946 ssh2",
	  "sshd", { "source.ip=127.0.0.1", "event.action=ssh-login-failed" } },
	{ "Mar  7 18:53:24 bar sshd[1558]: Accepted password for known from 192.0.2.114 port 52100 ssh2", "sshd",
	  { "event.outcome=success", "user.name=known", "source.port=52100" } },
	{ "Mar  1 10:00:00 srv sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id", "pam",
	  { "user.name=alice", "user.effective.name=root", "process.command_line=/usr/bin/id", "event.action=sudo-command" } },
	{ "Mar  1 10:00:00 srv sudo:    alice : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id",
	  "pam", { "event.outcome=failure", "service.type=sudo" } },
	{ "Mar  1 10:00:00 srv su[12]: FAILED SU (to root) alice on pts/1", "pam",
	  { "user.name=alice", "user.effective.name=root", "event.outcome=failure" } },
	{ "Mar  1 10:00:00 srv login[12]: FAILED LOGIN (1) on '/dev/tty1' FOR 'root', Authentication failure", "pam",
	  { "user.name=root", "event.outcome=failure" } },
	{ "date=2024-10-14 time=13:46:40 eventtime=1728938800841267391 tz=\"-0700\" logid=\"0101039426\" type=\"event\" subtype=\"vpn\" level=\"alert\" vd=\"root\" logdesc=\"SSL VPN login fail\" action=\"ssl-login-fail\" tunneltype=\"ssl-web\" tunnelid=0 remip=192.168.0.1 user=\"gxdadmin\" group=\"N/A\" dst_host=\"N/A\" reason=\"sslvpn_login_no_matching_policy\" msg=\"SSL user failed to logged in\"",
	  "fortigate", { "source.ip=192.168.0.1", "user.name=gxdadmin", "event.outcome=failure", "service.type=vpn",
	    "event.reason=sslvpn_login_no_matching_policy" } },
	{ "Jan  3 13:45:36 192.168.5.1 id=firewall sn=000SERIAL time=\"2007-01-03 14:48:07\" fw=1.1.1.1 pri=1 c=32 m=30 msg=\"Administrator login denied due to bad credentials\" n=7 src=2.2.2.2:36701:WAN dst=1.1.1.1:50000:WAN",
	  "sonicwall", { "source.ip=2.2.2.2", "source.port=36701", "event.outcome=failure", "service.type=admin" } },
	{ "%ASA-6-113015: AAA user authentication Rejected : reason = Invalid password : local database : user = admin : user IP = 203.0.113.5",
	  "asa", { "source.ip=203.0.113.5", "user.name=admin", "event.outcome=failure", "event.code=113015" } },
	{ "%ASA-4-106023: Deny tcp src inside:111.11.11.1/2143 dst YYY:172.11.1.11/139 by access-group \"inside_inbound\"",
	  "asa", { "source.ip=111.11.11.1", "source.port=2143", "destination.ip=172.11.1.11", "event.action=deny" } },
	{ "Apr 30 06:00:00 fw1 1,2020/02/09 00:00:00,00000000,SYSTEM,globalprotect,0,2020/02/09 00:00:00,,globalprotect-gateway-auth-fail,,0,0,general,medium,\"GlobalProtect gateway user authentication failed. Login from: 198.51.100.4, Source region: JP, User name: taro, Client OS: Windows\",0000000,0x0,0,0,0,0,,PA-1",
	  "paloalto", { "source.ip=198.51.100.4", "user.name=taro", "event.outcome=failure", "service.type=vpn" } },
	{ "Apr 20 10:00:00 pcs1 PCS: 2021-04-20 10:00:00 - ive - [203.0.113.8] admin(Users)[] - Login failed using auth server System Local (Local Authentication).  Reason: Failed",
	  "pulse", { "source.ip=203.0.113.8", "user.name=admin", "event.outcome=failure" } },
	{ "May 11 04:02:33 host1 postfix/smtpd[26897]: warning: unknown[203.0.113.42]: SASL LOGIN authentication failed: authentication failure",
	  "mail", { "source.ip=203.0.113.42", "event.outcome=failure", "service.type=mail" } },
	{ "Jun 15 11:28:21 h dovecot: auth-worker(5787): conn unix:auth-worker (pid=27359,uid=97): auth-worker<55>: pam(web,apps,192.0.2.7): unknown user",
	  "mail", { "source.ip=192.0.2.7", "user.name=web,apps" } },
	{ "Sep 24 10:04:52 host2 smb[2725]: Auth: [SMB2,(null)] user []\\[toto] at [Fri, 24 Sep 2021 10:04:52.030937 UTC] with [NTLMv2] status [NT_STATUS_NO_SUCH_USER] workstation [] remote host [ipv4:1.2.3.4:62419] mapped to []\\[toto]. local host [ipv4:10.1.1.1:445] #015",
	  "samba", { "source.ip=1.2.3.4", "source.port=62419", "user.name=toto", "event.reason=NT_STATUS_NO_SUCH_USER" } },
	{ "2024-12-15 14:12:12 192.168.1.31:45321 TLS Error: incoming packet authentication failed from [AF_INET]192.168.1.31:45321",
	  "openvpn", { "source.ip=192.168.1.31", "event.outcome=failure" } },
	{ "Mar  1 10:00:00 vpn ovpn-server[1]: alice/198.51.100.9:51234 MULTI: Learn: 10.8.0.6 -> alice/198.51.100.9:51234", "openvpn",
	  { "source.ip=198.51.100.9", "user.name=alice" } },
	{ "Sep 15 16:13:46 ip-172-31-43-28 nginx[2869]: 81.150.104.130 - bob [15/Sep/2021:16:13:46 +0000] \"POST /wp-login.php HTTP/1.1\" 200 5364 \"-\" \"Mozilla/5.0\"",
	  "web", { "source.ip=81.150.104.130", "user.name=bob", "http.request.method=POST", "url.original=/wp-login.php",
	    "http.response.status_code=200", "event.action=http-login-attempt", "user_agent.original=Mozilla/5.0" } },
	{ "{\"@timestamp\":\"2022-04-29T12:36:01.902Z\",\"winlog\":{\"channel\":\"Security\",\"computer_name\":\"DC1\",\"event_id\":4625,\"event_data\":{\"TargetUserName\":\"administrator\",\"IpAddress\":\"::ffff:198.51.100.20\",\"LogonType\":\"10\",\"SubStatus\":\"0xc000006a\"}}}",
	  "windows", { "winlog.event_id=4625", "source.ip=198.51.100.20", "user.name=administrator", "service.type=rdp",
	    "event.outcome=failure", "host.name=DC1" } },
	{ "{\"EventTime\":\"2022-04-29 12:36:01\",\"Hostname\":\"DC1\",\"EventID\":4771,\"TargetUserName\":\"taro\",\"IpAddress\":\"::ffff:10.0.0.5\",\"Status\":\"0x18\"}",
	  "windows", { "source.ip=10.0.0.5", "event.action=kerberos-preauth-failed", "event.reason=0x18" } },
	{ NULL, NULL, { NULL } },
};

static void
check(const struct want *w)
{
	static struct decode_ctx dc;
	struct event ev;
	decoder_ctx_init(&dc, 2025, 0);
	bool ok_ = decoder_decode(&dc, span_from_cstr(w->line), &ev);
	if (!ok(ok_ && ev.decoder && !strcmp(ev.decoder, w->decoder), "%s decodes: %.60s", w->decoder, w->line)) {
		printf("#   got decoder %s\n", ev.decoder ? ev.decoder : "(none)");
		return;
	}
	for (int i = 0; i < 8 && w->kv[i]; i++) {
		const char *eq = strchr(w->kv[i], '=');
		char key[64];
		snprintf(key, sizeof(key), "%.*s", (int)(eq - w->kv[i]), w->kv[i]);
		struct span v = { "", 0 };
		bool have = event_get(&ev, key, &v);
		if (!ok(have && span_eq(v, eq + 1), "  %s", w->kv[i]))
			printf("#   got %s=%.*s\n", key, (int)v.len, v.p);
	}
}

static void
timestamps(void)
{
	struct syslog_hdr h;
	/* 2025-03-01T10:00:05Z */
	ok(decode_syslog(SPAN_LIT("Mar  1 10:00:05 h p: x"), 2025, 0, &h) && h.ts_ms == 1740823205000LL,
	    "BSD date uses the given year");
	ok(decode_syslog(SPAN_LIT("Dec 31 23:59:59 h p: x"), 2026, 1, &h) && h.ts_ms == 1767225599000LL,
	    "a December line in a January file belongs to the year before");
	ok(decode_syslog(SPAN_LIT("2015-04-16T18:02:50.321974+02:00 host sshd[1]: x"), 1999, 0, &h) &&
	    h.ts_ms == 1429200170321LL && span_eq(h.program, "sshd") && span_eq(h.pid, "1"),
	    "RFC 3339 date with zone and fraction");
	ok(decode_syslog(SPAN_LIT("Mar  3 00:17:22 [sshd]: User root"), 2005, 0, &h) && span_eq(h.program, "sshd") &&
	    h.host.len == 0 && span_eq(h.msg, "User root"), "no host, [prog]: tag");
	ok(decode_syslog(SPAN_LIT("<38>1 2019-07-08T17:40:17Z h app 55 - [a b=\"[x]\"][c@1 d=\"e\"] msg here"), 0, 0, &h) &&
	    span_eq(h.msg, "msg here") && span_eq(h.program, "app"), "RFC 5424 with brackets inside structured data");
	ok(!decode_syslog(SPAN_LIT("Foo  1 10:00:05 h p: x"), 2025, 0, &h), "not a month: not syslog");
	ok(!decode_syslog(SPAN_LIT("Mar 41 10:00:05 h p: x"), 2025, 0, &h), "day 41: not syslog");
}

static void
bad_input(void)
{
	static struct decode_ctx dc;
	struct event ev;
	decoder_ctx_init(&dc, 2025, 0);
	static const char nul[] = "Mar  1 10:00:00 srv sshd[1]: Failed password for ro\0ot from 10.0.0.1 port 1 ssh2";
	ok(decoder_decode(&dc, (struct span){ nul, sizeof(nul) - 1 }, &ev), "NUL byte inside: still decoded");
	static const char utf[] = "Mar  1 10:00:00 srv sshd[1]: Invalid user \xff\xfe\xc3 from 10.0.0.1 port 1";
	ok(decoder_decode(&dc, span_from_cstr(utf), &ev) && event_has(&ev, "source.ip", "10.0.0.1"),
	    "invalid UTF-8 user: address still found");
	size_t big = 1 << 20;
	char *huge = malloc(big);
	memset(huge, 'A', big);
	memcpy(huge, "Mar  1 10:00:00 srv sshd[1]: Failed password for ", 49);
	bool r = decoder_decode(&dc, (struct span){ huge, big }, &ev);
	ok(!r || !event_get(&ev, "source.ip", &(struct span){ 0 }), "1 MiB line without address: no address");
	memset(huge, '{', big);
	(void)decoder_decode(&dc, (struct span){ huge, big }, &ev);
	memset(huge, '"', big);
	(void)decoder_decode(&dc, (struct span){ huge, big }, &ev);
	ok(1, "megabyte lines of '{' and '\"' return");
	free(huge);
	/* cut line: ends inside a quoted field */
	ok(!decoder_decode(&dc, SPAN_LIT("1.2.3.4 - - [10/Dec/2021:14:25:38 +0000] \"GET /x HTT"), &ev) ||
	    ev.decoder == NULL || strcmp(ev.decoder, "web") != 0, "truncated access log line is not a web event");
	ok(!decoder_decode(&dc, SPAN_LIT(""), &ev), "empty line");
	ok(decode_is_ipv6(SPAN_LIT("2606:2800:220:1:248:1893:25c8:1946")) && decode_is_ipv6(SPAN_LIT("::1")) &&
	    decode_is_ipv6(SPAN_LIT("aaaa:bbbb:cccc:1234::1:1")) && !decode_is_ipv6(SPAN_LIT("1:2:3")) &&
	    !decode_is_ipv6(SPAN_LIT(":::")) && decode_is_ipv4(SPAN_LIT("192.030.0.6")) &&
	    !decode_is_ipv4(SPAN_LIT("256.1.1.1")), "address syntax");
}

int
main(void)
{
	for (const struct want *w = cases; w->line; w++)
		check(w);
	timestamps();
	bad_input();
	return done_testing();
}
