/* capture.c - capture files (read by pcapfile, or libpcap), live capture
 * through libpcap, and the privilege drop. */
#include "sensor/capture.h"

#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "common/err.h"
#include "sensor/decode.h"

/* libpcap reports DLT_* values; they differ from the file's LINKTYPE_*
 * (which the decoder takes) only for raw IP. */
static int
dlt_linktype(int dlt)
{
	return dlt == 12 || dlt == 14 ? LINKTYPE_RAW : dlt;
}

/* A regular file that starts like pcap/pcapng is read by pcapfile: 1 when
 * taken, 0 when libpcap should try (the file is back at its start). */
static int
open_own(struct capture *c, int fd)
{
	struct stat st;
	uint8_t head[64];
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	ssize_t n = read(fd, head, sizeof(head));
	if (lseek(fd, 0, SEEK_SET) != 0 || n < 12 ||
	    !pcapfile_is((struct span){ (const char *)head, (size_t)n }))
		return 0;
	if (!(c->rbuf = malloc(CAPTURE_READ_BYTES)))
		return 0;
	c->rcap = CAPTURE_READ_BYTES;
	(void)posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
	pcapfile_init(&c->pf);
	c->fd = fd;
	/* classic pcap has one link type (pcapng: set per packet) */
	c->linktype = LINKTYPE_ETHERNET;
	struct pcapfile hdr;
	struct pcapfile_pkt pk;
	enum anomaly why;
	pcapfile_init(&hdr);
	pcapfile_feed(&hdr, (struct span){ (const char *)head, (size_t)n }, false);
	if (pcapfile_next(&hdr, &pk, &why) >= 0 && !hdr.ng)
		c->linktype = hdr.linktype;
	return 1;
}

int
capture_open_file(struct capture *c, const char *path)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	memset(c, 0, sizeof(*c));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(c->err, sizeof(c->err), "%s: %s", path, strerror(errno));
		return MAMORI_E_IO;
	}
	if (open_own(c, fd) == 1)
		return MAMORI_OK;
	int rc = lib_pcap_open(&c->pcap, c->err, sizeof(c->err));
	if (rc != MAMORI_OK) {
		close(fd);
		return rc;
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		snprintf(c->err, sizeof(c->err), "%s: %s", path, strerror(errno));
		close(fd);
		return MAMORI_E_IO;
	}
	/* stdio's default 4 KiB buffer made reading a large file a syscall
	 * every few packets */
	c->iobuf = malloc(CAPTURE_FILE_BUFFER_BYTES);
	if (c->iobuf)
		setvbuf(f, c->iobuf, _IOFBF, CAPTURE_FILE_BUFFER_BYTES);
	/* reads both pcap and pcapng; owns f from here on */
	c->pc = c->pcap.fopen_offline(f, PCAP_TSTAMP_PRECISION_MICRO, eb);
	if (!c->pc) {
		fclose(f);
		free(c->iobuf);
		c->iobuf = NULL;
		snprintf(c->err, sizeof(c->err), "%s: %s", path, eb);
		return MAMORI_E_IO;
	}
	c->linktype = dlt_linktype(c->pcap.datalink(c->pc));
	return MAMORI_OK;
}

int
capture_open_live(struct capture *c, const char *iface)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	memset(c, 0, sizeof(*c));
	int rc = lib_pcap_open(&c->pcap, c->err, sizeof(c->err));
	if (rc != MAMORI_OK)
		return rc;
	c->live = true;
	c->pc = c->pcap.create(iface, eb);
	if (!c->pc) {
		snprintf(c->err, sizeof(c->err), "%s: %s", iface, eb);
		return MAMORI_E_IO;
	}
	c->pcap.set_snaplen(c->pc, 65535);
	c->pcap.set_promisc(c->pc, 1);
	c->pcap.set_buffer_size(c->pc, CAPTURE_BUFFER_BYTES);
	/* batching: the kernel hands over full blocks, not one wakeup per packet */
	c->pcap.set_immediate_mode(c->pc, 0);
	c->pcap.set_timeout(c->pc, 200);
	rc = c->pcap.activate(c->pc);
	if (rc < 0) {
		snprintf(c->err, sizeof(c->err), "%s: %s", iface, c->pcap.geterr(c->pc));
		c->pcap.close(c->pc);
		c->pc = NULL;
		return rc == PCAP_ERROR_PERM_DENIED ? MAMORI_E_PERM : MAMORI_E_IO;
	}
	c->linktype = dlt_linktype(c->pcap.datalink(c->pc));
	return MAMORI_OK;
}

void
capture_close(struct capture *c)
{
	if (c->pc)
		c->pcap.close(c->pc);
	c->pc = NULL;
	free(c->iobuf);	/* after pcap_close: its FILE used it */
	c->iobuf = NULL;
	if (c->rbuf) {
		free(c->rbuf);
		close(c->fd);
	}
	c->rbuf = NULL;
}

int
capture_drop_privileges(struct capture *c, const char *user)
{
	if (geteuid() != 0 && getuid() != 0)
		return MAMORI_OK;
	struct passwd pw, *res = NULL;
	char buf[4096];
	if (!user)
		user = "nobody";
	if (getpwnam_r(user, &pw, buf, sizeof(buf), &res) != 0 || !res) {
		snprintf(c->err, sizeof(c->err), "cannot drop privileges: no user '%s'", user);
		return MAMORI_E_PERM;
	}
	if (res->pw_uid == 0) {
		snprintf(c->err, sizeof(c->err), "refusing to run as '%s' (uid 0)", user);
		return MAMORI_E_PERM;
	}
	if (setgroups(0, NULL) != 0 || setresgid(res->pw_gid, res->pw_gid, res->pw_gid) != 0 ||
	    setresuid(res->pw_uid, res->pw_uid, res->pw_uid) != 0) {
		snprintf(c->err, sizeof(c->err), "cannot drop privileges to '%s': %s", user,
		    strerror(errno));
		return MAMORI_E_PERM;
	}
	if (setuid(0) == 0 || geteuid() == 0) {
		snprintf(c->err, sizeof(c->err), "privileges could be regained after the drop");
		return MAMORI_E_PERM;
	}
	return MAMORI_OK;
}

static void
read_kernel_stats(struct capture *c, struct sensor *s)
{
	struct pcap_stat ps;
	if (!c->live || c->pcap.stats(c->pc, &ps) != 0)
		return;
	s->st.kernel_packets = ps.ps_recv;
	s->st.kernel_drops = ps.ps_drop;
	s->st.kernel_ifdrops = ps.ps_ifdrop;
}

struct loop_ctx {
	struct sensor *s;
	int64_t stats_interval_us, next_stats_us;
	struct capture *c;
};

static void
one_packet(struct loop_ctx *lc, int64_t ts, const uint8_t *bytes, uint32_t caplen, uint32_t len)
{
	sensor_packet(lc->s, ts, bytes, caplen, len);
	if (lc->stats_interval_us > 0) {
		if (lc->next_stats_us == 0)
			lc->next_stats_us = ts + lc->stats_interval_us;
		else if (ts >= lc->next_stats_us) {
			read_kernel_stats(lc->c, lc->s);
			sensor_write_stats(lc->s);
			lc->next_stats_us = ts + lc->stats_interval_us;
		}
	}
}

static void
on_packet(u_char *ud, const struct pcap_pkthdr *h, const u_char *bytes)
{
	int64_t ts = (int64_t)h->ts.tv_sec * 1000000 + h->ts.tv_usec;
	one_packet((struct loop_ctx *)ud, ts, bytes, h->caplen, h->len);
}

/* Keeps the unread tail at the start of the buffer and reads after it;
 * the buffer grows when one record is larger. 0 or MAMORI_E_IO. */
static int
refill(struct capture *c, size_t used, size_t want)
{
	c->rlen -= used;
	memmove(c->rbuf, c->rbuf + used, c->rlen);
	if (want > c->rcap) {
		uint8_t *nb = realloc(c->rbuf, want);
		if (!nb)
			return MAMORI_E_NOMEM;
		c->rbuf = nb;
		c->rcap = want;
	}
	bool eof = false;
	while (c->rlen < c->rcap) {
		ssize_t n = read(c->fd, c->rbuf + c->rlen, c->rcap - c->rlen);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(c->err, sizeof(c->err), "reading the capture file: %s", strerror(errno));
			return MAMORI_E_IO;
		}
		if (n == 0) {
			eof = true;
			break;
		}
		c->rlen += (size_t)n;
		if (c->rlen >= want)
			break;
	}
	pcapfile_feed(&c->pf, (struct span){ (const char *)c->rbuf, c->rlen }, eof);
	return MAMORI_OK;
}

/* The file, record by record; a broken record is a counted anomaly. */
static int
run_own(struct capture *c, struct loop_ctx *lc)
{
	struct pcapfile_pkt pk;
	enum anomaly why;
	int rc = refill(c, 0, 0);
	while (rc == MAMORI_OK && (rc = pcapfile_next(&c->pf, &pk, &why)) != PCAPFILE_END) {
		if (rc == PCAPFILE_PACKET) {
			lc->s->linktype = pk.linktype;
			one_packet(lc, pk.ts_us, pk.data, pk.cap_len, pk.wire_len);
		} else if (rc == PCAPFILE_MORE) {
			rc = refill(c, pcapfile_used(&c->pf), c->pf.want);
			continue;
		} else {
			struct pkt p = { .ts_us = lc->s->now_us };
			sensor_anomaly(lc->s, &p, why, NULL);
			if (rc < 0) {
				snprintf(c->err, sizeof(c->err), "%s",
				    why == ANOM_CAPTURE_TRUNCATED ? "truncated capture file" :
				    "bogus record in the capture file");
				return MAMORI_E_PARSE;
			}
		}
		rc = MAMORI_OK;
	}
	return rc;
}

static int64_t
mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

int
capture_run(struct capture *c, struct sensor *s, int64_t duration_s, int64_t stats_interval_s,
    const struct capture_hook *hook)
{
	struct loop_ctx lc = { s, stats_interval_s * 1000000LL, 0, c };
	if (c->rbuf)
		return run_own(c, &lc);
	if (!c->live) {
		int rc = c->pcap.loop(c->pc, -1, on_packet, (u_char *)&lc);
		if (rc == PCAP_ERROR) {
			/* a truncated file: what was read counts, say so */
			snprintf(c->err, sizeof(c->err), "%s", c->pcap.geterr(c->pc));
			return MAMORI_E_PARSE;
		}
		return MAMORI_OK;
	}
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	/* from here on SIGHUP reloads instead of ending the process */
	fprintf(stderr, "mamori sensor: capturing (SIGINT/SIGTERM stop, SIGHUP reloads indicators)\n");
	char eb[PCAP_ERRBUF_SIZE];
	c->pcap.setnonblock(c->pc, 1, eb);
	int pfd = c->pcap.get_selectable_fd(c->pc);
	int64_t start = mono_s();
	int rc = MAMORI_OK;
	for (;;) {
		struct pollfd fds[2] = { { pfd, POLLIN, 0 }, { sfd, POLLIN, 0 } };
		int n = poll(fds, sfd >= 0 ? 2 : 1, 200);
		if (n < 0 && errno != EINTR) {
			rc = MAMORI_E_IO;
			break;
		}
		bool hup = false;
		if (sfd >= 0 && (fds[1].revents & POLLIN)) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si) && si.ssi_signo == SIGHUP)
				hup = true;
			else
				break;
		}
		/* poll may miss packets already in the ring: always dispatch */
		int got = c->pcap.dispatch(c->pc, -1, on_packet, (u_char *)&lc);
		if (got == PCAP_ERROR) {
			snprintf(c->err, sizeof(c->err), "%s", c->pcap.geterr(c->pc));
			rc = MAMORI_E_IO;
			break;
		}
		/* after the packets already captured, so a reload applies from the
		 * next ones on */
		if (hook && hook->tick)
			hook->tick(hook->ud, s, hup);
		/* live readers of the EVE file see events within a poll period */
		if (got > 0 || s->eve.len)
			eve_flush(&s->eve);
		if (duration_s > 0 && mono_s() - start >= duration_s)
			break;
		/* expire idle flows even when no packet moves the clock */
		if (got == 0) {
			struct timespec now;
			clock_gettime(CLOCK_REALTIME, &now);
			int64_t us = (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
			if (us > s->now_us && s->now_us != 0) {
				s->now_us = us;
				flow_table_expire(&s->flows, us);
			}
			/* a quiet link still reports its health (drops, uptime) */
			if (lc.stats_interval_us > 0 && us >= lc.next_stats_us) {
				if (lc.next_stats_us) {
					read_kernel_stats(c, s);
					sensor_write_stats(s);
				}
				lc.next_stats_us = us + lc.stats_interval_us;
			}
		}
	}
	read_kernel_stats(c, s);
	if (sfd >= 0)
		close(sfd);
	return rc;
}
