/*
 * Reading AWS Query-protocol XML over libxml2, safely: every parse has its own parser context
 * with a structured error handler (so libxml2 never prints to stderr and nothing global is
 * touched), network and entity expansion stay off, and any DOCTYPE stops the parser at once.
 * AWS never sends a DOCTYPE, so refusing all of them (rather than only those declaring
 * entities) costs nothing and closes billion-laughs and external-entity attacks before a single
 * declaration is read. Nodes handed out are libxml2 nodes behind an opaque type.
 */
#include "sps_aws_xml.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <string.h>

/* Deeper than any AWS response (DescribeInstances nests about 10 levels); bounds tree walks. */
#define SPS_XML_MAX_DEPTH 64

struct sps_xml_doc {
    xmlDocPtr doc;
    xmlChar **texts; /* text contents handed out by sps_xml_text, freed with the document */
    size_t text_count;
    size_t text_cap;
};

/* What the parse-time callbacks learned; reached through the parser context's _private. */
struct s_parse_state {
    bool doctype_seen;
    char first_error[160];
};

static const xmlNode *s_node(const struct sps_xml_node *node)
{
    return (const xmlNode *)(const void *)node;
}

static const struct sps_xml_node *s_wrap(const xmlNode *node)
{
    return (const struct sps_xml_node *)(const void *)node;
}

/* Keeps the first error's kind and line. Only the text before the first ':' or newline is kept:
 * libxml2 appends document bytes to some messages ("Bytes: 0x.."), and a response may carry
 * credentials (STS), which must never reach a log. */
static void s_record_error(struct s_parse_state *state, const xmlError *error)
{
    if (state->first_error[0] != '\0' || error->message == NULL)
        return;
    size_t len = strcspn(error->message, ":\n");
    if (len > 120)
        len = 120; /* fits first_error with the line prefix */
    (void)snprintf(state->first_error, sizeof(state->first_error), "line %d: %.*s", error->line,
                   (int)len, error->message);
}

/* Structured handler: receives every parser error instead of stderr. */
static void s_on_error(void *user_data, xmlErrorPtr error)
{
    xmlParserCtxtPtr ctxt = user_data;
    if (ctxt == NULL || ctxt->_private == NULL || error == NULL)
        return;
    s_record_error(ctxt->_private, error);
}

/* Called when `<!DOCTYPE name ...` has been read, before any internal-subset declaration. */
static void s_on_doctype(void *user_data, const xmlChar *name, const xmlChar *external_id,
                         const xmlChar *system_id)
{
    (void)name;
    (void)external_id;
    (void)system_id;
    xmlParserCtxtPtr ctxt = user_data;
    struct s_parse_state *state = ctxt->_private;
    state->doctype_seen = true;
    xmlStopParser(ctxt);
}

static const xmlNode *s_next_element(const xmlNode *n)
{
    while (n != NULL && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

/* Depth of the element tree, walked without recursion (libxml2 itself stops at 256). */
static bool s_depth_ok(const xmlNode *root)
{
    const xmlNode *n = root;
    int depth = 1;
    for (;;) {
        const xmlNode *child = s_next_element(n->children);
        if (child != NULL) {
            n = child;
            if (++depth > SPS_XML_MAX_DEPTH)
                return false;
            continue;
        }
        for (;;) {
            if (n == root)
                return true;
            const xmlNode *sibling = s_next_element(n->next);
            if (sibling != NULL) {
                n = sibling;
                break;
            }
            n = n->parent;
            depth--;
        }
    }
}

static sps_err s_reject(const char *reason, const char *detail, sps_err err)
{
    sps_log(SPS_LOG_DEBUG, "XML document rejected", "reason", reason, "detail", detail, NULL);
    return err;
}

static sps_err s_read(xmlDocPtr *out, const char *data, size_t len)
{
    struct s_parse_state state = {0};
    xmlParserCtxtPtr ctxt = xmlCreateMemoryParserCtxt(data, (int)len);
    if (ctxt == NULL)
        return s_reject("libxml2 could not create a parser", "", SPS_ERR_XML_MALFORMED);
    /* Never XML_PARSE_NOENT, DTDLOAD, DTDATTR or DTDVALID: entities stay unexpanded and no
     * external file or URL is ever opened. */
    (void)xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
                                      XML_PARSE_NOWARNING);
    ctxt->_private = &state;
    ctxt->sax->serror = s_on_error;
    ctxt->sax->internalSubset = s_on_doctype;
    ctxt->sax->initialized = XML_SAX2_MAGIC;
    (void)xmlParseDocument(ctxt);
    xmlDocPtr doc = ctxt->myDoc;
    ctxt->myDoc = NULL;
    bool well_formed = ctxt->wellFormed != 0;
    xmlFreeParserCtxt(ctxt);
    sps_err err = SPS_OK;
    if (state.doctype_seen)
        err = s_reject("a DOCTYPE is not allowed in an AWS response (entity attacks)", "",
                       SPS_ERR_XML_MALFORMED);
    else if (doc == NULL || !well_formed || xmlDocGetRootElement(doc) == NULL)
        err = s_reject("not well-formed (malformed or truncated)", state.first_error,
                       SPS_ERR_XML_MALFORMED);
    else if (!s_depth_ok(xmlDocGetRootElement(doc)))
        err = s_reject("elements nested too deeply", "", SPS_ERR_XML_MALFORMED);
    if (err != SPS_OK) {
        xmlFreeDoc(doc);
        return err;
    }
    *out = doc;
    return SPS_OK;
}

sps_err sps_xml_parse(struct sps_xml_doc **out, const char *data, size_t len)
{
    *out = NULL;
    if (len > SPS_XML_MAX_BYTES)
        return s_reject("document exceeds SPS_XML_MAX_BYTES", "", SPS_ERR_XML_TOO_LARGE);
    if (data == NULL || len == 0)
        return s_reject("empty document", "", SPS_ERR_XML_MALFORMED);
    xmlDocPtr doc = NULL;
    SPS_TRY(s_read(&doc, data, len));
    struct sps_xml_doc *d = sps_calloc(1, sizeof(*d));
    d->doc = doc;
    doc->_private = d;
    *out = d;
    return SPS_OK;
}

void sps_xml_doc_destroy(struct sps_xml_doc *doc)
{
    if (doc == NULL)
        return;
    for (size_t i = 0; i < doc->text_count; i++)
        xmlFree(doc->texts[i]);
    sps_free(doc->texts);
    xmlFreeDoc(doc->doc);
    sps_free(doc);
}

const struct sps_xml_node *sps_xml_root(const struct sps_xml_doc *doc)
{
    return doc == NULL ? NULL : s_wrap(xmlDocGetRootElement(doc->doc));
}

const char *sps_xml_name(const struct sps_xml_node *node)
{
    return node == NULL ? NULL : (const char *)s_node(node)->name;
}

static bool s_matches(const xmlNode *n, const char *name, size_t name_len)
{
    if (n->type != XML_ELEMENT_NODE)
        return false;
    if (name == NULL)
        return true;
    const char *local = (const char *)n->name;
    return strncmp(local, name, name_len) == 0 && local[name_len] == '\0';
}

static const xmlNode *s_first_from(const xmlNode *n, const char *name, size_t name_len)
{
    for (; n != NULL; n = n->next) {
        if (s_matches(n, name, name_len))
            return n;
    }
    return NULL;
}

const struct sps_xml_node *sps_xml_child(const struct sps_xml_node *node, const char *name)
{
    if (node == NULL)
        return NULL;
    return s_wrap(s_first_from(s_node(node)->children, name, name ? strlen(name) : 0));
}

const struct sps_xml_node *sps_xml_next(const struct sps_xml_node *node, const char *name)
{
    if (node == NULL)
        return NULL;
    return s_wrap(s_first_from(s_node(node)->next, name, name ? strlen(name) : 0));
}

const struct sps_xml_node *sps_xml_path(const struct sps_xml_node *node, const char *path)
{
    if (node == NULL || path == NULL)
        return NULL;
    const xmlNode *cur = s_node(node);
    const char *p = path;
    while (cur != NULL && *p != '\0') {
        const char *slash = strchr(p, '/');
        size_t seg_len = slash ? (size_t)(slash - p) : strlen(p);
        if (seg_len == 0)
            return NULL; /* "a//b" or a leading slash names nothing */
        cur = s_first_from(cur->children, p, seg_len);
        p += seg_len;
        if (*p == '/' && *++p == '\0')
            return NULL; /* trailing slash */
    }
    return s_wrap(cur);
}

static void s_remember(struct sps_xml_doc *d, xmlChar *text)
{
    if (d->text_count == d->text_cap) {
        d->text_cap = d->text_cap ? d->text_cap * 2 : 16;
        d->texts = sps_realloc(d->texts, d->text_cap * sizeof(*d->texts));
    }
    d->texts[d->text_count++] = text;
}

const char *sps_xml_text(const struct sps_xml_node *node)
{
    if (node == NULL)
        return "";
    /* The API is const for callers; the cache in _private is invisible to them. */
    xmlNode *n = (xmlNode *)(uintptr_t)s_node(node);
    if (n->_private != NULL)
        return n->_private;
    struct sps_xml_doc *d = n->doc ? n->doc->_private : NULL;
    xmlChar *text = xmlNodeGetContent(n);
    if (text == NULL || d == NULL) {
        xmlFree(text);
        return "";
    }
    s_remember(d, text);
    n->_private = text;
    return (const char *)text;
}

const char *sps_xml_path_text(const struct sps_xml_node *node, const char *path)
{
    const struct sps_xml_node *found = sps_xml_path(node, path);
    return found == NULL ? NULL : sps_xml_text(found);
}

static sps_err s_path_cursor(const struct sps_xml_node *node, const char *path,
                             struct sps_cursor *out)
{
    const char *text = sps_xml_path_text(node, path);
    if (text == NULL)
        return SPS_ERR_MISSING_FIELD;
    *out = sps_cursor_trim(sps_cursor_from_str(text));
    return SPS_OK;
}

sps_err sps_xml_path_i64(const struct sps_xml_node *node, const char *path, int64_t *out)
{
    struct sps_cursor c;
    SPS_TRY(s_path_cursor(node, path, &c));
    return sps_cursor_to_i64(c, out);
}

sps_err sps_xml_path_double(const struct sps_xml_node *node, const char *path, double *out)
{
    struct sps_cursor c;
    SPS_TRY(s_path_cursor(node, path, &c));
    return sps_cursor_to_double(c, out);
}

sps_err sps_xml_path_bool(const struct sps_xml_node *node, const char *path, bool *out)
{
    struct sps_cursor c;
    SPS_TRY(s_path_cursor(node, path, &c));
    /* xsd:boolean as AWS writes it; "1"/"0" never appear in Query responses. */
    if (sps_cursor_eq_str(c, "true"))
        *out = true;
    else if (sps_cursor_eq_str(c, "false"))
        *out = false;
    else
        return SPS_ERR_UNEXPECTED_RESPONSE;
    return SPS_OK;
}

sps_err sps_xml_path_time(const struct sps_xml_node *node, const char *path, int64_t *epoch_ms)
{
    struct sps_cursor c;
    SPS_TRY(s_path_cursor(node, path, &c));
    return sps_time_parse_iso8601(c, epoch_ms);
}
