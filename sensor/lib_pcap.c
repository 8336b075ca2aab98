/*
 * lib_pcap.c - libpcap's functions by dlsym (see lib_pcap.h).
 */
#include "sensor/lib_pcap.h"

#include "common/dynlib.h"

#ifndef MAMORI_SONAME_PCAP
#define MAMORI_SONAME_PCAP "libpcap.so.0.8"
#endif

#define SYM(field, name) DYNLIB_SYM(struct lib_pcap, field, name)
static const struct dynlib_sym syms[] = {
	SYM(fopen_offline, pcap_fopen_offline_with_tstamp_precision),
	SYM(create, pcap_create),
	SYM(set_snaplen, pcap_set_snaplen),
	SYM(set_promisc, pcap_set_promisc),
	SYM(set_buffer_size, pcap_set_buffer_size),
	SYM(set_immediate_mode, pcap_set_immediate_mode),
	SYM(set_timeout, pcap_set_timeout),
	SYM(activate, pcap_activate),
	SYM(datalink, pcap_datalink),
	SYM(geterr, pcap_geterr),
	SYM(close, pcap_close),
	SYM(stats, pcap_stats),
	SYM(loop, pcap_loop),
	SYM(dispatch, pcap_dispatch),
	SYM(setnonblock, pcap_setnonblock),
	SYM(get_selectable_fd, pcap_get_selectable_fd),
};

int
lib_pcap_open(struct lib_pcap *p, char *err, size_t errsz)
{
	return dynlib_load(MAMORI_SONAME_PCAP, "packet capture",
	    "libpcap (Debian: apt-get install libpcap0.8)", syms, sizeof(syms) / sizeof(syms[0]),
	    p, err, errsz);
}
