/*
 * lib_xml.h - libxml2 (with ICU and libstdc++), opened on first use
 * (common/dynlib.h): only the JVN and IPA feed parsers read XML.
 */
#ifndef MAMORI_VULN_LIB_XML_H
#define MAMORI_VULN_LIB_XML_H

#include <stddef.h>

#include <libxml/xmlreader.h>

#ifdef LIBXML_THREAD_ALLOC_ENABLED
#error "xmlFree is a per-thread hook in this libxml2; lib_xml.c reads it as a variable"
#endif

struct lib_xml {
	__typeof__(xmlReaderForIO) *reader_for_io;
	__typeof__(xmlReaderForMemory) *reader_for_memory;
	__typeof__(xmlFreeTextReader) *free_reader;
	__typeof__(xmlTextReaderSetStructuredErrorHandler) *set_error_handler;
	__typeof__(xmlTextReaderRead) *read;
	__typeof__(xmlTextReaderNodeType) *node_type;
	__typeof__(xmlTextReaderConstLocalName) *local_name;
	__typeof__(xmlTextReaderConstNamespaceUri) *namespace_uri;
	__typeof__(xmlTextReaderDepth) *depth;
	__typeof__(xmlTextReaderIsEmptyElement) *is_empty;
	__typeof__(xmlTextReaderReadString) *read_string;
	__typeof__(xmlTextReaderGetAttribute) *get_attribute;
	xmlFreeFunc *free;		/* the library's variable xmlFree */
};

/* A reader with the functions that drive it. */
struct lib_xml_reader {
	struct lib_xml f;
	xmlTextReaderPtr r;
};

/* Fills x; MAMORI_E_UNSUPPORTED with the reason in err when libxml2 is
 * missing. */
int lib_xml_open(struct lib_xml *x, char *err, size_t errsz);

#endif
