/* Fuzz target: the XML reader (sps_xml_parse) and a walk over the whole tree with every
 * accessor and typed reader, each child read as a number, a boolean and a time. */
#include "fuzz_common.h"

static void s_walk(const struct sps_xml_node *node, int depth)
{
    for (const struct sps_xml_node *c = sps_xml_child(node, NULL); c != NULL;
         c = sps_xml_next(c, NULL)) {
        const char *name = sps_xml_name(c);
        const char *text = sps_xml_text(c);
        if (name == NULL || text == NULL)
            abort(); /* the header promises a name and "" for empty text */
        int64_t i = 0, t = 0;
        double d = 0;
        bool b = false;
        SPS_FUZZ_IGNORE(sps_xml_path_i64(node, name, &i));
        SPS_FUZZ_IGNORE(sps_xml_path_double(node, name, &d));
        SPS_FUZZ_IGNORE(sps_xml_path_bool(node, name, &b));
        SPS_FUZZ_IGNORE(sps_xml_path_time(node, name, &t));
        SPS_FUZZ_IGNORE(sps_xml_path_text(node, name));
        SPS_FUZZ_IGNORE(sps_xml_child(node, name));
        SPS_FUZZ_IGNORE(sps_xml_next(c, name));
        if (depth < 100)
            s_walk(c, depth + 1);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = sps_fuzz_begin();
    struct sps_xml_doc *doc = NULL;
    if (sps_xml_parse(&doc, (const char *)data, size) == SPS_OK) {
        const struct sps_xml_node *root = sps_xml_root(doc);
        if (root == NULL)
            abort();
        SPS_FUZZ_IGNORE(sps_xml_name(root));
        SPS_FUZZ_IGNORE(sps_xml_text(root));
        s_walk(root, 0);
        /* Paths with several steps, empty steps and a trailing slash. */
        static const char *const paths[] = {"reservationSet/item/instancesSet/item",
                                            "a/b", "item//item", "item/", "/", ""};
        for (size_t k = 0; k < sizeof(paths) / sizeof(paths[0]); k++) {
            SPS_FUZZ_IGNORE(sps_xml_path(root, paths[k]));
            SPS_FUZZ_IGNORE(sps_xml_path_text(root, paths[k]));
        }
    }
    sps_xml_doc_destroy(doc);
    sps_fuzz_end(live, "fuzz_xml");
    return 0;
}
