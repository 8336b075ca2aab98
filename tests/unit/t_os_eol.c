/* t_os_eol.c - the support table judged at fixed dates. */
#include <string.h>

#include "agent/os_eol.h"
#include "tests/tap.h"

/* 2026-11-25T00:00Z, the fixtures' "now". */
#define NOW ((time_t)1795564800)

static void
expect(const char *id, const char *ver, const char *name, time_t now,
    enum os_support want, const char *release)
{
	struct inv_os os;
	struct os_eol_info info;

	memset(&os, 0, sizeof(os));
	os.id = (char *)(uintptr_t)id;
	os.version_id = (char *)(uintptr_t)ver;
	os.name = (char *)(uintptr_t)name;
	os_eol_lookup(&os, now, &info);
	ok(info.support == want && (!release || (info.release &&
	    strcmp(info.release, release) == 0)), "%s %s (%s): %s", id ? id : "-",
	    ver ? ver : "-", name ? name : "-", os_support_name(want));
	if (info.support != want)
		printf("#   got %s\n", os_support_name(info.support));
}

int
main(void)
{
	expect("debian", "12", NULL, NOW, OS_SUPPORT_EXTENDED, "Debian 12 (bookworm)");
	expect("debian", "13", NULL, NOW, OS_SUPPORT_FULL, "Debian 13 (trixie)");
	expect("debian", "11", NULL, NOW, OS_SUPPORT_ENDED, "Debian 11 (bullseye)");
	expect("debian", "9", NULL, NOW, OS_SUPPORT_ENDED, NULL);
	expect("debian", "14", NULL, NOW, OS_SUPPORT_UNKNOWN, NULL);
	expect("raspbian", "12", NULL, NOW, OS_SUPPORT_EXTENDED, NULL);
	/* Boundaries: the end date is the last supported day. */
	expect("debian", "12", NULL, 1781049600 /* 2026-06-10 */,
	    OS_SUPPORT_FULL, NULL);
	expect("debian", "12", NULL, 1781136000 /* 2026-06-11 */,
	    OS_SUPPORT_EXTENDED, NULL);
	expect("debian", "11", NULL, 1788134400 /* 2026-08-31 */,
	    OS_SUPPORT_EXTENDED, NULL);
	expect("debian", "11", NULL, 1788220800 /* 2026-09-01 */,
	    OS_SUPPORT_ENDED, NULL);
	expect("ubuntu", "22.04", NULL, NOW, OS_SUPPORT_FULL, NULL);
	expect("ubuntu", "20.04", NULL, NOW, OS_SUPPORT_EXTENDED, NULL);
	expect("ubuntu", "25.04", NULL, NOW, OS_SUPPORT_ENDED, NULL);
	expect("ubuntu", "22.10", NULL, NOW, OS_SUPPORT_UNKNOWN, NULL);
	expect("rhel", "9.4", NULL, NOW, OS_SUPPORT_FULL, NULL);
	expect("rhel", "7.9", NULL, NOW, OS_SUPPORT_EXTENDED, NULL);
	expect("rocky", "8.10", NULL, NOW, OS_SUPPORT_FULL, NULL);
	expect("centos", "7", "CentOS Linux", NOW, OS_SUPPORT_ENDED, "CentOS Linux 7");
	expect("centos", "8", "CentOS Stream", NOW, OS_SUPPORT_ENDED, "CentOS Stream 8");
	expect("centos", "9", "CentOS Stream", NOW, OS_SUPPORT_FULL, "CentOS Stream 9");
	expect("alpine", "3.19.1", NULL, NOW, OS_SUPPORT_ENDED, NULL);
	expect("alpine", "3.22.0", NULL, NOW, OS_SUPPORT_FULL, NULL);
	expect("alpine", "3.2", NULL, NOW, OS_SUPPORT_UNKNOWN, NULL);
	expect("opensuse-leap", "15.6", NULL, NOW, OS_SUPPORT_ENDED, NULL);
	expect("sles", "15.6", NULL, NOW, OS_SUPPORT_EXTENDED, NULL);
	expect("fedora", "43", NULL, NOW, OS_SUPPORT_FULL, NULL);
	expect("fedora", "41", NULL, NOW, OS_SUPPORT_ENDED, NULL);
	expect(NULL, NULL, NULL, NOW, OS_SUPPORT_UNKNOWN, NULL);
	expect("debian", "", NULL, NOW, OS_SUPPORT_UNKNOWN, NULL);

	/* Debian without VERSION_ID: /etc/debian_version decides. */
	struct inv_os os;
	struct os_eol_info info;
	memset(&os, 0, sizeof(os));
	os.id = (char *)(uintptr_t)"debian";
	os.debian_version = (char *)(uintptr_t)"10.13";
	os_eol_lookup(&os, NOW, &info);
	ok(info.support == OS_SUPPORT_ENDED && info.release &&
	    strstr(info.release, "buster"), "debian_version 10.13 is buster, ended");
	os.debian_version = (char *)(uintptr_t)"trixie/sid";
	os_eol_lookup(&os, NOW, &info);
	is_int(info.support, OS_SUPPORT_UNKNOWN, "testing/sid is unknown");
	is_str(os_support_name(OS_SUPPORT_EXTENDED), "extended", "names");
	return done_testing();
}
