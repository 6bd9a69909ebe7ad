/* Shared by the typed EC2 parser tests: parse a recorded response (optionally after a textual
 * mutation that removes or corrupts one field) with one of the sps_aws_ec2_parse_* functions. */
#ifndef SPS_EC2_TEST_UTIL_H
#define SPS_EC2_TEST_UTIL_H

#include "sps_aws_ec2.h"
#include "sps_test.h"

typedef sps_err (*ec2_parse_fn)(const struct sps_xml_node *result, void *out);

static inline sps_err ec2_parse_text(const char *xml, ec2_parse_fn parse, void *out)
{
    struct sps_xml_doc *doc = NULL;
    sps_err err = sps_xml_parse(&doc, xml, strlen(xml));
    if (err == SPS_OK)
        err = parse(sps_xml_root(doc), out);
    sps_xml_doc_destroy(doc);
    return err;
}

static inline sps_err ec2_parse_fixture(const char *name, ec2_parse_fn parse, void *out)
{
    struct sps_buf buf;
    sps_buf_init(&buf, SPS_BUF_DEFAULT_MAX);
    sps_test_read_fixture(&buf, name);
    sps_err err = ec2_parse_text(buf.data, parse, out);
    sps_buf_clean_up(&buf);
    return err;
}

/* The fixture with the first occurrence of `from` replaced by `to`; `from` must occur. */
static inline sps_err ec2_parse_mutated(const char *name, const char *from, const char *to,
                                        ec2_parse_fn parse, void *out)
{
    struct sps_buf buf, edited;
    sps_buf_init(&buf, SPS_BUF_DEFAULT_MAX);
    sps_buf_init(&edited, SPS_BUF_DEFAULT_MAX);
    sps_test_read_fixture(&buf, name);
    const char *at = strstr(buf.data, from);
    if (at == NULL) {
        sps_buf_clean_up(&buf);
        sps_buf_clean_up(&edited);
        sps_test_fail(__FILE__, __LINE__, "fixture %s lacks \"%s\"", name, from);
    }
    (void)sps_buf_append(&edited, buf.data, (size_t)(at - buf.data));
    (void)sps_buf_append_str(&edited, to);
    (void)sps_buf_append_str(&edited, at + strlen(from));
    sps_err err = ec2_parse_text(edited.data, parse, out);
    sps_buf_clean_up(&buf);
    sps_buf_clean_up(&edited);
    return err;
}

#endif
