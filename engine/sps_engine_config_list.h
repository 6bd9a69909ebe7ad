/*
 * The one list of spotswap settings. Every option has its four spellings (config-file key,
 * environment variable, command-line flag; the struct field is the file key), a kind (how its
 * value is parsed and checked), a range for numeric kinds, the default as text (parsed by the
 * same code as user input, so the documented default is the real one) and a one-line doc.
 * sps_engine_config.h expands this list into the struct fields; config.c into the option table
 * from which every source is parsed, the defaults set, `--help` printed and the docs checked.
 *
 * Add an option here and it is parsed from all four sources; docs/configuration.md must list it
 * too (tests/unit/test_engine_config_docs.c fails until it does).
 */
/* clang-format off */
/*        key / field                 env                                   flag                            kind         min  max          default              doc */
SPS_OPTION(regions,                   "SPOTSWAP_REGIONS",                   "--regions",                    REGIONS,     0,   0,           "",                  "regions to scan (comma separated); empty means every region enabled for the account; --region R may be repeated")
SPS_OPTION(mode,                      "SPOTSWAP_MODE",                      "--mode",                       MODE,        0,   0,           "opt-in",            "opt-in: only groups matching every tag filter; opt-out: every group except those carrying opt_out_tag")
SPS_OPTION(tag_filters,               "SPOTSWAP_TAG_FILTERS",               "--tag-filters",                TAG_FILTERS, 0,   0,           "spot-enabled=true", "key=value pairs (comma separated, values may use * and ?) a group must all match in opt-in mode")
SPS_OPTION(opt_out_tag,               "SPOTSWAP_OPT_OUT_TAG",               "--opt-out-tag",                TAG,         0,   0,           "spot-enabled=false", "key=value (value may use * and ?) that excludes a group in opt-out mode")
SPS_OPTION(report_only,               "SPOTSWAP_REPORT_ONLY",               "--report-only",                BOOL,        0,   0,           "false",             "decide and report, but change nothing")
SPS_OPTION(output,                    "SPOTSWAP_OUTPUT",                    "--output",                     OUTPUT,      0,   0,           "text",              "report format: text or json")
SPS_OPTION(log_level,                 "SPOTSWAP_LOG_LEVEL",                 "--log-level",                  LOG_LEVEL,   0,   0,           "info",              "trace, debug, info, warn, error or off; logs are JSON lines on stderr")
SPS_OPTION(min_on_demand_number,      "SPOTSWAP_MIN_ON_DEMAND_NUMBER",      "--min-on-demand-number",       INT,         0,   100000,      "0",                 "on-demand instances each group keeps (the larger of the two floors wins)")
SPS_OPTION(min_on_demand_percentage,  "SPOTSWAP_MIN_ON_DEMAND_PERCENTAGE",  "--min-on-demand-percentage",   INT,         0,   100,         "0",                 "percentage of each group's instances kept on demand, rounded up (the larger floor wins)")
SPS_OPTION(allowed_instance_types,    "SPOTSWAP_ALLOWED_INSTANCE_TYPES",    "--allowed-instance-types",     GLOBS,       0,   0,           "",                  "if set, spot candidates must match one of these patterns (comma or space separated, * and ?)")
SPS_OPTION(disallowed_instance_types, "SPOTSWAP_DISALLOWED_INSTANCE_TYPES", "--disallowed-instance-types",  GLOBS,       0,   0,           "",                  "spot candidates matching any of these patterns are never used")
SPS_OPTION(max_replacements_per_run,  "SPOTSWAP_MAX_REPLACEMENTS_PER_RUN",  "--max-replacements-per-run",   LIMIT,       1,   100000,      "auto",              "instances replaced per group per run; auto = max(1, ceil(group size / 2)), so any group converts in three runs")
SPS_OPTION(diversification_fraction,  "SPOTSWAP_DIVERSIFICATION_FRACTION",  "--diversification-fraction",   FRACTION,    0,   0,           "1/3",               "largest share (0 < f <= 1, decimal or n/m) of a group's spot instances in one zone that one instance type may hold")
SPS_OPTION(size_ceiling,              "SPOTSWAP_SIZE_CEILING",              "--size-ceiling",               RATIO,       0,   0,           "0",                 "candidates have at most this many times the original's vCPUs and memory (>= 1); 0 = no ceiling")
SPS_OPTION(allow_burstable,           "SPOTSWAP_ALLOW_BURSTABLE",           "--allow-burstable",            BURSTABLE,   0,   0,           "like-original",     "burstable (t*) candidates: like-original (only for burstable originals), never or always")
SPS_OPTION(allow_bare_metal,          "SPOTSWAP_ALLOW_BARE_METAL",          "--allow-bare-metal",           BOOL,        0,   0,           "false",             "whether bare-metal (*.metal) types may replace virtualized instances")
SPS_OPTION(orphan_grace_periods,      "SPOTSWAP_ORPHAN_GRACE_PERIODS",      "--orphan-grace-periods",       INT,         1,   1000,        "3",                 "a launched spot instance not attached within this many health-check grace periods (each at least 5 minutes) is terminated")
SPS_OPTION(empty_market_ttl_seconds,  "SPOTSWAP_EMPTY_MARKET_TTL_SECONDS",  "--empty-market-ttl-seconds",   INT,         0,   604800,      "900",               "seconds an (instance type, zone) that refused spot capacity is skipped")
SPS_OPTION(rebalance_recommendation,  "SPOTSWAP_REBALANCE_RECOMMENDATION",  "--rebalance-recommendation",   REBALANCE,   0,   0,           "ignore",            "on an EC2 rebalance recommendation: ignore, or replace the instance early")
SPS_OPTION(accounts,                  "SPOTSWAP_ACCOUNTS",                  "--accounts",                   ROLE_ARNS,   0,   0,           "",                  "IAM role ARNs to assume, one per account (comma separated); empty = the current account only")
SPS_OPTION(external_id,               "SPOTSWAP_EXTERNAL_ID",               "--external-id",                EXTERNAL_ID, 0,   0,           "",                  "ExternalId passed when assuming the account roles (2-1224 characters of [A-Za-z0-9+=,.@:/-])")
SPS_OPTION(role_session_name,         "SPOTSWAP_ROLE_SESSION_NAME",         "--role-session-name",          SESSION_NAME, 0,  0,           "spotswap",          "RoleSessionName for the assumed roles (2-64 characters of [A-Za-z0-9_+=,.@-])")
SPS_OPTION(pricing_cache_dir,         "SPOTSWAP_PRICING_CACHE_DIR",         "--pricing-cache-dir",          PATH,        0,   0,           "",                  "directory where on-demand prices are cached between runs; empty = memory only")
SPS_OPTION(pricing_cache_ttl_seconds, "SPOTSWAP_PRICING_CACHE_TTL_SECONDS", "--pricing-cache-ttl-seconds",  INT,         0,   2592000,     "86400",             "seconds a cached on-demand price stays fresh")
SPS_OPTION(concurrency,               "SPOTSWAP_CONCURRENCY",               "--concurrency",                INT,         1,   64,          "8",                 "regions processed at the same time")
SPS_OPTION(http_timeout_seconds,      "SPOTSWAP_HTTP_TIMEOUT_SECONDS",      "--http-timeout-seconds",       INT,         1,   900,         "30",                "seconds one HTTP exchange with AWS may take (connecting included) before it is abandoned and, per the retry policy, retried")
/* clang-format on */
