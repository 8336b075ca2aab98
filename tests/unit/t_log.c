/* t_log.c - each log line is one write(), whole, escaped and bounded.
 *
 * The stream is an unbuffered FILE (like stderr) on a SOCK_SEQPACKET
 * socket: every write() is one packet, so each recv() shows exactly what
 * one write() carried. */
#include "common/log.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/tap.h"

static char pkt[8192];

/* The next packet, NUL-terminated; its length or -1. */
static ssize_t
next(int fd)
{
	ssize_t n = recv(fd, pkt, sizeof(pkt) - 1, MSG_DONTWAIT);
	pkt[n > 0 ? n : 0] = '\0';
	return n;
}

int
main(void)
{
	int sv[2];
	struct log l;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0)
		return 1;
	/* Non-blocking: a writer of one packet per character fills the socket
	 * and fails instead of hanging the test. */
	if (fcntl(sv[0], F_SETFL, O_NONBLOCK) != 0)
		return 1;
	FILE *out = fdopen(sv[0], "w");
	if (!out)
		return 1;
	setvbuf(out, NULL, _IONBF, 0);
	log_init(&l, out, LOG_LEVEL_INFO);

	log_error(&l, "cannot open %s: %s", "/var/lib/mamori/mamori.db", "Permission denied");
	next(sv[1]);
	is_str(pkt, "mamori: error: cannot open /var/lib/mamori/mamori.db: Permission denied\n",
	    "a line arrives whole in one write");
	is_int(next(sv[1]), -1, "and nothing else was written");

	log_warn(&l, "file %s", "evil\nmamori: error: forged\x7f");
	next(sv[1]);
	is_str(pkt, "mamori: warning: file evil\\x0amamori: error: forged\\x7f\n",
	    "control characters are escaped within the one write");

	log_debug(&l, "not shown");
	is_int(next(sv[1]), -1, "a level above the log's writes nothing");

	char big[3000];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_info(&l, "%s", big);
	ssize_t n = next(sv[1]);
	ok(n > 2000 && n <= 4096 && strcmp(pkt + n - 4, "...\n") == 0,
	    "an over-long message is cut, marked and still one write (%zd bytes)", n);
	is_int(next(sv[1]), -1, "with nothing after it");

	char ctl[1500];
	memset(ctl, '\x01', sizeof(ctl) - 1);
	ctl[sizeof(ctl) - 1] = '\0';
	log_info(&l, "%s", ctl);
	n = next(sv[1]);
	ok(n >= 8 && n <= 4096 && strcmp(pkt + n - 4, "...\n") == 0 &&
	    strncmp(pkt + n - 8, "\\x01", 4) == 0,
	    "escapes that would overflow the line are cut whole (%zd bytes)", n);

	fclose(out);
	close(sv[1]);
	return done_testing();
}
