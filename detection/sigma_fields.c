/*
 * sigma_fields.c - Sigma field names: the map to ECS keys and the slots
 * (event keys tried in order) that rules refer to.
 */
#include "detection/sigma_int.h"

#include <stdio.h>
#include <string.h>

#include "common/err.h"

/*
 * Sigma / Windows field names -> ECS keys of detection/event.h. Names not
 * listed are looked up verbatim (and as winlog.event_data.<Name>).
 * docs/sigma.md shows the same table.
 */
static const struct {
	const char *sigma;
	const char *ecs;
} field_map[] = {
	/* Windows event log (Security, System) */
	{ "EventID", "winlog.event_id" },
	{ "Channel", "winlog.channel" },
	{ "Provider_Name", "winlog.provider_name" },
	{ "Computer", "host.name" },
	{ "TargetUserName", "user.name" },
	{ "TargetDomainName", "user.domain" },
	{ "TargetUserSid", "user.id" },
	{ "SubjectUserName", "user.effective.name" },
	{ "SubjectDomainName", "user.effective.domain" },
	{ "SubjectUserSid", "user.effective.id" },
	{ "MemberName", "user.target.name" },
	{ "MemberSid", "user.target.id" },
	{ "IpAddress", "source.ip" },
	{ "IpPort", "source.port" },
	{ "WorkstationName", "source.domain" },
	{ "ServiceName", "service.name" },
	{ "ProcessName", "process.executable" },
	/* process creation (Sysmon 1, 4688) */
	{ "CommandLine", "process.command_line" },
	{ "Image", "process.executable" },
	{ "NewProcessName", "process.executable" },
	{ "OriginalFileName", "process.pe.original_file_name" },
	{ "ProcessId", "process.pid" },
	{ "ParentImage", "process.parent.executable" },
	{ "ParentCommandLine", "process.parent.command_line" },
	{ "ParentProcessId", "process.parent.pid" },
	{ "CurrentDirectory", "process.working_directory" },
	{ "User", "user.name" },
	/* files, registry, network, DNS */
	{ "TargetFilename", "file.path" },
	{ "TargetObject", "registry.path" },
	{ "Details", "registry.data.strings" },
	{ "SourceIp", "source.ip" },
	{ "SourcePort", "source.port" },
	{ "SourceHostname", "source.domain" },
	{ "DestinationIp", "destination.ip" },
	{ "DestinationPort", "destination.port" },
	{ "DestinationHostname", "destination.domain" },
	{ "Protocol", "network.transport" },
	{ "QueryName", "dns.question.name" },
	/* web server / proxy (W3C names) */
	{ "c-uri", "url.original" },
	{ "c-uri-query", "url.query" },
	{ "c-uri-stem", "url.path" },
	{ "cs-uri-query", "url.query" },
	{ "cs-uri-stem", "url.path" },
	{ "cs-method", "http.request.method" },
	{ "sc-status", "http.response.status_code" },
	{ "c-useragent", "user_agent.original" },
	{ "cs-user-agent", "user_agent.original" },
	{ "cs-referrer", "http.request.referrer" },
	{ "cs-host", "url.domain" },
	{ "c-ip", "source.ip" },
	{ "cs-username", "user.name" },
	{ "r-dns", "url.domain" },
	/* firewall, generic */
	{ "src_ip", "source.ip" },
	{ "dst_ip", "destination.ip" },
	{ "src_port", "source.port" },
	{ "dst_port", "destination.port" },
	{ "ClientIP", "source.ip" },
	{ "username", "user.name" },
	{ "hostname", "host.name" },
};

const char *
sigma_field_ecs(const char *name)
{
	for (size_t i = 0; i < sizeof(field_map) / sizeof(field_map[0]); i++)
		if (strcmp(field_map[i].sigma, name) == 0)
			return field_map[i].ecs;
	return NULL;
}

/* ---- keys and slots ---- */

uint64_t
sigma_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

static uint32_t
key_get(struct sigma_ruleset *rs, const char *name)
{
	uint64_t h = sigma_hash(name, strlen(name));
	for (size_t i = 0; i < rs->keys.n; i++) {
		struct sigma_key *k = vec_at(&rs->keys, i);
		if (k->hash == h && strcmp(k->name, name) == 0)
			return (uint32_t)i;
	}
	struct sigma_key *k = vec_push(&rs->arena, &rs->keys);
	if (k == NULL || (k->name = arena_strdup(&rs->arena, name)) == NULL)
		return SIGMA_NONE;
	k->hash = h;
	vec_init(&k->lits, sizeof(struct span), 0);
	return (uint32_t)(rs->keys.n - 1);
}

static bool
windows_style(const char *name)
{
	return name[0] >= 'A' && name[0] <= 'Z' && strchr(name, '.') == NULL &&
	    strchr(name, '-') == NULL;
}

uint32_t
sigma_slot_get(struct sigma_ruleset *rs, const char *name)
{
	if (name[0] == '\0')
		return 0;	/* slot 0: the raw line */
	for (size_t i = 1; i < rs->slots.n; i++) {
		struct sigma_slot *s = vec_at(&rs->slots, i);
		if (strcmp(s->name, name) == 0)
			return (uint32_t)i;
	}
	struct sigma_slot *s = vec_push(&rs->arena, &rs->slots);
	if (s == NULL || (s->name = arena_strdup(&rs->arena, name)) == NULL)
		return SIGMA_NONE;
	const char *cand[SIGMA_SLOT_KEYS];
	size_t nc = 0;
	char buf[300];
	if (windows_style(name) && strlen(name) < 200) {
		snprintf(buf, sizeof(buf), "winlog.event_data.%s", name);
		cand[nc++] = buf;
	}
	const char *ecs = sigma_field_ecs(name);
	if (ecs)
		cand[nc++] = ecs;
	cand[nc++] = name;
	for (size_t i = 0; i < nc; i++) {
		uint32_t k = key_get(rs, cand[i]);
		if (k == SIGMA_NONE)
			return SIGMA_NONE;
		s->key[s->nkeys++] = k;
	}
	return (uint32_t)(rs->slots.n - 1);
}

