/* Storage internals: the key index (lib/core/index.c: lookups, growth, removal
 * with backward shift, long probe runs that wrap around the table's end,
 * failed growth) and the slab (chunks of growing size, stable addresses). */
#include "testutil.h"

#include "domain/domain.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store.h"

typedef struct rec {
    const char *key;
} rec;

typedef struct fixture {
    lss__slab slab;
    char (*keys)[16];
    uint32_t n;
} fixture;

static void fixture_make(fixture *f, uint32_t n)
{
    lss__slab_init(&f->slab, sizeof(rec));
    f->keys = test_malloc(sizeof *f->keys * n);
    f->n = n;
    for (uint32_t i = 0; i < n; i++) {
        snprintf(f->keys[i], sizeof f->keys[i], "k%u", i);
        assert_int_equal(lss__slab_reserve(&f->slab), LSS_OK);
        rec *r = lss__slab_push(&f->slab);
        r->key = f->keys[i];
    }
}

static void fixture_free(fixture *f)
{
    lss__slab_free(&f->slab);
    test_free(f->keys);
}

static uint32_t find(const lss__keyindex *ix, const fixture *f, const char *key)
{
    return lss__keyindex_find(ix, &f->slab, offsetof(rec, key), key);
}

/* hash_of: the real hash, or a constant that puts every key in one probe run */
static void check_all(const lss__keyindex *ix, const fixture *f, uint32_t present_below)
{
    for (uint32_t i = 0; i < f->n; i++)
        assert_int_equal(find(ix, f, f->keys[i]), i < present_below ? i : LSS__NONE);
    assert_int_equal(ix->count, present_below);
    assert_true((uint64_t)ix->count * 5u <= (uint64_t)ix->cap * 4u);
}

static void test_add_find_remove(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, 20000);
    lss__keyindex ix = { 0 };
    assert_int_equal(find(&ix, &f, "k0"), LSS__NONE); /* empty table */
    for (uint32_t i = 0; i < f.n; i++)
        assert_true(lss__keyindex_add(&ix, lss__key_hash(f.keys[i]), i));
    check_all(&ix, &f, f.n);
    assert_int_equal(find(&ix, &f, "k20000"), LSS__NONE);
    assert_int_equal(find(&ix, &f, ""), LSS__NONE);
    /* a rollback removes the newest first */
    for (uint32_t i = f.n; i-- > 12000;)
        lss__keyindex_remove(&ix, lss__key_hash(f.keys[i]), i);
    check_all(&ix, &f, 12000);
    /* removing what is not there changes nothing */
    lss__keyindex_remove(&ix, lss__key_hash(f.keys[15000]), 15000);
    check_all(&ix, &f, 12000);
    /* and the removed keys can come back */
    for (uint32_t i = 12000; i < f.n; i++)
        assert_true(lss__keyindex_add(&ix, lss__key_hash(f.keys[i]), i));
    check_all(&ix, &f, f.n);
    lss__keyindex_clear(&ix);
    assert_int_equal(ix.count, 0);
    assert_int_equal(find(&ix, &f, "k1"), LSS__NONE);
    fixture_free(&f);
}

/* Every key with the same hash: one run of probes through the whole table,
 * wrapping around its end; removals from its middle must keep the rest
 * reachable (backward shift). */
static void test_one_probe_run_wraps_and_survives_removals(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f, 12);
    lss__keyindex ix = { 0 };
    uint32_t h = UINT32_MAX; /* home = the last slot: the run wraps at once */
    for (uint32_t i = 0; i < f.n; i++)
        assert_true(lss__keyindex_add(&ix, h, i));
    assert_int_equal(ix.cap, 16);
    /* the lookup hashes the key: check through the slots themselves */
    uint32_t seen = 0;
    for (uint32_t s = 0; s < ix.cap; s++)
        if (ix.slots[s])
            seen |= 1u << ((uint32_t)ix.slots[s] - 1u);
    assert_int_equal(seen, (1u << 12) - 1u);
    assert_true(ix.slots[15] != 0 && ix.slots[0] != 0);
    /* remove from the middle of the run, then the start */
    lss__keyindex_remove(&ix, h, 5);
    lss__keyindex_remove(&ix, h, 0);
    assert_int_equal(ix.count, 10);
    /* the remaining ids form one contiguous run starting at the home slot */
    uint32_t s = 15, left = 0;
    while (ix.slots[s]) {
        uint32_t id = (uint32_t)ix.slots[s] - 1u;
        assert_true(id != 5 && id != 0 && id < 12);
        left |= 1u << id;
        s = (s + 1) % ix.cap;
    }
    assert_int_equal(left, ((1u << 12) - 1u) & ~(1u << 5) & ~1u);
    lss__keyindex_clear(&ix);
    fixture_free(&f);
}

/* Growth that cannot allocate leaves the table as it was. */
static void test_failed_growth_changes_nothing(void **state)
{
    (void)state;
    fail_alloc_install();
    fixture f;
    fixture_make(&f, 13);
    lss__keyindex ix = { 0 };
    for (uint32_t i = 0; i < 12; i++)
        assert_true(lss__keyindex_add(&ix, lss__key_hash(f.keys[i]), i));
    assert_int_equal(ix.cap, 16); /* a 13th key passes 0.8: the table must grow */
    long live = fail_alloc_live();
    fail_alloc_arm(1);
    assert_false(lss__keyindex_add(&ix, lss__key_hash(f.keys[12]), 12));
    assert_true(fail_alloc_fired());
    fail_alloc_arm(0);
    assert_int_equal(fail_alloc_live(), live);
    assert_int_equal(ix.cap, 16);
    check_all(&ix, &f, 12);
    assert_true(lss__keyindex_add(&ix, lss__key_hash(f.keys[12]), 12));
    assert_int_equal(ix.cap, 24);
    check_all(&ix, &f, 13);
    lss__keyindex_clear(&ix);
    fixture_free(&f);
    assert_int_equal(fail_alloc_live(), 0);
    fail_alloc_uninstall();
}

/* Every id up to well past the small chunks gets its own element, the
 * chunks have the documented sizes, and addresses never move. */
static void test_slab_chunks_and_stable_addresses(void **state)
{
    (void)state;
    lss__slab s;
    lss__slab_init(&s, sizeof(uint32_t));
    enum { N = 5000 };
    uint32_t *addr[N];
    for (uint32_t i = 0; i < N; i++) {
        assert_int_equal(lss__slab_reserve(&s), LSS_OK);
        uint32_t *e = lss__slab_push(&s);
        assert_int_equal(*e, 0); /* zeroed */
        *e = i * 7u + 1u;
        addr[i] = e;
    }
    assert_int_equal(s.count, N);
    /* 16, 16, 32, 64, 128, then 256 each: 5 + 19 chunks for 5000 */
    assert_int_equal(LSS__SLAB_CHUNK, 256);
    assert_int_equal(s.nchunks, 24);
    static const uint32_t first_of_chunk[] = { 0, 16, 32, 64, 128, 256, 512, 768, 1024, 4864 };
    static const uint32_t chunk_no[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 23 };
    for (uint32_t j = 0; j < 10; j++) {
        uint32_t k = chunk_no[j];
        uint32_t off;
        assert_int_equal(lss__slab_chunk_of(first_of_chunk[j], &off), k);
        assert_int_equal(off, 0);
        if (k > 0) {
            assert_int_equal(lss__slab_chunk_of(first_of_chunk[j] - 1, &off), k - 1);
            uint32_t prev_start = chunk_no[j - 1] == k - 1 ? first_of_chunk[j - 1] : first_of_chunk[j] - 256;
            assert_int_equal(prev_start + off, first_of_chunk[j] - 1);
        }
    }
    for (uint32_t i = 0; i < N; i++) {
        assert_ptr_equal(lss__slab_get(&s, i), addr[i]);
        assert_int_equal(*addr[i], i * 7u + 1u);
    }
    /* elements in one chunk are contiguous */
    assert_ptr_equal(lss__slab_get(&s, 17), addr[16] + 1);
    assert_ptr_equal(lss__slab_get(&s, 1500), addr[1280] + 220);
    lss__slab_pop(&s);
    assert_int_equal(s.count, N - 1);
    lss__slab_free(&s);
    assert_int_equal(s.count, 0);
}

/* CRC32C: the CPU's instruction and the table-driven code give the same
 * values, among them RFC 3720's check value, for every length and alignment. */
static void test_crc32c_in_software_and_hardware(void **state)
{
    (void)state;
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        /* the software path: chosen before the first CRC in this process */
        setenv("LSS_NO_HW_CRC", "1", 1);
        unsigned char buf[300];
        for (int i = 0; i < 300; i++)
            buf[i] = (unsigned char)(i * 7 + 3);
        uint32_t out[65];
        out[0] = lss__crc32c(0, "123456789", 9);
        for (int k = 1; k < 65; k++)
            out[k] = lss__crc32c(0, buf + k % 8, (size_t)k * 4 + k % 5);
        exit(write(fds[1], out, sizeof out) == (ssize_t)sizeof out ? 0 : 1); /* exit: coverage data is written */
    }
    uint32_t soft[65];
    assert_int_equal(read(fds[0], soft, sizeof soft), (ssize_t)sizeof soft);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(fds[0]);
    close(fds[1]);
    unsigned char buf[300];
    for (int i = 0; i < 300; i++)
        buf[i] = (unsigned char)(i * 7 + 3);
    assert_int_equal(soft[0], 0xE3069283u);
    assert_int_equal(lss__crc32c(0, "123456789", 9), 0xE3069283u);
    for (int k = 1; k < 65; k++)
        assert_int_equal(lss__crc32c(0, buf + k % 8, (size_t)k * 4 + k % 5), soft[k]);
}

/* The pool of small vectors: many vectors growing side by side (as
 * histories do when stories interleave) keep their contents through every
 * move between capacities, the pool and malloc'd storage (beyond
 * LSS__POOL_MAX), shrinking and release; released blocks are reused. */
static void test_pool_keeps_contents_through_growth_shrink_and_reuse(void **state)
{
    (void)state;
    enum { N = 500 };
    typedef struct { uint64_t a, b, c; } entry; /* 24 bytes, as history entries */
    lss__pool p;
    lss__pool_init(&p, sizeof(entry));
    static lss__vec v[N];
    memset(v, 0, sizeof v);
    for (uint32_t round = 0; round < 40; round++) {
        for (uint32_t i = 0; i < N; i++) {
            if ((i + round) % 7 == 0)
                continue; /* not every vector grows every round */
            assert_int_equal(lss__pool_reserve(&p, &v[i], 1), LSS_OK);
            entry e = { i, v[i].count, (uint64_t)i * 1000003u + v[i].count };
            LSS__VEC_AT(&v[i], entry, v[i].count++) = e;
            assert_true(v[i].cap >= v[i].count);
            assert_true(v[i].cap <= LSS__POOL_MAX || v[i].count > LSS__POOL_MAX / 2);
        }
        if (round % 10 == 9)
            for (uint32_t i = 0; i < N; i += 3)
                lss__pool_shrink(&p, &v[i]);
    }
    for (uint32_t i = 0; i < N; i++) {
        for (uint32_t k = 0; k < v[i].count; k++) {
            entry e = LSS__VEC_AT(&v[i], entry, k);
            assert_true(e.a == i && e.b == k && e.c == (uint64_t)i * 1000003u + k);
        }
        if (i % 3 == 0)
            assert_int_equal(v[i].cap, v[i].count); /* shrunk last round: exact */
    }
    /* a released block of a capacity comes back for the next vector of it */
    lss__vec a = { 0 }, b = { 0 };
    assert_int_equal(lss__pool_reserve(&p, &a, 5), LSS_OK);
    void *where = a.data;
    lss__pool_release(&p, &a);
    assert_null(a.data);
    assert_int_equal(a.cap, 0);
    assert_int_equal(lss__pool_reserve(&p, &b, 5), LSS_OK);
    assert_ptr_equal(b.data, where);
    lss__pool_release(&p, &b);
    for (uint32_t i = 0; i < N; i++)
        lss__pool_release(&p, &v[i]);
    lss__pool_free(&p);
    assert_null(p.chunks);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_find_remove),
        cmocka_unit_test(test_one_probe_run_wraps_and_survives_removals),
        cmocka_unit_test(test_failed_growth_changes_nothing),
        cmocka_unit_test(test_slab_chunks_and_stable_addresses),
        cmocka_unit_test(test_pool_keeps_contents_through_growth_shrink_and_reuse),
        cmocka_unit_test(test_crc32c_in_software_and_hardware),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
