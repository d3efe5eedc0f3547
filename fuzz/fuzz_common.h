/* Helpers shared by the fuzz targets: the public API only, plus libc. A
 * broken promise aborts (libFuzzer then saves the input). */
#ifndef LSS_FUZZ_COMMON_H
#define LSS_FUZZ_COMMON_H

#include <salesservice.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Abort with a message: a promise of the library does not hold. */
#define FUZZ_ASSERT(cond, ...)                                                                      \
    do {                                                                                            \
        if (!(cond)) {                                                                              \
            fprintf(stderr, "fuzz: %s:%d: %s: ", __FILE__, __LINE__, #cond);                        \
            fprintf(stderr, __VA_ARGS__);                                                           \
            fputc('\n', stderr);                                                                    \
            abort();                                                                                \
        }                                                                                           \
    } while (0)

/* CRC32C and LevelDB's mask, as docs/durability.md describes the formats,
 * and little-endian words: for the targets that repair checksums. */
static inline uint32_t fuzz_crc32c(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
    }
    return ~c;
}
static inline uint32_t fuzz_mask(uint32_t c) { return ((c >> 15) | (c << 17)) + 0xa282ead8u; }
static inline uint32_t fuzz_get32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline void fuzz_put32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The database's export (JSON Lines), malloc'd; its length in *len. */
static inline char *fuzz_export(lss_db *db, size_t *len)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    FUZZ_ASSERT(f != NULL, "open_memstream");
    lss_status st = lss_export_stream(db, f, NULL);
    FUZZ_ASSERT(fclose(f) == 0, "fclose");
    FUZZ_ASSERT(st == LSS_OK, "export: %s: %s", lss_status_name(st), lss_db_errmsg(db));
    if (len)
        *len = n;
    return buf;
}

/* Import `len` bytes of JSON Lines (atomic unless keep_going). */
static inline lss_status fuzz_import(lss_db *db, const char *data, size_t len, int keep_going)
{
    FILE *f = fmemopen((void *)data, len, "r");
    FUZZ_ASSERT(f != NULL || len == 0, "fmemopen");
    if (f == NULL)
        f = fopen("/dev/null", "r");
    lss_import_options o = LSS_IMPORT_OPTIONS_INIT;
    if (keep_going)
        o.flags = LSS_IMPORT_KEEP_GOING;
    lss_status st = lss_import_stream(db, f, &o, NULL);
    fclose(f);
    return st;
}

/* Every report of the database renders, as JSON and as text. */
static inline void fuzz_report(lss_db *db)
{
    lss_report *r = NULL;
    lss_status st = lss_report_run(&r, db, NULL);
    /* sums of money beyond 64 bits are refused, with a message (documented) */
    if (st == LSS_OVERFLOW) {
        FUZZ_ASSERT(r == NULL && strstr(lss_db_errmsg(db), "64-bit") != NULL, "overflow: %s", lss_db_errmsg(db));
        return;
    }
    FUZZ_ASSERT(st == LSS_OK, "report: %s: %s", lss_status_name(st), lss_db_errmsg(db));
    char *json = NULL;
    for (int f = LSS_REPORT_JSON; f <= LSS_REPORT_CSV; f++) {
        char *out = NULL;
        size_t n = 0;
        st = lss_report_render(&out, &n, r, (lss_report_format)f);
        FUZZ_ASSERT(st == LSS_OK, "render: %s", lss_status_name(st));
        FUZZ_ASSERT(strlen(out) == n, "render length");
        if (f == LSS_REPORT_JSON)
            json = out;
        else
            lss_free(out);
    }
    lss_report_free(r);
    /* merged with an empty database, the report is the same */
    lss_db *empty = NULL;
    FUZZ_ASSERT(lss_db_open(&empty, NULL, NULL) == LSS_OK, "open");
    lss_db *both[2] = { db, empty };
    lss_report *m = NULL;
    lss_status sm = lss_report_merge(&m, both, 2, NULL, NULL);
    if (sm == LSS_OK) {
        char *out = NULL;
        FUZZ_ASSERT(lss_report_render(&out, NULL, m, LSS_REPORT_JSON) == LSS_OK, "merge render");
        FUZZ_ASSERT(strcmp(out, json) == 0, "merge with an empty database differs:\n%s\n%s", out, json);
        lss_free(out);
        lss_report_free(m);
    } else {
        FUZZ_ASSERT(sm == LSS_INVALID || sm == LSS_OVERFLOW, "merge: %s: %s", lss_status_name(sm), lss_errmsg());
    }
    lss_db_close(empty);
    lss_free(json);
    /* by week: each of the first steps is the report of its window */
    lss_series *s = NULL;
    st = lss_series_run(&s, db, NULL, LSS_STEP_WEEK);
    if (st != LSS_OK) {
        FUZZ_ASSERT(st == LSS_INVALID || st == LSS_OVERFLOW, "series: %s: %s", lss_status_name(st),
                    lss_db_errmsg(db));
        return;
    }
    for (uint32_t i = 0; i < lss_series_count(s) && i < 3; i++) {
        const lss_report *step = lss_series_report(s, i);
        lss_query q = LSS_QUERY_INIT;
        q.from = lss_report_sales(step)->from;
        q.to = lss_report_sales(step)->to;
        q.as_of = lss_report_as_of(step);
        lss_report *alone = NULL;
        FUZZ_ASSERT(lss_report_run(&alone, db, &q) == LSS_OK, "a step's report alone: %s", lss_db_errmsg(db));
        char *a = NULL, *b = NULL;
        FUZZ_ASSERT(lss_report_render(&a, NULL, step, LSS_REPORT_JSON) == LSS_OK, "step render");
        FUZZ_ASSERT(lss_report_render(&b, NULL, alone, LSS_REPORT_JSON) == LSS_OK, "render");
        FUZZ_ASSERT(strcmp(a, b) == 0, "series step %u differs from its report:\n%s\n%s", i, a, b);
        lss_free(a);
        lss_free(b);
        lss_report_free(alone);
    }
    lss_series_free(s);
}

/* export -> import into a new database -> export is the same text. */
static inline void fuzz_roundtrip(lss_db *db)
{
    size_t n1, n2;
    char *e1 = fuzz_export(db, &n1);
    lss_db *copy = NULL;
    FUZZ_ASSERT(lss_db_open(&copy, NULL, NULL) == LSS_OK, "open");
    lss_status st = fuzz_import(copy, e1, n1, 0);
    FUZZ_ASSERT(st == LSS_OK, "re-import of an export: %s: %s", lss_status_name(st), lss_db_errmsg(copy));
    char *e2 = fuzz_export(copy, &n2);
    FUZZ_ASSERT(n1 == n2 && memcmp(e1, e2, n1) == 0, "export -> import -> export differs");
    free(e1);
    free(e2);
    lss_db_close(copy);
}

#endif
