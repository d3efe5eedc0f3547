/* The binary form of an event (store.h): the journal's payload. */
#include "store/store.h"

/* ---- binary form --------------------------------------------------------- */

#define ABSENT UINT32_MAX

/* The string slots a record of ev holds: all of its kind's, or, for a kind
 * with a version 1 form (lss__ev_desc::ns1) whose later slots are all
 * absent, that form's, so that such a record is the one version 1 wrote. */
static unsigned strings_of(const lss__event *ev, const lss__ev_desc *d)
{
    if (d->ns1 == 0)
        return d->ns;
    for (unsigned k = d->ns1 - 1u; k < d->ns; k++)
        if (ev->s[k] != NULL)
            return d->ns;
    return d->ns1 - 1u;
}

size_t lss__event_size(const lss__event *ev, bool keys)
{
    const lss__ev_desc *d = &lss__ev_descs[ev->kind];
    unsigned ns = strings_of(ev, d);
    size_t n = 8 + 8u * d->ni + 4u * ns;
    for (unsigned k = 0; k < ns; k++)
        if (ev->s[k] && (keys || !d->sref[k]))
            n += strlen(ev->s[k]);
    return n;
}

void lss__event_encode(const lss__event *ev, unsigned char *p, bool keys)
{
    const lss__ev_desc *d = &lss__ev_descs[ev->kind];
    lss__put_u64(p, (uint64_t)ev->at);
    p += 8;
    for (unsigned k = 0, ns = strings_of(ev, d); k < ns; k++) {
        if (ev->s[k] == NULL) {
            lss__put_u32(p, ABSENT);
            p += 4;
        } else if (d->sref[k] && !keys) {
            lss__put_u32(p, ev->ref[k]); /* an existing entity: its id */
            p += 4;
        } else {
            size_t len = strlen(ev->s[k]);
            lss__put_u32(p, (uint32_t)len);
            memcpy(p + 4, ev->s[k], len);
            p += 4 + len;
        }
    }
    for (unsigned k = 0; k < d->ni; k++, p += 8)
        lss__put_u64(p, (uint64_t)ev->i[k]);
}

bool lss__event_decode(lss__event *ev, uint8_t kind, const unsigned char *p, size_t len, char *scratch, bool keys)
{
    if (kind == LSS__EV_NONE || kind >= LSS__EV_COUNT)
        return false;
    const lss__ev_desc *d = &lss__ev_descs[kind];
    const unsigned char *end = p + len;
    lss__event_clear(ev, kind);
    if (len < 8)
        return false;
    ev->at = (lss_time)lss__get_u64(p);
    p += 8;
    for (unsigned k = 0; k < d->ns; k++) {
        if (k + 1u == d->ns1 && (size_t)(end - p) == 8u * d->ni)
            break; /* the version 1 form: the later string slots are absent */
        if (end - p < 4)
            return false;
        uint32_t n = lss__get_u32(p);
        p += 4;
        if (n == ABSENT)
            continue;
        if (d->sref[k] && !keys) {
            ev->ref[k] = n; /* lss__replay finds the entity and its key */
            continue;
        }
        if ((size_t)(end - p) < n)
            return false; /* (a NUL inside cannot come from the API, whose strings are C strings) */
        memcpy(scratch, p, n);
        scratch[n] = '\0';
        ev->s[k] = scratch;
        scratch += n + 1;
        p += n;
    }
    if ((size_t)(end - p) != 8u * d->ni)
        return false;
    for (unsigned k = 0; k < d->ni; k++, p += 8)
        ev->i[k] = (int64_t)lss__get_u64(p);
    return true;
}
