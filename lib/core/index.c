/* The key index of an entity kind (members, customers, deals, tickets): an
 * open-addressing table with linear probing whose slots hold a key's 32-bit
 * hash and the entity's id + 1 (0 = empty). The key itself is read from the
 * entity, in its slab, only when the hashes match. Eight bytes a slot at a
 * load of 0.53 to 0.8 (the table grows by half when it would pass 0.8):
 * 10 to 15 bytes an entity, where a uthash handle in every record took 56.
 * A slot's home is fastrange(hash, cap) = hash * cap >> 32, so the capacity
 * need not be a power of two. */
#include "core/core.h"

#include <stddef.h>

#define MIN_CAP 16u

uint32_t lss__key_hash(const char *key)
{
    /* FNV-1a, then murmur3's finaliser: fastrange uses the high bits */
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 16777619u;
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

static inline uint32_t home(uint32_t hash, uint32_t cap) { return (uint32_t)(((uint64_t)hash * cap) >> 32); }
static inline uint64_t slot_of(uint32_t hash, uint32_t id) { return (uint64_t)hash << 32 | (uint64_t)(id + 1u); }

/* Walk key's probe run (hash h; the table has a free slot): the slot that
 * holds the entity whose key it is, or the free slot where the run ends. */
static uint32_t probe(const lss__keyindex *ix, const lss__slab *s, size_t key_off, uint32_t h, const char *key)
{
    for (uint32_t i = home(h, ix->cap);;) {
        uint64_t v = ix->slots[i];
        if (v == 0)
            return i;
        if ((uint32_t)(v >> 32) == h) {
            const char *k = *(const char *const *)((const char *)lss__slab_get(s, (uint32_t)v - 1u) + key_off);
            if (strcmp(k, key) == 0)
                return i;
        }
        if (++i == ix->cap)
            i = 0;
    }
}

uint32_t lss__keyindex_find(const lss__keyindex *ix, const lss__slab *s, size_t key_off, const char *key)
{
    if (ix->count == 0)
        return LSS__NONE;
    uint64_t v = ix->slots[probe(ix, s, key_off, lss__key_hash(key), key)];
    return v ? (uint32_t)v - 1u : LSS__NONE;
}

static void put(uint64_t *slots, uint32_t cap, uint64_t v)
{
    uint32_t i = home((uint32_t)(v >> 32), cap);
    while (slots[i] != 0)
        if (++i == cap)
            i = 0;
    slots[i] = v;
}

/* A table of at least `want` slots with the entries rehashed into it. */
static bool regrow(lss__keyindex *ix, uint64_t want)
{
    if (want > UINT32_MAX || want > SIZE_MAX / sizeof(uint64_t))
        return false;
    uint32_t cap = (uint32_t)want;
    uint64_t *slots = lss__malloc((size_t)cap * sizeof *slots);
    if (slots == NULL)
        return false;
    memset(slots, 0, (size_t)cap * sizeof *slots);
    for (uint32_t i = 0; i < ix->cap; i++)
        if (ix->slots[i])
            put(slots, cap, ix->slots[i]);
    lss__free(ix->slots);
    ix->slots = slots;
    ix->cap = cap;
    return true;
}

/* Room for one more entry (the table grows by half when it would pass 0.8). */
bool lss__keyindex_reserve(lss__keyindex *ix)
{
    if ((uint64_t)(ix->count + 1u) * 5u <= (uint64_t)ix->cap * 4u)
        return true;
    return regrow(ix, ix->cap ? (uint64_t)ix->cap + ix->cap / 2u : MIN_CAP);
}

bool lss__keyindex_presize(lss__keyindex *ix, uint32_t n)
{
    uint64_t cap = ix->cap ? ix->cap : MIN_CAP;
    while ((uint64_t)n * 5u > cap * 4u)
        cap += cap / 2u;
    return cap == ix->cap || regrow(ix, cap);
}

void lss__keyindex_prefetch(const lss__keyindex *ix, uint32_t hash)
{
    if (ix->cap)
        LSS__PREFETCH(&ix->slots[home(hash, ix->cap)]);
}

void lss__keyindex_put(lss__keyindex *ix, uint32_t hash, uint32_t id)
{
    put(ix->slots, ix->cap, slot_of(hash, id));
    ix->count++;
}

bool lss__keyindex_add(lss__keyindex *ix, uint32_t hash, uint32_t id)
{
    if (!lss__keyindex_reserve(ix))
        return false;
    lss__keyindex_put(ix, hash, id);
    return true;
}

int lss__keyindex_add_unique(lss__keyindex *ix, const lss__slab *s, size_t key_off, uint32_t hash, uint32_t id,
                             uint32_t *dup)
{
    if (!lss__keyindex_reserve(ix))
        return -1;
    const char *key = *(const char *const *)((const char *)lss__slab_get(s, id) + key_off);
    uint32_t i = probe(ix, s, key_off, hash, key);
    if (ix->slots[i] != 0) {
        *dup = (uint32_t)ix->slots[i] - 1u;
        return 1;
    }
    ix->slots[i] = slot_of(hash, id);
    ix->count++;
    return 0;
}

void lss__keyindex_remove(lss__keyindex *ix, uint32_t hash, uint32_t id)
{
    if (ix->count == 0)
        return;
    uint64_t v = slot_of(hash, id);
    uint32_t i = home(hash, ix->cap);
    while (ix->slots[i] != v) {
        if (ix->slots[i] == 0)
            return; /* not there */
        if (++i == ix->cap)
            i = 0;
    }
    /* backward-shift deletion: move later members of the probe run into the
     * hole unless their home lies cyclically in (hole, j] */
    uint32_t hole = i, j = i;
    for (;;) {
        if (++j == ix->cap)
            j = 0;
        uint64_t w = ix->slots[j];
        if (w == 0)
            break;
        uint32_t k = home((uint32_t)(w >> 32), ix->cap);
        bool stays = hole <= j ? (hole < k && k <= j) : (hole < k || k <= j);
        if (!stays) {
            ix->slots[hole] = w;
            hole = j;
        }
    }
    ix->slots[hole] = 0;
    ix->count--;
}

void lss__keyindex_clear(lss__keyindex *ix)
{
    lss__free(ix->slots);
    ix->slots = NULL;
    ix->cap = ix->count = 0;
}
