/*
 * lib_pcap.h - libpcap (with libdbus and more), opened on first use
 * (common/dynlib.h): only the network sensor reads packets.
 */
#ifndef MAMORI_SENSOR_LIB_PCAP_H
#define MAMORI_SENSOR_LIB_PCAP_H

#include <stddef.h>

#include <pcap/pcap.h>

struct lib_pcap {
	__typeof__(pcap_fopen_offline_with_tstamp_precision) *fopen_offline;
	__typeof__(pcap_create) *create;
	__typeof__(pcap_set_snaplen) *set_snaplen;
	__typeof__(pcap_set_promisc) *set_promisc;
	__typeof__(pcap_set_buffer_size) *set_buffer_size;
	__typeof__(pcap_set_immediate_mode) *set_immediate_mode;
	__typeof__(pcap_set_timeout) *set_timeout;
	__typeof__(pcap_activate) *activate;
	__typeof__(pcap_datalink) *datalink;
	__typeof__(pcap_geterr) *geterr;
	__typeof__(pcap_close) *close;
	__typeof__(pcap_stats) *stats;
	__typeof__(pcap_loop) *loop;
	__typeof__(pcap_dispatch) *dispatch;
	__typeof__(pcap_setnonblock) *setnonblock;
	__typeof__(pcap_get_selectable_fd) *get_selectable_fd;
};

/* Fills p; MAMORI_E_UNSUPPORTED with the reason in err when libpcap is
 * missing. */
int lib_pcap_open(struct lib_pcap *p, char *err, size_t errsz);

#endif
