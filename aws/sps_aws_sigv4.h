/*
 * AWS Signature Version 4, as separate stages so each can be tested against the official suite:
 * canonical request -> string to sign -> signing key -> signature. sps_aws_sigv4_sign runs them
 * all on an HTTP request and adds X-Amz-Date, X-Amz-Security-Token and Authorization.
 */
#ifndef SPS_AWS_SIGV4_H
#define SPS_AWS_SIGV4_H

#include "sps_aws_credentials.h"
#include "sps_aws_http.h"

struct sps_sigv4_params {
    const struct sps_aws_credentials *credentials;
    struct sps_cursor region;  /* "us-east-1" */
    struct sps_cursor service; /* signing name: "ec2", "autoscaling", "sts", "pricing" */
    int64_t now_ms;            /* from the injected clock */
    bool add_content_sha256;   /* also send x-amz-content-sha256 (S3-style); off for our APIs */
    bool keep_path_unnormalized; /* S3's rule: keep '.', '..' and '//' in the path as sent (the
                                    suite's "normalize": false); off for our APIs */
};

/* Stage 1. `signed_headers` receives the ';'-joined lower-case names. Headers are taken from
 * `headers` (which must already hold host and x-amz-date). The path is normalized and
 * URI-encoded the way every service but S3 expects. */
SPS_NODISCARD sps_err sps_aws_sigv4_canonical_request(struct sps_buf *out,
                                                      struct sps_buf *signed_headers,
                                                      struct sps_cursor method,
                                                      struct sps_cursor path,
                                                      struct sps_cursor query,
                                                      const struct sps_http_headers *headers,
                                                      struct sps_cursor payload_sha256_hex);
/* Stage 1 with the path normalization chosen: `normalize_path` false keeps '.', '..' and empty
 * segments as sent (S3's rule; the suite's "normalize": false cases). */
SPS_NODISCARD sps_err sps_aws_sigv4_canonical_request_ex(struct sps_buf *out,
                                                         struct sps_buf *signed_headers,
                                                         struct sps_cursor method,
                                                         struct sps_cursor path,
                                                         struct sps_cursor query,
                                                         const struct sps_http_headers *headers,
                                                         struct sps_cursor payload_sha256_hex,
                                                         bool normalize_path);

/* Stage 2. `scope` is "20150830/us-east-1/service/aws4_request". */
SPS_NODISCARD sps_err sps_aws_sigv4_string_to_sign(struct sps_buf *out,
                                                   struct sps_cursor amz_date,
                                                   struct sps_cursor scope,
                                                   struct sps_cursor canonical_request);

/* Stage 3. `date` is the eight-digit "20150830". */
void sps_aws_sigv4_signing_key(uint8_t key[32], struct sps_cursor secret, struct sps_cursor date,
                               struct sps_cursor region, struct sps_cursor service);

/* Stage 4: hex(HMAC-SHA256(key, string_to_sign)), NUL-terminated. */
void sps_aws_sigv4_signature(char hex[65], const uint8_t key[32],
                             struct sps_cursor string_to_sign);

/* Signs `req` in place (header signing). */
SPS_NODISCARD sps_err sps_aws_sigv4_sign(struct sps_http_request *req,
                                         const struct sps_sigv4_params *params);

/* Lower-case hex SHA-256 of `data`. */
void sps_sha256_hex(char hex[65], const void *data, size_t len);

#endif
