/* Test helpers for the Auto Scaling parser tests: load a recorded response, run a parser on its
 * result node, and derive broken variants (an element removed, an element's text replaced). */
#ifndef SPS_TEST_AUTOSCALING_FIXTURE_H
#define SPS_TEST_AUTOSCALING_FIXTURE_H

#include "sps_aws_autoscaling.h"
#include "sps_test.h"

typedef sps_err (*asg_parse_fn)(const struct sps_xml_node *result, void *out);

/* Parses the document and runs `parse` on its <ActionResult> (the root's first element). */
static inline sps_err asg_parse_text(const char *xml, asg_parse_fn parse, void *out)
{
    struct sps_xml_doc *doc = NULL;
    sps_err err = sps_xml_parse(&doc, xml, strlen(xml));
    if (err == SPS_OK)
        err = parse(sps_xml_child(sps_xml_root(doc), NULL), out);
    sps_xml_doc_destroy(doc);
    return err;
}

/* The fixture tests/fixtures/autoscaling/<name> as a string (free with sps_free). */
static inline char *asg_fixture(const char *name)
{
    char path[256];
    snprintf(path, sizeof(path), "autoscaling/%s", name);
    struct sps_buf buf;
    sps_buf_init(&buf, SPS_BUF_DEFAULT_MAX);
    sps_test_read_fixture(&buf, path);
    return sps_buf_take(&buf);
}

static inline sps_err asg_parse_fixture(const char *name, asg_parse_fn parse, void *out)
{
    char *xml = asg_fixture(name);
    sps_err err = asg_parse_text(xml, parse, out);
    sps_free(xml);
    return err;
}

/* Where the first <name>...</name> starts and ends (past the close tag); fails the test when the
 * document has no such element. */
static inline void asg_find(const char *xml, const char *name, size_t *start, size_t *end,
                            size_t *text_start, size_t *text_end)
{
    char open[128], close[128];
    snprintf(open, sizeof(open), "<%s>", name);
    snprintf(close, sizeof(close), "</%s>", name);
    const char *o = strstr(xml, open);
    const char *c = o ? strstr(o, close) : NULL;
    if (o == NULL || c == NULL)
        sps_test_fail(__FILE__, __LINE__, "fixture has no <%s> element", name);
    *start = (size_t)(o - xml);
    *text_start = *start + strlen(open);
    *text_end = (size_t)(c - xml);
    *end = *text_end + strlen(close);
}

static inline char *asg_splice(const char *xml, size_t from, size_t to, const char *insert)
{
    struct sps_buf out;
    sps_buf_init(&out, SPS_BUF_DEFAULT_MAX);
    (void)sps_buf_append(&out, xml, from);
    (void)sps_buf_append_str(&out, insert);
    (void)sps_buf_append_str(&out, xml + to);
    return sps_buf_take(&out);
}

/* A copy without the first <name> element. */
static inline char *asg_without(const char *xml, const char *name)
{
    size_t s, e, ts, te;
    asg_find(xml, name, &s, &e, &ts, &te);
    return asg_splice(xml, s, e, "");
}

/* A copy with the text of the first <name> element replaced. */
static inline char *asg_with_text(const char *xml, const char *name, const char *text)
{
    size_t s, e, ts, te;
    asg_find(xml, name, &s, &e, &ts, &te);
    return asg_splice(xml, ts, te, text);
}

/* A copy with `text` inserted just before the first <name> element. */
static inline char *asg_insert_before(const char *xml, const char *name, const char *text)
{
    size_t s, e, ts, te;
    asg_find(xml, name, &s, &e, &ts, &te);
    return asg_splice(xml, s, s, text);
}

/* Parses the fixture with the first <name> removed (text NULL) or its text replaced. */
static inline sps_err asg_parse_variant(const char *fixture, const char *name, const char *text,
                                        asg_parse_fn parse, void *out)
{
    char *xml = asg_fixture(fixture);
    char *variant = text ? asg_with_text(xml, name, text) : asg_without(xml, name);
    sps_err err = asg_parse_text(variant, parse, out);
    sps_free(variant);
    sps_free(xml);
    return err;
}

#endif
