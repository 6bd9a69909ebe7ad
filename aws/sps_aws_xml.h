/*
 * Reading AWS Query-protocol XML. A thin, safe layer over libxml2: network access and entity
 * expansion off, DTDs never loaded, documents bounded in size and depth. Nodes are borrowed
 * from their document and die with it. Element names are matched by local name, so namespaces
 * (EC2's and Auto Scaling's xmlns differ per API version) do not matter.
 */
#ifndef SPS_AWS_XML_H
#define SPS_AWS_XML_H

#include "sps_common.h"

#define SPS_XML_MAX_BYTES ((size_t)32 * 1024 * 1024)

struct sps_xml_doc;
struct sps_xml_node;

/* SPS_ERR_XML_MALFORMED (including truncated documents) or SPS_ERR_XML_TOO_LARGE. */
SPS_NODISCARD sps_err sps_xml_parse(struct sps_xml_doc **out, const char *data, size_t len);
void sps_xml_doc_destroy(struct sps_xml_doc *doc); /* NULL-safe */

const struct sps_xml_node *sps_xml_root(const struct sps_xml_doc *doc);
/* The element's local name ("instancesSet"). */
const char *sps_xml_name(const struct sps_xml_node *node);
/* First child element with that local name (any element when name is NULL), or NULL. */
const struct sps_xml_node *sps_xml_child(const struct sps_xml_node *node, const char *name);
/* Next sibling element with that local name (any when NULL), or NULL. */
const struct sps_xml_node *sps_xml_next(const struct sps_xml_node *node, const char *name);
/* Walks child elements by a '/'-separated path of local names ("reservationSet/item"). */
const struct sps_xml_node *sps_xml_path(const struct sps_xml_node *node, const char *path);
/* Text content of the element; borrowed, valid while the document lives; "" when empty. */
const char *sps_xml_text(const struct sps_xml_node *node);
/* Text of the child at `path`, or NULL when there is no such element. */
const char *sps_xml_path_text(const struct sps_xml_node *node, const char *path);

/* Typed readers for the child at `path`. SPS_ERR_MISSING_FIELD when absent, a parse error when
 * the text is not of the type. */
SPS_NODISCARD sps_err sps_xml_path_i64(const struct sps_xml_node *node, const char *path,
                                       int64_t *out);
SPS_NODISCARD sps_err sps_xml_path_double(const struct sps_xml_node *node, const char *path,
                                          double *out);
SPS_NODISCARD sps_err sps_xml_path_bool(const struct sps_xml_node *node, const char *path,
                                        bool *out);
SPS_NODISCARD sps_err sps_xml_path_time(const struct sps_xml_node *node, const char *path,
                                        int64_t *epoch_ms);

#endif
