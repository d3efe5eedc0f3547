/* The allocator hook and the containers built on it: vectors, slabs of
 * stable entities, the string arena and interned strings. */
#define _GNU_SOURCE 1 /* MADV_POPULATE_WRITE */
#include "core/core.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static void *std_malloc(size_t n, void *ctx) { (void)ctx; return malloc(n); }
static void *std_realloc(void *p, size_t n, void *ctx) { (void)ctx; return realloc(p, n); }
static void std_free(void *p, void *ctx) { (void)ctx; free(p); }

static lss_allocator g_alloc = { LSS_ALLOCATOR_VERSION, std_malloc, std_realloc, std_free, NULL };
static atomic_int g_open_dbs;

void lss__db_opened(void) { atomic_fetch_add(&g_open_dbs, 1); }
void lss__db_closed(void) { atomic_fetch_sub(&g_open_dbs, 1); }

lss_status lss_set_allocator(const lss_allocator *a)
{
    if (atomic_load(&g_open_dbs) != 0)
        return lss__fail(NULL, LSS_MISUSE, "cannot change the allocator while %d database(s) are open",
                         atomic_load(&g_open_dbs));
    if (a == NULL) {
        lss_allocator std = { LSS_ALLOCATOR_VERSION, std_malloc, std_realloc, std_free, NULL };
        g_alloc = std;
        return LSS_OK;
    }
    if (a->version != LSS_ALLOCATOR_VERSION)
        return lss__fail(NULL, LSS_VERSION, "allocator: version %u is not supported (expected %d)",
                         a->version, LSS_ALLOCATOR_VERSION);
    if (a->malloc_fn == NULL || a->realloc_fn == NULL || a->free_fn == NULL)
        return lss__fail(NULL, LSS_INVALID, "allocator: malloc_fn, realloc_fn and free_fn must all be set");
    g_alloc = *a;
    return LSS_OK;
}

/* While a thread of the library's own runs beside the call that started it
 * and may call the allocator (a report's second thread growing its arrays),
 * every allocator call goes through one lock, so that the allocator is never
 * called by two of the library's threads of one call at once. */
static pthread_mutex_t g_alloc_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int g_alloc_shared;

void lss__alloc_shared(bool on) { atomic_fetch_add(&g_alloc_shared, on ? 1 : -1); }

/* Take the lock if allocator calls are being serialized; whether it was taken. */
static bool alloc_lock(void)
{
    if (atomic_load(&g_alloc_shared) == 0)
        return false;
    pthread_mutex_lock(&g_alloc_mu);
    return true;
}

static void alloc_unlock(bool held)
{
    if (held)
        pthread_mutex_unlock(&g_alloc_mu);
}

void *lss__malloc(size_t size)
{
    bool held = alloc_lock();
    void *p = g_alloc.malloc_fn(size ? size : 1, g_alloc.ctx);
    alloc_unlock(held);
    return p;
}

void *lss__realloc(void *ptr, size_t size)
{
    bool held = alloc_lock();
    void *p = g_alloc.realloc_fn(ptr, size ? size : 1, g_alloc.ctx);
    alloc_unlock(held);
    return p;
}

void lss__free(void *ptr)
{
    if (ptr == NULL)
        return;
    bool held = alloc_lock();
    g_alloc.free_fn(ptr, g_alloc.ctx);
    alloc_unlock(held);
}
void lss_free(void *ptr) { lss__free(ptr); }

/* The pages of memory that will be written whole are faulted in by one
 * call instead of one fault each as they are first written: a replay that
 * grows the state by hundreds of megabytes spends a quarter less in the
 * kernel (docs/performance.md). It only maps the pages, so it is safe on
 * memory from any allocator, and a kernel without it (before Linux 5.14)
 * leaves them to fault as before. */
void lss__populate(void *p, size_t size)
{
#if defined(MADV_POPULATE_WRITE)
    long page = sysconf(_SC_PAGESIZE);
    if (p && page > 0 && size >= 4u * (size_t)page) {
        uintptr_t from = ((uintptr_t)p + (uintptr_t)page - 1u) & ~((uintptr_t)page - 1u);
        uintptr_t to = ((uintptr_t)p + size) & ~((uintptr_t)page - 1u);
        (void)madvise((void *)from, to - from, MADV_POPULATE_WRITE);
    }
#else
    (void)p, (void)size;
#endif
}

/* Memory for a chunk of a container (a slab's, a pool's, the arena's). */
static void *chunk_alloc(size_t size)
{
    void *p = lss__malloc(size);
    lss__populate(p, size);
    return p;
}

/* ---- vec ---------------------------------------------------------------- */

/* The capacity v needs for `extra` more elements: what the caller asks for
 * first (at least 2), then doubling; 0 if that passes UINT32_MAX / 2. */
static uint32_t grown_cap(const lss__vec *v, uint32_t extra)
{
    uint64_t need = (uint64_t)v->count + extra;
    if (need > UINT32_MAX / 2)
        return 0;
    uint32_t cap = v->cap ? v->cap : need < 2 ? 2 : (uint32_t)need;
    while (cap < need)
        cap *= 2;
    return cap;
}

lss_status lss__vec_reserve(lss__vec *v, size_t elem, uint32_t extra)
{
    if (v->cap - v->count >= extra)
        return LSS_OK;
    uint32_t cap = grown_cap(v, extra);
    if (cap == 0)
        return LSS_NOMEM;
    void *p = lss__realloc(v->data, (size_t)cap * elem);
    if (p == NULL)
        return LSS_NOMEM;
    v->data = p;
    v->cap = cap;
    return LSS_OK;
}

lss_status lss__bytes_reserve(void *pp, size_t *cap, size_t len, size_t more, size_t first)
{
    void **p = pp;
    if (len + more <= *cap)
        return LSS_OK;
    size_t c = *cap ? *cap : first;
    while (c < len + more)
        c *= 2;
    void *np = lss__realloc(*p, c);
    if (np == NULL)
        return LSS_NOMEM;
    *p = np;
    *cap = c;
    return LSS_OK;
}

void lss__vec_free(lss__vec *v)
{
    lss__free(v->data);
    v->data = NULL;
    v->count = v->cap = 0;
}

/* ---- pool of small vectors ----------------------------------------------- */

size_t lss__pool_chunk = (size_t)64 * 1024;

struct lss__pool_chunk {
    struct lss__pool_chunk *next;
    max_align_t data[];
};

void lss__pool_init(lss__pool *p, size_t elem)
{
    memset(p, 0, sizeof *p);
    p->elem = elem;
}

/* A block for cap elements (1 <= cap <= LSS__POOL_MAX), or NULL. */
static void *pool_take(lss__pool *p, uint32_t cap)
{
    void *b = lss__pool_chunk > 1 ? p->free[cap] : NULL; /* (the tests' setting takes every block new) */
    if (b) {
        p->free[cap] = *(void **)b;
        return b;
    }
    size_t n = cap * p->elem; /* a multiple of 8: the elements are */
    if (p->left < n) {
        size_t size = lss__pool_chunk > n ? lss__pool_chunk : n;
        struct lss__pool_chunk *c = chunk_alloc(sizeof *c + size);
        if (c == NULL)
            return NULL;
        c->next = p->chunks;
        p->chunks = c;
        p->cur = (char *)c->data;
        p->left = size; /* the tail of the previous chunk, smaller than one block, is left */
    }
    b = p->cur;
    p->cur += n;
    p->left -= n;
    return b;
}

static void pool_put(lss__pool *p, void *data, uint32_t cap)
{
    if (cap == 0)
        return;
    if (cap > LSS__POOL_MAX) {
        lss__free(data);
        return;
    }
    *(void **)data = p->free[cap];
    p->free[cap] = data;
}

/* Move v's elements to storage for cap elements; false (v unchanged) if there is no memory. */
static bool pool_move(lss__pool *p, lss__vec *v, uint32_t cap)
{
    void *d;
    if (cap > LSS__POOL_MAX && v->cap > LSS__POOL_MAX) {
        d = lss__realloc(v->data, (size_t)cap * p->elem);
    } else {
        d = cap <= LSS__POOL_MAX ? pool_take(p, cap) : lss__malloc((size_t)cap * p->elem);
        if (d) {
            if (v->count)
                memcpy(d, v->data, (size_t)v->count * p->elem);
            pool_put(p, v->data, v->cap);
        }
    }
    if (d == NULL)
        return false;
    v->data = d;
    v->cap = cap;
    return true;
}

lss_status lss__pool_reserve(lss__pool *p, lss__vec *v, uint32_t extra)
{
    if (v->cap - v->count >= extra)
        return LSS_OK;
    uint32_t cap = grown_cap(v, extra);
    return cap && pool_move(p, v, cap) ? LSS_OK : LSS_NOMEM;
}

void lss__pool_shrink(lss__pool *p, lss__vec *v)
{
    if (v->count == 0 || v->cap == v->count)
        return;
    (void)pool_move(p, v, v->count); /* without memory it keeps its room */
}

void lss__pool_release(lss__pool *p, lss__vec *v)
{
    pool_put(p, v->data, v->cap);
    v->data = NULL;
    v->count = v->cap = 0;
}

void lss__pool_free(lss__pool *p)
{
    struct lss__pool_chunk *c = p->chunks;
    while (c) {
        struct lss__pool_chunk *next = c->next;
        lss__free(c);
        c = next;
    }
    lss__pool_init(p, p->elem);
}

/* ---- slab --------------------------------------------------------------- */

void lss__slab_init(lss__slab *s, size_t elem)
{
    memset(s, 0, sizeof *s);
    s->elem = elem;
}

lss_status lss__slab_reserve(lss__slab *s)
{
    if (s->count == UINT32_MAX - 1)
        return LSS_NOMEM;
    uint32_t off, chunk = lss__slab_chunk_of(s->count, &off);
    if (chunk < s->nchunks)
        return LSS_OK;
    /* the chunk table grows by doubling */
    if ((chunk & (chunk - 1)) == 0) {
        uint32_t ncap = chunk ? chunk * 2 : 1;
        char **t = lss__realloc(s->chunks, ncap * sizeof *t);
        if (t == NULL)
            return LSS_NOMEM;
        s->chunks = t;
    }
    char *c = chunk_alloc(s->elem * lss__slab_chunk_size(chunk));
    if (c == NULL)
        return LSS_NOMEM;
    s->chunks[chunk] = c;
    s->nchunks++;
    return LSS_OK;
}

void *lss__slab_push(lss__slab *s)
{
    void *e = lss__slab_get(s, s->count);
    memset(e, 0, s->elem);
    s->count++;
    return e;
}

void lss__slab_pop(lss__slab *s) { s->count--; }

void lss__slab_free(lss__slab *s)
{
    for (uint32_t i = 0; i < s->nchunks; i++)
        lss__free(s->chunks[i]);
    lss__free(s->chunks);
    s->chunks = NULL;
    s->count = s->nchunks = 0;
}

/* ---- arena -------------------------------------------------------------- */

size_t lss__arena_block = (size_t)64 * 1024 - sizeof(lss__arena_chunk);

lss__arena_mark lss__arena_mark_get(const lss__arena *a)
{
    lss__arena_mark m = { a->cur, a->cur ? a->cur->used : 0 };
    return m;
}

void lss__arena_reset(lss__arena *a, lss__arena_mark m)
{
    lss__arena_chunk *c = m.cur ? m.cur->next : a->head;
    if (m.cur)
        m.cur->used = m.used, m.cur->next = NULL;
    else
        a->head = NULL;
    while (c) {
        lss__arena_chunk *n = c->next;
        lss__free(c);
        c = n;
    }
    a->cur = m.cur;
}

lss_status lss__arena_strdup(lss__arena *a, const char *s, const char **out)
{
    if (s == NULL) {
        *out = NULL;
        return LSS_OK;
    }
    size_t n = strlen(s) + 1;
    if (a->cur == NULL || a->cur->cap - a->cur->used < n) {
        /* blocks double from 4 KiB up to lss__arena_block: a small database stays small */
        size_t cap = a->cur ? a->cur->cap * 2 : 4096;
        if (cap > lss__arena_block)
            cap = lss__arena_block;
        if (cap < n)
            cap = n;
        lss__arena_chunk *c = chunk_alloc(sizeof *c + cap);
        if (c == NULL)
            return LSS_NOMEM;
        c->next = NULL;
        c->cap = cap;
        c->used = 0;
        if (a->cur)
            a->cur->next = c;
        else
            a->head = c;
        a->cur = c;
    }
    char *p = a->cur->data + a->cur->used;
    memcpy(p, s, n);
    a->cur->used += n;
    *out = p;
    return LSS_OK;
}

void lss__arena_free(lss__arena *a)
{
    lss__arena_mark none = { NULL, 0 };
    lss__arena_reset(a, none);
}

/* ---- interned strings ---------------------------------------------------- */

void lss__intern_init(lss__intern *t)
{
    t->by_name = NULL;
    lss__slab_init(&t->entries, sizeof(lss__intern_entry));
}

const char *lss__intern_find(const lss__intern *t, const char *s)
{
    lss__intern_entry *e = NULL;
    if (s == NULL)
        return NULL;
    HASH_FIND_STR(t->by_name, s, e);
    return e ? e->s : NULL;
}

lss_status lss__intern_put(lss__intern *t, lss__arena *a, const char *s, const char **out, bool *added)
{
    *added = false;
    *out = lss__intern_find(t, s);
    if (s == NULL || *out != NULL)
        return LSS_OK;
    if (lss__slab_reserve(&t->entries) != LSS_OK)
        return LSS_NOMEM;
    lss__arena_mark m = lss__arena_mark_get(a);
    const char *copy;
    if (lss__arena_strdup(a, s, &copy) != LSS_OK)
        return LSS_NOMEM;
    lss__intern_entry *e = lss__slab_push(&t->entries);
    e->s = copy;
    e->id = t->entries.count;
    HASH_ADD_KEYPTR(hh, t->by_name, e->s, strlen(e->s), e);
    if (e->hh.tbl == NULL) {
        lss__slab_pop(&t->entries);
        lss__arena_reset(a, m);
        return LSS_NOMEM;
    }
    *out = e->s;
    *added = true;
    return LSS_OK;
}

void lss__intern_undo(lss__intern *t)
{
    lss__intern_entry *e = lss__slab_get(&t->entries, t->entries.count - 1);
    HASH_DELETE(hh, t->by_name, e);
    lss__slab_pop(&t->entries);
    /* its text stays in the arena until the caller resets its own mark */
}

void lss__intern_free(lss__intern *t)
{
    HASH_CLEAR(hh, t->by_name);
    lss__slab_free(&t->entries);
}
