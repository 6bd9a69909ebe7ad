/*
 * NetworkPerformance strings as comparable numbers. The same rules as parse_network in
 * compat/tools/gen_catalog.py, so live records compare like embedded ones (a test checks the two
 * agree on every string in the catalog).
 */
#include "sps_buf.h"
#include "sps_compat.h"

#include <math.h>
#include <string.h>

/* AWS publishes no figure for these words; the values keep their order and stay below the
 * smallest "N Gigabit" (3.12). Keep in sync with NETWORK_WORDS in gen_catalog.py. */
static const struct {
    const char *word;
    uint32_t mbps;
} s_network_words[] = {
    {"Very Low", 50}, {"Low", 100}, {"Low to Moderate", 300}, {"Moderate", 500}, {"High", 1000},
};

/* "N" of "Nx " (a positive integer without leading zero). */
static sps_err s_parse_cards(struct sps_cursor *c, uint64_t *cards)
{
    long x = sps_cursor_find_char(*c, 'x');
    if (x <= 0 || (size_t)x + 1 >= c->len || c->ptr[x + 1] != ' ')
        return SPS_OK; /* no multiplier */
    struct sps_cursor digits = sps_cursor_sub(*c, 0, (size_t)x);
    if (digits.ptr[0] == '0' || sps_cursor_to_u64(digits, cards) != SPS_OK || *cards == 0)
        return SPS_ERR_INVALID_ARGUMENT;
    *c = sps_cursor_sub(*c, (size_t)x + 2, c->len);
    return SPS_OK;
}

sps_err sps_compat_network_parse(const char *text, struct sps_compat_network *out)
{
    if (text == NULL || out == NULL)
        return SPS_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i < sizeof(s_network_words) / sizeof(s_network_words[0]); i++) {
        if (strcmp(text, s_network_words[i].word) == 0) {
            *out = (struct sps_compat_network){s_network_words[i].mbps, true, text};
            return SPS_OK;
        }
    }
    struct sps_cursor c = sps_cursor_from_str(text);
    struct sps_cursor up_to = SPS_CURSOR_LIT("Up to ");
    struct sps_cursor unit = SPS_CURSOR_LIT(" Gigabit");
    bool is_up_to = sps_cursor_starts_with(c, up_to);
    if (is_up_to)
        c = sps_cursor_sub(c, up_to.len, c.len);
    uint64_t cards = 1;
    SPS_TRY(s_parse_cards(&c, &cards));
    if (!sps_cursor_ends_with(c, unit))
        return SPS_ERR_INVALID_ARGUMENT;
    c = sps_cursor_sub(c, 0, c.len - unit.len);
    /* Digits and at most one inner dot only: no sign, exponent or white space. */
    if (c.len == 0 || c.ptr[0] == '.' || c.ptr[c.len - 1] == '.')
        return SPS_ERR_INVALID_ARGUMENT;
    for (size_t i = 0; i < c.len; i++) {
        if ((c.ptr[i] < '0' || c.ptr[i] > '9') && c.ptr[i] != '.')
            return SPS_ERR_INVALID_ARGUMENT;
    }
    double gbps;
    if (sps_cursor_to_double(c, &gbps) != SPS_OK)
        return SPS_ERR_INVALID_ARGUMENT;
    double mbps = round(gbps * 1000.0) * (double)cards;
    if (!(mbps >= 1.0 && mbps <= (double)UINT32_MAX))
        return SPS_ERR_INVALID_ARGUMENT;
    *out = (struct sps_compat_network){(uint32_t)mbps, is_up_to, text};
    return SPS_OK;
}

bool sps_compat_network_covers(const struct sps_compat_network *candidate,
                               const struct sps_compat_network *original)
{
    if (!original->up_to && candidate->up_to)
        return false;
    return candidate->mbps >= original->mbps;
}
