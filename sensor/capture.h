/*
 * capture.h - packets from a pcap/pcapng file or a live interface. A
 * regular pcap/pcapng file is read in large chunks and walked in place by
 * pcapfile.c; anything else (a pipe, a format we do not read ourselves)
 * and live capture go through libpcap (large kernel buffer, immediate mode off, drops read back from
 * the kernel and reported). The capture is opened while privileged; then
 * capture_drop_privileges() switches to an unprivileged user before the
 * first packet is read.
 */
#ifndef MAMORI_SENSOR_CAPTURE_H
#define MAMORI_SENSOR_CAPTURE_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>

#include "sensor/lib_pcap.h"
#include "sensor/pcapfile.h"
#include "sensor/sensor.h"

#define CAPTURE_BUFFER_BYTES (64 * 1024 * 1024)
#define CAPTURE_FILE_BUFFER_BYTES (1024 * 1024)
/* Read buffer of a file read by pcapfile: small enough to stay in the
 * CPU's cache, grown (up to a pcapng block's cap) only for a larger record. */
#define CAPTURE_READ_BYTES (256 * 1024)

struct capture {
	struct lib_pcap pcap;
	pcap_t *pc;
	int linktype;
	bool live;
	char *iobuf;			/* the capture file's stdio buffer */
	int fd;				/* a file read by pcapfile (when rbuf) */
	uint8_t *rbuf;			/* its read buffer, NULL for libpcap */
	size_t rcap, rlen;		/* size, bytes held */
	struct pcapfile pf;
	char err[PCAP_ERRBUF_SIZE + 128];
};

int capture_open_file(struct capture *c, const char *path);
int capture_open_live(struct capture *c, const char *iface);
void capture_close(struct capture *c);
/* As root: setgroups(), setresgid(), setresuid() to user (default
 * "nobody"), then checks that root cannot be regained. No-op when not
 * root. Returns 0 or MAMORI_E_PERM with c->err set. */
int capture_drop_privileges(struct capture *c, const char *user);
/*
 * Feeds every packet to the sensor until the file ends, or (live) until
 * SIGINT/SIGTERM or duration_s seconds (0 = no limit); SIGHUP goes to the
 * hook. Signals are taken
 * through a signalfd, so no handler state is global. Writes a stats event
 * every stats_interval_s seconds of capture time (0 = only at the end).
 */
/* Called about every 200 ms of a live capture; hup is true once per SIGHUP
 * received (the caller reloads its indicator files then). */
struct capture_hook {
	void (*tick)(void *ud, struct sensor *s, bool hup);
	void *ud;
};

int capture_run(struct capture *c, struct sensor *s, int64_t duration_s, int64_t stats_interval_s,
    const struct capture_hook *hook);

#endif
