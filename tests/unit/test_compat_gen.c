/*
 * The catalog generator (compat/tools/gen_catalog.py), run the way the build runs it: it turns a
 * valid catalog into C tables and refuses bad ones with one clear line and no output file.
 */
#include "sps_test.h"

#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#define GEN_PYTHON "/usr/bin/python3"
#define GEN_SCRIPT SPS_SOURCE_DIR "/compat/tools/gen_catalog.py"

/* Runs the generator on a fixture; returns its exit status, stderr+stdout in `out`. */
static int s_run(const char *fixture, const char *target, struct sps_buf *out)
{
    struct sps_buf cmd;
    sps_buf_init(&cmd, 0);
    SPS_CHECK_OK(sps_buf_printf(&cmd, "'%s' '%s' '%s' '%s' 2>&1", GEN_PYTHON, GEN_SCRIPT,
                                sps_test_fixture(fixture), target));
    FILE *p = popen(cmd.data, "r");
    SPS_CHECK(p != NULL);
    sps_buf_reset(out);
    char chunk[1024];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        SPS_CHECK_OK(sps_buf_append(out, chunk, n));
    int status = pclose(p);
    sps_buf_clean_up(&cmd);
    SPS_CHECK(WIFEXITED(status));
    return WEXITSTATUS(status);
}

static const char *s_target(void)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/test_compat_gen_%ld.c", SPS_BINARY_DIR, (long)getpid());
    return path;
}

static void test_generator_writes_tables_for_a_good_catalog(void)
{
    struct sps_buf out, c;
    sps_buf_init(&out, 0);
    sps_buf_init(&c, 0);
    SPS_CHECK_INT_EQ(s_run("compat/gen-good.json", s_target(), &out), 0);
    SPS_CHECK_STR_EQ(out.data, "");
    SPS_CHECK_OK(sps_file_read(&c, s_target()));
    SPS_CHECK(strstr(c.data, "Do not edit") != NULL);
    SPS_CHECK(strstr(c.data, "const size_t sps_compat_embedded_count_ = 2;") != NULL);
    SPS_CHECK(strstr(c.data, "const size_t sps_compat_region_count_ = 4;") != NULL);
    SPS_CHECK(strstr(c.data, "= \"NVIDIA\";") != NULL);
    SPS_CHECK(strstr(c.data, "= \"A10G\";") != NULL);
    SPS_CHECK(strstr(c.data, ".network = {10000, true, ") != NULL);
    SPS_CHECK(strstr(c.data, ".store = {1, 250, 250, true, true}") != NULL);
    SPS_CHECK(strstr(c.data, "{0, 0.096},") != NULL); /* us-east-1 is region 0 of 4 */
    /* Strings are interned: "Up to 10 Gigabit" is defined once for both types. */
    const char *first = strstr(c.data, "= \"Up to 10 Gigabit\";");
    SPS_CHECK(first != NULL && strstr(first + 1, "= \"Up to 10 Gigabit\";") == NULL);
    SPS_CHECK(strstr(c.data, "g5.xlarge") < strstr(c.data, "\"m5.large\""));
    unlink(s_target());
    sps_buf_clean_up(&c);
    sps_buf_clean_up(&out);
}

static void test_generator_fails_loudly_on_bad_input(void)
{
    static const struct {
        const char *fixture;
        const char *message;
    } cases[] = {
        {"compat/gen-bad-schema.json", "schema is 'ec2-catalog/2', expected 'ec2-catalog/1'"},
        {"compat/gen-truncated.json", "not valid JSON"},
        {"compat/gen-not-object.json", "top level must be a JSON object"},
        {"compat/gen-bad-count.json", "count is 3 but instance_types has 2 entries"},
        {"compat/gen-empty.json", "instance_types is empty"},
        {"compat/gen-bad-region-name.json", "region \"Mars\" is not a region name"},
        {"compat/gen-too-many-regions.json", "68 regions; the region bitset holds 64"},
        {"compat/gen-entry-not-object.json", "instance_types[1]: entry must be a JSON object"},
        {"compat/gen-missing-field.json", "instance_types[1] (m5.large): required field 'vcpu'"},
        {"compat/gen-zero-vcpu.json", "field 'vcpu' = 0 is out of range"},
        {"compat/gen-bad-field-type.json", "field 'memory_mib' must be int"},
        {"compat/gen-bool-as-int.json", "field 'gpus' must be int, got true"},
        {"compat/gen-bad-name.json", "name 'M5 large' is not an instance type name"},
        {"compat/gen-bad-family.json", "family 'm6' does not match the name"},
        {"compat/gen-bad-network.json", "unknown network performance 'Fast'"},
        {"compat/gen-bad-enum.json", "field 'ena' = 'maybe' is not one of"},
        {"compat/gen-bad-hypervisor.json", "field 'hypervisor' = 'kvm' is not one of"},
        {"compat/gen-bad-arch.json", "field 'arch' has unknown value 'sparc'"},
        {"compat/gen-empty-virtualization.json", "field 'virtualization' is empty"},
        {"compat/gen-bad-root-device.json", "field 'root_device' has unknown value 'floppy'"},
        {"compat/gen-non-ascii.json", "outside printable ASCII"},
        {"compat/gen-unsorted.json", "must be sorted by name and unique"},
        {"compat/gen-duplicate.json", "'m5.large' comes after 'm5.large'"},
        {"compat/gen-bad-offer-region.json", "offered_in has 'eu-west-1'"},
        {"compat/gen-bad-price-region.json",
         "price for 'us-west-2', which is not in price_regions"},
        {"compat/gen-zero-price.json", "price for us-east-1 must be a positive number, got 0"},
        {"compat/gen-string-price.json", "must be a positive number, got \"0.096\""},
        {"compat/gen-gpu-without-model.json", "has GPU memory but no gpu_model"},
        {"compat/gen-gpu-model-one-word.json", "gpu_model 'A10G' does not name manufacturer"},
        {"compat/gen-gpu-without-memory.json", "gpus is 1 but gpu_memory_mib is 0"},
        {"compat/gen-model-without-gpu.json", "gpu_model 'NVIDIA T4' set but the type has no GPU"},
        {"compat/gen-bad-store.json", "instance_store: required field 'size_gb' is missing"},
        {"compat/gen-store-not-object.json", "'instance_store' must be an object or null"},
        {"compat/gen-store-missing.json", "required field 'instance_store' is missing"},
        {"compat/gen-store-total-too-small.json", "total_gb 1 is less than size_gb 250"},
        {"compat/gen-store-bad-type.json", "field 'type' = 'tape' is not one of"},
        {"compat/no-such-file.json", "cannot read"},
    };
    struct sps_buf out;
    sps_buf_init(&out, 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unlink(s_target());
        int rc = s_run(cases[i].fixture, s_target(), &out);
        if (rc != 1 || strstr(out.data, cases[i].message) == NULL ||
            strncmp(out.data, "gen_catalog.py: ", 16) != 0)
            sps_test_fail(__FILE__, __LINE__, "%s: exit %d, output \"%s\", expected \"%s\"",
                          cases[i].fixture, rc, out.data, cases[i].message);
        SPS_CHECK(access(s_target(), F_OK) != 0); /* no partial output */
    }
    sps_buf_clean_up(&out);
}

static void test_generator_usage(void)
{
    struct sps_buf cmd, out;
    sps_buf_init(&cmd, 0);
    sps_buf_init(&out, 0);
    SPS_CHECK_OK(sps_buf_printf(&cmd, "'%s' '%s' 2>&1", GEN_PYTHON, GEN_SCRIPT));
    FILE *p = popen(cmd.data, "r");
    SPS_CHECK(p != NULL);
    char chunk[256];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        SPS_CHECK_OK(sps_buf_append(&out, chunk, n));
    int status = pclose(p);
    SPS_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 2);
    SPS_CHECK(strstr(out.data, "usage: gen_catalog.py INPUT.json OUTPUT.c") != NULL);
    sps_buf_clean_up(&out);
    sps_buf_clean_up(&cmd);
}

SPS_TEST_MAIN(SPS_CASE(test_generator_writes_tables_for_a_good_catalog),
              SPS_CASE(test_generator_fails_loudly_on_bad_input), SPS_CASE(test_generator_usage))
