/*
 * Which CA bundle the libcurl transport trusts when AWS_CA_BUNDLE is unset. libcurl looks for
 * the file its distribution compiled in (Debian: /etc/ssl/certs/ca-certificates.crt), and the
 * Lambda zip carries Debian's libcurl onto Amazon Linux 2023, where that file does not exist
 * (its bundle is /etc/pki/tls/certs/ca-bundle.crt). So when the compiled-in file is missing, the
 * first existing of the well-known bundles below is used instead. Verification is never turned
 * off: with none found, HTTPS fails with an error that names every path looked at.
 */
#include "sps_aws_http.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Go's crypto/x509 list (root_linux.go), plus AL2023's second name for its bundle. */
const char *const sps_http_ca_bundle_paths[] = {
    "/etc/ssl/certs/ca-certificates.crt",                /* Debian, Ubuntu, Gentoo, Arch */
    "/etc/pki/tls/certs/ca-bundle.crt",                  /* Amazon Linux 2023, Fedora, RHEL */
    "/etc/ssl/certs/ca-bundle.crt",                      /* Amazon Linux 2023 (a symlink) */
    "/etc/ssl/ca-bundle.pem",                            /* openSUSE */
    "/etc/pki/tls/cacert.pem",                           /* OpenELEC */
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", /* CentOS, RHEL 7 */
    "/etc/ssl/cert.pem",                                 /* Alpine */
    NULL,
};

bool sps_http_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, R_OK) == 0;
}

static void s_note_tried(struct sps_buf *tried, const char *path)
{
    if (tried == NULL)
        return;
    if (tried->len > 0)
        (void)sps_buf_append_str(tried, ", ");
    (void)sps_buf_append_str(tried, path);
}

const char *sps_http_ca_bundle_pick(const char *builtin, sps_http_file_exists_fn exists,
                                    struct sps_buf *tried)
{
    if (exists == NULL)
        exists = sps_http_file_exists;
    if (builtin && builtin[0]) {
        if (exists(builtin))
            return builtin;
        s_note_tried(tried, builtin);
    }
    for (size_t i = 0; sps_http_ca_bundle_paths[i]; i++) {
        const char *path = sps_http_ca_bundle_paths[i];
        if (builtin && strcmp(path, builtin) == 0)
            continue;
        if (exists(path))
            return path;
        s_note_tried(tried, path);
    }
    return NULL;
}
