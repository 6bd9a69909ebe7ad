/* The safe XML reader: navigation over real EC2 responses, typed readers, and every way a
 * document is refused (malformed, truncated, too large, too deep, DOCTYPE/entity attacks). */
#include "sps_aws_xml.h"
#include "sps_test.h"

#include <stdio.h>
#include <unistd.h>

static struct sps_xml_doc *s_parse_str(const char *text)
{
    struct sps_xml_doc *doc = NULL;
    SPS_CHECK_OK(sps_xml_parse(&doc, text, strlen(text)));
    SPS_CHECK(doc != NULL);
    return doc;
}

static sps_err s_try_parse(const char *text, size_t len)
{
    struct sps_xml_doc *doc = (struct sps_xml_doc *)&doc; /* must be reset to NULL on failure */
    sps_err err = sps_xml_parse(&doc, text, len);
    if (err != SPS_OK)
        SPS_CHECK(doc == NULL);
    sps_xml_doc_destroy(doc);
    return err;
}

static void test_xml_describe_instances_navigation(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    sps_test_read_fixture(&b, "xml/DescribeInstances.xml");
    struct sps_xml_doc *doc = NULL;
    SPS_CHECK_OK(sps_xml_parse(&doc, b.data, b.len));
    const struct sps_xml_node *root = sps_xml_root(doc);
    SPS_CHECK_STR_EQ(sps_xml_name(root), "DescribeInstancesResponse");
    SPS_CHECK_STR_EQ(sps_xml_path_text(root, "requestId"), "ec0d2a7d-5080-4f4b-9b02-cb0d5d2d4274");

    const char *expected_ids[] = {"i-4382922a", "i-8474834a"};
    size_t n = 0;
    for (const struct sps_xml_node *r = sps_xml_path(root, "reservationSet/item"); r != NULL;
         r = sps_xml_next(r, "item")) {
        for (const struct sps_xml_node *i = sps_xml_path(r, "instancesSet/item"); i != NULL;
             i = sps_xml_next(i, "item")) {
            SPS_CHECK(n < 2);
            SPS_CHECK_STR_EQ(sps_xml_path_text(i, "instanceId"), expected_ids[n]);
            SPS_CHECK_STR_EQ(sps_xml_path_text(i, "instanceState/name"), "stopped");
            int64_t code = 0;
            SPS_CHECK_OK(sps_xml_path_i64(i, "instanceState/code", &code));
            SPS_CHECK_INT_EQ(code, 80);
            bool ebs = true;
            SPS_CHECK_OK(sps_xml_path_bool(i, "ebsOptimized", &ebs));
            SPS_CHECK(!ebs);
            n++;
        }
    }
    SPS_CHECK_INT_EQ(n, 2);

    const struct sps_xml_node *first = sps_xml_path(root, "reservationSet/item/instancesSet/item");
    int64_t launch = 0;
    SPS_CHECK_OK(sps_xml_path_time(first, "launchTime", &launch));
    SPS_CHECK_INT_EQ(launch, 1385985491000LL);
    /* Empty elements read as "", absent ones as NULL. */
    SPS_CHECK_STR_EQ(sps_xml_path_text(first, "privateDnsName"), "");
    SPS_CHECK(sps_xml_path_text(first, "noSuchElement") == NULL);
    /* Text is cached: the same pointer comes back. */
    const struct sps_xml_node *id = sps_xml_child(first, "instanceId");
    SPS_CHECK(sps_xml_text(id) == sps_xml_text(id));
    /* NULL name matches any element; the first child of the root is requestId. */
    SPS_CHECK_STR_EQ(sps_xml_name(sps_xml_child(root, NULL)), "requestId");
    SPS_CHECK_STR_EQ(sps_xml_name(sps_xml_next(sps_xml_child(root, NULL), NULL)), "reservationSet");
    sps_xml_doc_destroy(doc);
    sps_buf_clean_up(&b);
}

static void test_xml_other_fixtures_parse(void)
{
    const char *files[] = {"xml/RunInstances.xml", "xml/RunInstances.spot.xml",
                           "xml/TerminateInstances.xml"};
    for (size_t f = 0; f < 3; f++) {
        struct sps_buf b;
        sps_buf_init(&b, 0);
        sps_test_read_fixture(&b, files[f]);
        struct sps_xml_doc *doc = NULL;
        SPS_CHECK_OK(sps_xml_parse(&doc, b.data, b.len));
        SPS_CHECK(sps_xml_path(sps_xml_root(doc), "instancesSet/item/instanceId") != NULL);
        sps_xml_doc_destroy(doc);
        sps_buf_clean_up(&b);
    }
    struct sps_buf b;
    sps_buf_init(&b, 0);
    sps_test_read_fixture(&b, "xml/RunInstances.spot.xml");
    struct sps_xml_doc *doc = NULL;
    SPS_CHECK_OK(sps_xml_parse(&doc, b.data, b.len));
    SPS_CHECK_STR_EQ(sps_xml_path_text(sps_xml_root(doc), "instancesSet/item/instanceLifecycle"),
                     "spot");
    bool enabled = false;
    SPS_CHECK_OK(
        sps_xml_path_bool(sps_xml_root(doc), "instancesSet/item/monitoring/enabled", &enabled));
    SPS_CHECK(enabled);
    sps_xml_doc_destroy(doc);
    sps_buf_clean_up(&b);
}

static void test_xml_namespaces_ignored_and_cdata_merged(void)
{
    struct sps_xml_doc *doc = s_parse_str(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<a:Resp xmlns:a=\"urn:a\" xmlns=\"urn:default\"><a:Result><Name><![CDATA[x<y]]>&amp;z"
        "</Name><Utf>caf\xc3\xa9</Utf></a:Result></a:Resp>");
    const struct sps_xml_node *root = sps_xml_root(doc);
    SPS_CHECK_STR_EQ(sps_xml_name(root), "Resp");
    SPS_CHECK_STR_EQ(sps_xml_path_text(root, "Result/Name"), "x<y&z");
    SPS_CHECK_STR_EQ(sps_xml_path_text(root, "Result/Utf"), "caf\xc3\xa9");
    sps_xml_doc_destroy(doc);
}

static void test_xml_path_edge_cases(void)
{
    struct sps_xml_doc *doc = s_parse_str("<r><a><b>1</b></a><a><c>2</c></a></r>");
    const struct sps_xml_node *root = sps_xml_root(doc);
    /* The path follows the first match at each level, as documented. */
    SPS_CHECK(sps_xml_path(root, "a/c") == NULL);
    SPS_CHECK_STR_EQ(sps_xml_path_text(sps_xml_next(sps_xml_child(root, "a"), "a"), "c"), "2");
    SPS_CHECK(sps_xml_path(root, "a//b") == NULL);
    SPS_CHECK(sps_xml_path(root, "/a") == NULL);
    SPS_CHECK(sps_xml_path(root, "a/") == NULL);
    SPS_CHECK(sps_xml_path(root, "") == root);
    SPS_CHECK(sps_xml_path(root, NULL) == NULL);
    SPS_CHECK(sps_xml_path(NULL, "a") == NULL);
    SPS_CHECK(sps_xml_child(NULL, "a") == NULL);
    SPS_CHECK(sps_xml_next(NULL, "a") == NULL);
    SPS_CHECK(sps_xml_name(NULL) == NULL);
    SPS_CHECK(sps_xml_root(NULL) == NULL);
    SPS_CHECK_STR_EQ(sps_xml_text(NULL), "");
    /* A prefix of a name is not the name. */
    SPS_CHECK(sps_xml_child(root, "") == NULL);
    SPS_CHECK(sps_xml_path(root, "ab") == NULL);
    SPS_CHECK_STR_EQ(sps_xml_text(sps_xml_child(root, "a")), "1");
    sps_xml_doc_destroy(doc);
    sps_xml_doc_destroy(NULL);
}

static void test_xml_typed_readers_reject_bad_values(void)
{
    struct sps_xml_doc *doc =
        s_parse_str("<r><i>-42</i><big>9223372036854775808</big><word>12a</word><empty/>"
                    "<d>0.0961</d><inf>inf</inf><t>true</t><f>false</f><yes>yes</yes><one>1</one>"
                    "<ts>2026-11-24T05:37:51.123Z</ts><badts>2026-13-24T05:37:51Z</badts>"
                    "<pad> 7 </pad></r>");
    const struct sps_xml_node *r = sps_xml_root(doc);
    int64_t i = 0;
    double d = 0;
    bool b = false;
    SPS_CHECK_OK(sps_xml_path_i64(r, "i", &i));
    SPS_CHECK_INT_EQ(i, -42);
    SPS_CHECK_OK(sps_xml_path_i64(r, "pad", &i));
    SPS_CHECK_INT_EQ(i, 7);
    SPS_CHECK_ERR(sps_xml_path_i64(r, "big", &i), SPS_ERR_PARSE_NUMBER);
    SPS_CHECK_ERR(sps_xml_path_i64(r, "word", &i), SPS_ERR_PARSE_NUMBER);
    SPS_CHECK_ERR(sps_xml_path_i64(r, "empty", &i), SPS_ERR_PARSE_NUMBER);
    SPS_CHECK_ERR(sps_xml_path_i64(r, "missing", &i), SPS_ERR_MISSING_FIELD);
    SPS_CHECK_OK(sps_xml_path_double(r, "d", &d));
    SPS_CHECK(d > 0.0960 && d < 0.0962);
    SPS_CHECK_ERR(sps_xml_path_double(r, "inf", &d), SPS_ERR_PARSE_NUMBER);
    SPS_CHECK_ERR(sps_xml_path_double(r, "word", &d), SPS_ERR_PARSE_NUMBER);
    SPS_CHECK_ERR(sps_xml_path_double(r, "missing", &d), SPS_ERR_MISSING_FIELD);
    SPS_CHECK_OK(sps_xml_path_bool(r, "t", &b));
    SPS_CHECK(b);
    SPS_CHECK_OK(sps_xml_path_bool(r, "f", &b));
    SPS_CHECK(!b);
    SPS_CHECK_ERR(sps_xml_path_bool(r, "yes", &b), SPS_ERR_UNEXPECTED_RESPONSE);
    SPS_CHECK_ERR(sps_xml_path_bool(r, "one", &b), SPS_ERR_UNEXPECTED_RESPONSE);
    SPS_CHECK_ERR(sps_xml_path_bool(r, "empty", &b), SPS_ERR_UNEXPECTED_RESPONSE);
    SPS_CHECK_ERR(sps_xml_path_bool(r, "missing", &b), SPS_ERR_MISSING_FIELD);
    SPS_CHECK_OK(sps_xml_path_time(r, "ts", &i));
    SPS_CHECK_INT_EQ(i, 1795498671123LL);
    SPS_CHECK_ERR(sps_xml_path_time(r, "badts", &i), SPS_ERR_PARSE_TIME);
    SPS_CHECK_ERR(sps_xml_path_time(r, "word", &i), SPS_ERR_PARSE_TIME);
    SPS_CHECK_ERR(sps_xml_path_time(r, "missing", &i), SPS_ERR_MISSING_FIELD);
    sps_xml_doc_destroy(doc);
}

static void test_xml_malformed_documents_fail(void)
{
    const char *bad[] = {
        "",
        "   ",
        "not xml at all",
        "<a>",
        "<a></b>",
        "<a><b></a></b>",
        "<a></a><b></b>",          /* two roots */
        "<a></a>trailing",         /* junk after the root */
        "<a x=1></a>",             /* unquoted attribute */
        "<a>&undefined;</a>",      /* undeclared entity */
        "<a>\xff\xfe</a>",         /* not UTF-8 */
        "<?xml version=\"1.0\"?>", /* no root */
        "<a>\x01</a>",             /* forbidden control character */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (s_try_parse(bad[i], strlen(bad[i])) != SPS_ERR_XML_MALFORMED)
            sps_test_fail(__FILE__, __LINE__, "accepted malformed document #%zu", i);
    }
    SPS_CHECK_ERR(s_try_parse(NULL, 0), SPS_ERR_XML_MALFORMED);
    /* An embedded NUL ends nothing: the whole length is parsed, and NUL is not XML. */
    SPS_CHECK_ERR(s_try_parse("<a>x\0y</a>", 10), SPS_ERR_XML_MALFORMED);
}

/* Every prefix of a real response either fails cleanly or, once the root element is closed
 * (only trailing white space missing), parses. */
static void test_xml_every_truncation_fails_cleanly(void)
{
    const char *files[] = {"xml/DescribeInstances.xml", "xml/TerminateInstances.xml"};
    for (size_t f = 0; f < 2; f++) {
        struct sps_buf b;
        sps_buf_init(&b, 0);
        sps_test_read_fixture(&b, files[f]);
        const char *end = b.data + b.len;
        while (end > b.data && end[-1] != '>')
            end--;
        size_t complete = (size_t)(end - b.data);
        SPS_CHECK(complete > 0);
        for (size_t len = 0; len < b.len; len++) {
            sps_err err = s_try_parse(b.data, len);
            sps_err want = len < complete ? SPS_ERR_XML_MALFORMED : SPS_OK;
            if (err != want)
                sps_test_fail(__FILE__, __LINE__, "%s cut at %zu/%zu: got %s", files[f], len, b.len,
                              sps_error_name(err));
        }
        sps_buf_clean_up(&b);
    }
}

static void test_xml_too_large(void)
{
    /* The size check comes before any byte is read, so the buffer need not hold XML. */
    size_t len = SPS_XML_MAX_BYTES + 1;
    char *big = sps_malloc(len);
    memset(big, ' ', len);
    big[0] = '<';
    SPS_CHECK_ERR(s_try_parse(big, len), SPS_ERR_XML_TOO_LARGE);
    sps_free(big);
}

static void s_nested(struct sps_buf *b, int depth)
{
    sps_buf_reset(b);
    for (int i = 0; i < depth; i++)
        (void)sps_buf_append_str(b, "<e>");
    for (int i = 0; i < depth; i++)
        (void)sps_buf_append_str(b, "</e>");
    SPS_CHECK_OK(b->err);
}

static void test_xml_depth_limit(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    s_nested(&b, 64);
    SPS_CHECK_OK(s_try_parse(b.data, b.len));
    s_nested(&b, 65);
    SPS_CHECK_ERR(s_try_parse(b.data, b.len), SPS_ERR_XML_MALFORMED);
    /* Far deeper than libxml2's own limit: refused, no stack exhaustion. */
    s_nested(&b, 100000);
    SPS_CHECK_ERR(s_try_parse(b.data, b.len), SPS_ERR_XML_MALFORMED);
    /* Deep but wide siblings at the limit stay fine (the walk climbs back correctly). */
    sps_buf_reset(&b);
    (void)sps_buf_append_str(&b, "<r>");
    for (int i = 0; i < 50; i++)
        (void)sps_buf_append_str(&b, "<x><y><z>t</z></y>text</x>");
    (void)sps_buf_append_str(&b, "</r>");
    SPS_CHECK_OK(s_try_parse(b.data, b.len));
    sps_buf_clean_up(&b);
}

static void test_xml_billion_laughs_refused(void)
{
    const char *doc =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE lolz [\n"
        " <!ENTITY lol \"lol\">\n"
        " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n"
        "<lolz>&lol9;</lolz>\n";
    SPS_CHECK_ERR(s_try_parse(doc, strlen(doc)), SPS_ERR_XML_MALFORMED);
}

static void test_xml_external_entity_not_expanded(void)
{
    const char *docs[] = {
        "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
        "<r>&x;</r>",
        "<!DOCTYPE r SYSTEM \"file:///etc/passwd\"><r/>",
        "<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://169.254.169.254/\"> %p;]><r/>",
        "<!DOCTYPE r><r/>", /* even a harmless DOCTYPE: AWS never sends one */
    };
    for (size_t i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        if (s_try_parse(docs[i], strlen(docs[i])) != SPS_ERR_XML_MALFORMED)
            sps_test_fail(__FILE__, __LINE__, "accepted DOCTYPE document #%zu", i);
    }
}

/* libxml2 prints parse errors to stderr by default; ours must stay silent. */
static void test_xml_errors_not_printed(void)
{
    sps_log_set_level(SPS_LOG_INFO); /* our own rejection notes are debug-level */
    FILE *capture = tmpfile();
    SPS_CHECK(capture != NULL);
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    SPS_CHECK(saved >= 0);
    SPS_CHECK(dup2(fileno(capture), STDERR_FILENO) >= 0);
    const char *docs[] = {"<a><b></a>", "<a>&nope;</a>",
                          "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>"};
    sps_err e1 = s_try_parse(docs[0], strlen(docs[0]));
    sps_err e2 = s_try_parse(docs[1], strlen(docs[1]));
    sps_err e3 = s_try_parse(docs[2], strlen(docs[2]));
    fflush(stderr);
    SPS_CHECK(dup2(saved, STDERR_FILENO) >= 0);
    close(saved);
    fseek(capture, 0, SEEK_END);
    long written = ftell(capture);
    fclose(capture);
    SPS_CHECK_ERR(e1, SPS_ERR_XML_MALFORMED);
    SPS_CHECK_ERR(e2, SPS_ERR_XML_MALFORMED);
    SPS_CHECK_ERR(e3, SPS_ERR_XML_MALFORMED);
    SPS_CHECK_INT_EQ(written, 0);
}

/* The DOCTYPE stops the parser before any declaration is read, so even a huge expansion chain
 * costs nothing. */
static void test_xml_billion_laughs_fails_fast(void)
{
    struct sps_buf b;
    sps_buf_init(&b, 0);
    (void)sps_buf_append_str(&b, "<!DOCTYPE r [<!ENTITY e0 \"xxxxxxxxxxxxxxxxxxxxxxxx\">");
    for (int i = 1; i < 40; i++) {
        (void)sps_buf_printf(&b, "<!ENTITY e%d \"", i);
        for (int j = 0; j < 16; j++)
            (void)sps_buf_printf(&b, "&e%d;", i - 1);
        (void)sps_buf_append_str(&b, "\">");
    }
    (void)sps_buf_append_str(&b, "]><r>&e39;&e39;&e39;</r>");
    SPS_CHECK_OK(b.err);
    const struct sps_clock *clock = sps_clock_system();
    int64_t start = clock->mono_ms(clock->ctx);
    for (int i = 0; i < 100; i++)
        SPS_CHECK_ERR(s_try_parse(b.data, b.len), SPS_ERR_XML_MALFORMED);
    SPS_CHECK(clock->mono_ms(clock->ctx) - start < 2000);
    sps_buf_clean_up(&b);
}

static void s_sink_write(void *ctx, const char *line, size_t len)
{
    (void)sps_buf_append(ctx, line, len);
}

/* A refusal is explained in the debug log, without echoing document bytes (a truncated STS
 * response carries credentials). */
static void test_xml_rejection_reason_logged_without_content(void)
{
    struct sps_buf logged;
    sps_buf_init(&logged, 0);
    struct sps_log_sink sink = {s_sink_write, &logged};
    sps_log_set_sink(&sink);
    sps_log_set_level(SPS_LOG_DEBUG);
    const char *bad_utf8 = "<a>\xff\xfeSECRET</a>";
    SPS_CHECK_ERR(s_try_parse(bad_utf8, strlen(bad_utf8)), SPS_ERR_XML_MALFORMED);
    SPS_CHECK(strstr(logged.data, "not well-formed") != NULL);
    SPS_CHECK(strstr(logged.data, "line 1: Input is not proper UTF-8") != NULL);
    SPS_CHECK(strstr(logged.data, "0xFF") == NULL);
    SPS_CHECK(strstr(logged.data, "SECRET") == NULL);
    sps_buf_reset(&logged);
    const char *doctype = "<!DOCTYPE r [<!ENTITY x \"y\">]><r/>";
    SPS_CHECK_ERR(s_try_parse(doctype, strlen(doctype)), SPS_ERR_XML_MALFORMED);
    SPS_CHECK(strstr(logged.data, "DOCTYPE is not allowed") != NULL);
    sps_buf_reset(&logged);
    struct sps_buf deep;
    sps_buf_init(&deep, 0);
    s_nested(&deep, 70);
    SPS_CHECK_ERR(s_try_parse(deep.data, deep.len), SPS_ERR_XML_MALFORMED);
    SPS_CHECK(strstr(logged.data, "nested too deeply") != NULL);
    sps_log_set_level(SPS_LOG_INFO);
    sps_log_set_sink(NULL);
    sps_buf_clean_up(&deep);
    sps_buf_clean_up(&logged);
}

SPS_TEST_MAIN(SPS_CASE(test_xml_rejection_reason_logged_without_content),
              SPS_CASE(test_xml_errors_not_printed), SPS_CASE(test_xml_billion_laughs_fails_fast),
              SPS_CASE(test_xml_describe_instances_navigation),
              SPS_CASE(test_xml_other_fixtures_parse),
              SPS_CASE(test_xml_namespaces_ignored_and_cdata_merged),
              SPS_CASE(test_xml_path_edge_cases),
              SPS_CASE(test_xml_typed_readers_reject_bad_values),
              SPS_CASE(test_xml_malformed_documents_fail),
              SPS_CASE(test_xml_every_truncation_fails_cleanly), SPS_CASE(test_xml_too_large),
              SPS_CASE(test_xml_depth_limit), SPS_CASE(test_xml_billion_laughs_refused),
              SPS_CASE(test_xml_external_entity_not_expanded))
