/*
 * lib_xml.c - libxml2's functions by dlsym (see lib_xml.h).
 */
#include "vuln/lib_xml.h"

#include "common/dynlib.h"

#ifndef MAMORI_SONAME_XML
#define MAMORI_SONAME_XML "libxml2.so.2"
#endif

#define SYM(field, name) DYNLIB_SYM(struct lib_xml, field, name)
static const struct dynlib_sym syms[] = {
	SYM(reader_for_io, xmlReaderForIO),
	SYM(reader_for_memory, xmlReaderForMemory),
	SYM(free_reader, xmlFreeTextReader),
	SYM(set_error_handler, xmlTextReaderSetStructuredErrorHandler),
	SYM(read, xmlTextReaderRead),
	SYM(node_type, xmlTextReaderNodeType),
	SYM(local_name, xmlTextReaderConstLocalName),
	SYM(namespace_uri, xmlTextReaderConstNamespaceUri),
	SYM(depth, xmlTextReaderDepth),
	SYM(is_empty, xmlTextReaderIsEmptyElement),
	SYM(read_string, xmlTextReaderReadString),
	SYM(get_attribute, xmlTextReaderGetAttribute),
	SYM(free, xmlFree),
};

int
lib_xml_open(struct lib_xml *x, char *err, size_t errsz)
{
	return dynlib_load(MAMORI_SONAME_XML, "XML feeds",
	    "libxml2 (Debian: apt-get install libxml2)", syms, sizeof(syms) / sizeof(syms[0]),
	    x, err, errsz);
}
