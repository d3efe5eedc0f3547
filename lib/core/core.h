/* The core layer (lib/core/): memory, containers, the key index, text,
 * time and money, enum spellings, errors and the handle's lock, CRC32C.
 * It knows no entity and no database state: a handle (lss_db) is to it an
 * object that begins with an lss__handle. */
#ifndef LSS_CORE_H
#define LSS_CORE_H

#include "salesservice.h"

#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <string.h>

#define LSS__NONE UINT32_MAX

/* ---- allocation (alloc.c) --------------------------------------------- */
void *lss__malloc(size_t size);
void *lss__realloc(void *ptr, size_t size);
void lss__free(void *ptr);
/* A thread of the library's own that may call the allocator starts (true)
 * or has been joined (false): meanwhile the calls are serialized. */
void lss__alloc_shared(bool on);
/* Fault in the pages of [p, p + size), memory about to be written whole, in
 * one call instead of a fault a page (a hint: nothing changes without it). */
void lss__populate(void *p, size_t size);
void lss__db_opened(void);
void lss__db_closed(void);

/* uthash: every allocation through the hook, never exit() on OOM. A failed
 * add leaves the item out of the table with hh.tbl == NULL. */
#define HASH_NONFATAL_OOM 1
/* uthash keeps only the interned teams and segments (the key index of the
 * entities is core/index.c). Expand the bucket array when a chain reaches 5
 * entries, not uthash's 10: adding a key first looks it up, and a key that
 * is not there walks its whole chain. (A threshold of 2 makes uthash judge
 * its expansions ineffective and stop expanding.) */
#define HASH_BKT_CAPACITY_THRESH 5U
#define uthash_malloc(sz) lss__malloc(sz)
#define uthash_free(ptr, sz) lss__free(ptr)
#include <uthash.h>

/* Growable array of fixed-size elements. Growth may fail; a failed grow
 * leaves the vector unchanged. */
typedef struct lss__vec {
    void *data;
    uint32_t count;
    uint32_t cap;
} lss__vec;
lss_status lss__vec_reserve(lss__vec *v, size_t elem, uint32_t extra);
/* A growable byte buffer *p of *cap bytes holding len: make room for `more`
 * (doubling from `first`). On failure nothing changes. */
lss_status lss__bytes_reserve(void *p, size_t *cap, size_t len, size_t more, size_t first);
void lss__vec_free(lss__vec *v);
#define LSS__VEC_AT(v, type, i) (((type *)(v)->data)[i])

/* Storage for many small vectors of one element size (the deals' and the
 * tickets' histories, a few entries each): a vector of up to LSS__POOL_MAX
 * elements lives in a block carved from the pool's chunks, recycled through
 * a free list per capacity, instead of a malloc of its own (no allocator call
 * in the common case, no per-block header); a larger one in lss__malloc'd
 * memory. A vector holds pool storage exactly when 0 < cap <= LSS__POOL_MAX.
 * lss__pool_reserve works as lss__vec_reserve; lss__pool_shrink gives back the
 * room beyond count (a history that is final; without memory it keeps it);
 * lss__pool_release as lss__vec_free; lss__pool_free gives back every chunk
 * at once. */
#define LSS__POOL_MAX 16u
struct lss__pool_chunk;
typedef struct lss__pool {
    size_t elem;                     /* at least sizeof(void *) */
    void *free[LSS__POOL_MAX + 1];   /* free blocks of each capacity, linked through their first word */
    struct lss__pool_chunk *chunks;
    char *cur;                       /* the unused end of the newest chunk */
    size_t left;
} lss__pool;
void lss__pool_init(lss__pool *p, size_t elem);
lss_status lss__pool_reserve(lss__pool *p, lss__vec *v, uint32_t extra);
void lss__pool_shrink(lss__pool *p, lss__vec *v);
void lss__pool_release(lss__pool *p, lss__vec *v);
void lss__pool_free(lss__pool *p);
/* Bytes of a new pool chunk (at least one block); tests set 1, which also
 * leaves the free lists unused, so that every block is an allocation that
 * can fail. */
extern size_t lss__pool_chunk;

/* Chunked array: dense ids, stable addresses (handles never move). The
 * first 256 elements live in chunks of 16, 16, 32, 64 and 128 (a small
 * database stays small); every later chunk holds 256 (at most 255 unused
 * elements per kind). */
#define LSS__SLAB_SHIFT 8u
#define LSS__SLAB_CHUNK (1u << LSS__SLAB_SHIFT)
#define LSS__SLAB_SMALL 5u /* chunks below LSS__SLAB_CHUNK */
typedef struct lss__slab {
    char **chunks;
    uint32_t count;
    uint32_t nchunks;
    size_t elem;
} lss__slab;
void lss__slab_init(lss__slab *s, size_t elem);
/* Make room for element `count` (allocating a chunk if needed). */
lss_status lss__slab_reserve(lss__slab *s);
/* Zeroed element at index count; count += 1. Only after a successful reserve. */
void *lss__slab_push(lss__slab *s);
void lss__slab_pop(lss__slab *s);
static inline unsigned lss__log2(uint32_t x) /* x > 0 */
{
#if defined(__GNUC__)
    return 31u - (unsigned)__builtin_clz(x);
#else
    unsigned r = 0;
    while (x >>= 1)
        r++;
    return r;
#endif
}
/* How many elements chunk k holds. */
static inline size_t lss__slab_chunk_size(uint32_t k)
{
    return k == 0 ? 16u : k < LSS__SLAB_SMALL ? (size_t)8u << k : LSS__SLAB_CHUNK;
}
/* Where element id lives: its chunk and its index in the chunk. */
static inline uint32_t lss__slab_chunk_of(uint32_t id, uint32_t *off)
{
    if (id >= LSS__SLAB_CHUNK) {
        *off = id & (LSS__SLAB_CHUNK - 1u);
        return LSS__SLAB_SMALL - 1u + (id >> LSS__SLAB_SHIFT);
    }
    if (id < 16u) {
        *off = id;
        return 0;
    }
    unsigned lg = lss__log2(id);
    *off = id - (1u << lg);
    return lg - 3u;
}
/* A hint to fetch the cache line at p for a read soon. */
#if defined(__GNUC__) || defined(__clang__)
#define LSS__PREFETCH(p) __builtin_prefetch(p)
#else
#define LSS__PREFETCH(p) ((void)(p))
#endif

static inline void *lss__slab_get(const lss__slab *s, uint32_t id)
{
    uint32_t off, chunk = lss__slab_chunk_of(id, &off);
    return s->chunks[chunk] + (size_t)off * s->elem;
}
void lss__slab_free(lss__slab *s);

/* String arena: append-only storage for every text of a database; one
 * allocation per 64 KiB of text. A mark taken before an operation and reset
 * on failure forgets everything stored since. */
typedef struct lss__arena_chunk {
    struct lss__arena_chunk *next;
    size_t cap;
    size_t used;
    char data[];
} lss__arena_chunk;
typedef struct lss__arena {
    lss__arena_chunk *head;
    lss__arena_chunk *cur;
} lss__arena;
typedef struct lss__arena_mark {
    lss__arena_chunk *cur;
    size_t used;
} lss__arena_mark;
/* Minimum block size; tests lower it so that every string allocates. */
extern size_t lss__arena_block;
lss__arena_mark lss__arena_mark_get(const lss__arena *a);
void lss__arena_reset(lss__arena *a, lss__arena_mark m);
/* Copy of s (NULL gives NULL in *out with LSS_OK). */
lss_status lss__arena_strdup(lss__arena *a, const char *s, const char **out);
void lss__arena_free(lss__arena *a);

/* Interned strings (teams, segments): one copy per distinct text, so two
 * entities share a team or segment exactly when their pointers are equal. */
typedef struct lss__intern_entry {
    UT_hash_handle hh;
    const char *s;
    uint32_t id;
} lss__intern_entry;
typedef struct lss__intern {
    lss__intern_entry *by_name;
    lss__slab entries; /* lss__intern_entry, index id-1 */
} lss__intern;
void lss__intern_init(lss__intern *t);
/* Find or add s (NULL gives NULL). *added tells whether it was new (undo
 * with lss__intern_undo). */
lss_status lss__intern_put(lss__intern *t, lss__arena *a, const char *s, const char **out, bool *added);
void lss__intern_undo(lss__intern *t);
const char *lss__intern_find(const lss__intern *t, const char *s);
void lss__intern_free(lss__intern *t);

/* Key index of an entity kind (index.c): (hash, id + 1) slots, linear
 * probing; keys are read from the entities. */
typedef struct lss__keyindex {
    uint64_t *slots;
    uint32_t cap, count;
} lss__keyindex;
uint32_t lss__key_hash(const char *key);
/* The id of the entity with `key` (its key pointer at key_off in the slab's
 * elements), or LSS__NONE. */
/* A hint that key hash will be looked up or added soon (fetches its home slot). */
void lss__keyindex_prefetch(const lss__keyindex *ix, uint32_t hash);
uint32_t lss__keyindex_find(const lss__keyindex *ix, const lss__slab *s, size_t key_off, const char *key);
/* Room for one more entry: false on OOM (nothing changed). */
bool lss__keyindex_reserve(lss__keyindex *ix);
/* Room for n entries in all, in one allocation (the table as the growth
 * series would make it): false on OOM (nothing changed). */
bool lss__keyindex_presize(lss__keyindex *ix, uint32_t n);
/* Add an entry; only after a successful reserve. */
void lss__keyindex_put(lss__keyindex *ix, uint32_t hash, uint32_t id);
/* Both: false on OOM (nothing changed). */
bool lss__keyindex_add(lss__keyindex *ix, uint32_t hash, uint32_t id);
/* Add `id` unless an entity with the same key is there: 0 added, 1 a
 * duplicate (its id in *dup, nothing added), -1 out of memory. */
int lss__keyindex_add_unique(lss__keyindex *ix, const lss__slab *s, size_t key_off, uint32_t hash, uint32_t id,
                             uint32_t *dup);
void lss__keyindex_remove(lss__keyindex *ix, uint32_t hash, uint32_t id);
void lss__keyindex_clear(lss__keyindex *ix);

/* ---- text validation (text.c) ------------------------------------------ */
#define LSS__KEY_MAX 128u
#define LSS__NAME_MAX 256u
#define LSS__EMAIL_MAX 254u
#define LSS__TITLE_MAX 512u
#define LSS__NOTE_MAX 4096u
#define LSS__DURATION_MAX INT64_C(31536000)
/* 0 when valid UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF). */
bool lss__utf8_valid(const char *s, size_t len);

/* ---- errors (error.c) -------------------------------------------------- */
#define LSS__MSG_MAX 512
lss_status lss__fail(const lss_db *db, lss_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void lss__errmsg_forget(const lss_db *db);

/* What every handle begins with (struct lss_db's first member): its lock,
 * recursive, and the latest failure message on it, which its threads share
 * and lss__fail writes under the lock. */
typedef struct lss__handle {
    pthread_mutex_t mu;
    char errmsg[LSS__MSG_MAX];
} lss__handle;
void lss__lock(const lss_db *db);
void lss__unlock(const lss_db *db);

/* Shared validation helpers; each reports through lss__fail. */
lss_status lss__check_time(lss_db *db, const char *ctx, const char *field, lss_time t);
lss_status lss__check_key(lss_db *db, const char *ctx, const char *field, const char *key);
lss_status lss__check_text(lss_db *db, const char *ctx, const char *field, const char *s,
                           size_t max, bool required, bool nonempty);
lss_status lss__check_money(lss_db *db, const char *ctx, const char *field, lss_money m,
                            bool positive);
void lss__fmt_time(char buf[LSS_TIME_BUFSIZE], lss_time t);
/* An ISO 4217 code as the library takes it: three letters A-Z, then NUL. */
bool lss__currency_valid(const char *c);
static inline bool lss__time_fits(lss_time t) { return t >= 0 && t <= LSS_TIME_MAX; }
/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t lss__days_from_civil(int64_t y, unsigned m, unsigned d);
void lss__civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);

/* ---- time zones and business calendars (calendar.c) --------------------
 * A zone is a TZif file's transitions and its footer's rule (RFC 8536), or
 * a fixed offset. A calendar is a zone (borrowed from the database's cache,
 * or its own), its weekly hours and its holidays; the database fills key
 * and since for its own. Errors name the field, after `ctx`. */
typedef struct lss__zone lss__zone;
lss_status lss__zone_load(lss__zone **out, const lss_db *db, const char *ctx, const char *dir, const char *name);
lss_status lss__zone_parse(lss__zone **out, const lss_db *db, const char *ctx, const char *name,
                           const unsigned char *data, size_t len);
void lss__zone_free(lss__zone *z);
const char *lss__zone_name(const lss__zone *z);
/* Is `name` a fixed offset ("+01:00", "UTC")? Then *off is it, in seconds. */
bool lss__zone_fixed(const char *name, int32_t *off);

struct lss_calendar {
    lss__zone *zone;
    bool own_zone;
    const char *key;         /* a database's calendar, else NULL */
    lss_time since;          /* when that definition took effect, else LSS_TIME_NONE */
    uint32_t nhours, nholidays;
    lss_hours *hours;        /* sorted by day, then from */
    int64_t *wstart, *wend, *wcum; /* the hours as seconds of the local week (Monday 00:00 = 0), and the
                                      business seconds of the week before each */
    int64_t week;            /* business seconds of a whole week */
    uint8_t day_first[8];    /* hours of weekday d: [day_first[d], day_first[d + 1]) */
    lss_date *holidays;      /* sorted, no repeats */
};
/* Validate and build; the zone is taken (freed on failure when own). */
lss_status lss__calendar_make(lss_calendar **out, const lss_db *db, const char *ctx, lss__zone *zone, bool own,
                              const lss_hours *hours, size_t nhours, const lss_date *holidays, size_t nholidays);
void lss__calendar_free(lss_calendar *c);
#define LSS__HOURS_MAX 336u     /* 48 intervals a day */
#define LSS__HOLIDAYS_MAX 4000u
/* The hours' own checks (minutes: whole minutes only, as events have them). */
lss_status lss__hours_valid(const lss_db *db, const char *ctx, const lss_hours *h, size_t n, bool minutes);
/* The texts of calendar.set's hours and holidays (lss__malloc'd; NULL: no memory), and back. */
char *lss__hours_format(const lss_hours *h, size_t n);
lss_status lss__hours_parse(const lss_db *db, const char *ctx, const char *text, lss_hours **out, size_t *n);
char *lss__dates_format(const lss_date *d, size_t n);
lss_status lss__dates_parse(const lss_db *db, const char *ctx, const char *text, lss_date **out, size_t *n);
/* "HH:MM" (00:00-24:00) in seconds, or -1. */
int32_t lss__hm_parse(const char *s, size_t len);
int64_t lss__cal_seconds(const lss_calendar *c, lss_time a, lss_time b);
lss_time lss__cal_add(const lss_calendar *c, lss_time a, int64_t seconds);

/* Little-endian integers at any alignment (inline: the replay reads
 * several per record). */
static inline void lss__put_u32(unsigned char *p, uint32_t v)
{
    for (int k = 0; k < 4; k++)
        p[k] = (unsigned char)(v >> (8 * k));
}
static inline void lss__put_u64(unsigned char *p, uint64_t v)
{
    for (int k = 0; k < 8; k++)
        p[k] = (unsigned char)(v >> (8 * k));
}
static inline uint32_t lss__get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t lss__get_u64(const unsigned char *p)
{
    return (uint64_t)lss__get_u32(p) | (uint64_t)lss__get_u32(p + 4) << 32;
}
/* CRC32C (Castagnoli), in hardware where the CPU has it (crc32c.c). */
uint32_t lss__crc32c(uint32_t crc, const void *buf, size_t n);
/* LevelDB's mask: a CRC stored next to the data it covers is not the CRC of
 * data that happens to contain CRCs. */
uint32_t lss__crc_mask(uint32_t crc);

#endif /* LSS_CORE_H */
