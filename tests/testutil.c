#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

lss_time T(const char *text)
{
    lss_time t = -1;
    if (lss_time_parse(&t, text) != LSS_OK)
        fail_msg("bad time in test: %s: %s", text, lss_errmsg());
    return t;
}

static long g_count, g_nth, g_live;
static int g_fired;

/* a header before each block remembers that it is ours */
typedef union { max_align_t a; size_t n; } hdr;

static void *t_malloc(size_t n, void *ctx)
{
    (void)ctx;
    if (g_nth && ++g_count == g_nth) {
        g_fired = 1;
        return NULL;
    }
    hdr *h = malloc(sizeof(hdr) + n);
    if (!h)
        return NULL;
    h->n = n;
    g_live++;
    return h + 1;
}

static void *t_realloc(void *p, size_t n, void *ctx)
{
    (void)ctx;
    if (p == NULL)
        return t_malloc(n, NULL);
    if (g_nth && ++g_count == g_nth) {
        g_fired = 1;
        return NULL;
    }
    hdr *h = realloc((hdr *)p - 1, sizeof(hdr) + n);
    if (!h)
        return NULL;
    h->n = n;
    return h + 1;
}

static void t_free(void *p, void *ctx)
{
    (void)ctx;
    if (p) {
        g_live--;
        free((hdr *)p - 1);
    }
}

void fail_alloc_install(void)
{
    lss_allocator a = { LSS_ALLOCATOR_VERSION, t_malloc, t_realloc, t_free, NULL };
    g_count = g_nth = g_live = 0;
    g_fired = 0;
    assert_int_equal(lss_set_allocator(&a), LSS_OK);
}

void fail_alloc_uninstall(void) { assert_int_equal(lss_set_allocator(NULL), LSS_OK); }

void fail_alloc_arm(long nth)
{
    g_count = 0;
    g_nth = nth;
    if (nth != 0)
        g_fired = 0; /* disarming keeps the record of the last armed call */
}

int fail_alloc_fired(void) { return g_fired; }
long fail_alloc_live(void) { return g_live; }

char *dump(const lss_db *db)
{
    long saved = g_nth;
    g_nth = 0;
    char *d = lss__dump(db);
    g_nth = saved;
    assert_non_null(d);
    const char *bad = strstr(d, "DISAGREES WITH ITS HISTORY");
    if (bad)
        fail_msg("dump: %.200s", bad - (bad - d > 80 ? 80 : bad - d));
    char *copy = strdup(d);
    lss__free(d);
    return copy;
}

uint64_t dump_hash(const lss_db *db)
{
    char *d = dump(db);
    uint64_t h = 1469598103934665603u;
    for (const char *c = d; *c; c++)
        h = (h ^ (unsigned char)*c) * 1099511628211u;
    free(d);
    return h;
}

void assert_status_msg_(const lss_db *db, lss_status st, lss_status expect, const char *file, int line, ...)
{
    const char *msg = db ? lss_db_errmsg(db) : lss_errmsg();
    if (st != expect)
        fail_msg("%s:%d: status %s, expected %s: %s", file, line, lss_status_name(st), lss_status_name(expect), msg);
    va_list ap;
    va_start(ap, line);
    for (const char *frag; (frag = va_arg(ap, const char *)) != NULL;) {
        if (strstr(msg, frag) == NULL)
            fail_msg("%s:%d: message \"%s\" lacks \"%s\"", file, line, msg, frag);
    }
    va_end(ap);
}

lss_db *open_db(lss_pipeline_mode mode)
{
    lss_db *db = NULL;
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.pipeline = mode;
    assert_int_equal(lss_db_open(&db, NULL, &o), LSS_OK);
    assert_non_null(db);
    return db;
}

static char tmp_dir[256];

int tmp_dir_make(const char *prefix)
{
    const char *base = getenv("TMPDIR");
    if (base == NULL || access(base, W_OK) != 0)
        base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : ".";
    snprintf(tmp_dir, sizeof tmp_dir, "%s/%s-XXXXXX", base, prefix);
    return mkdtemp(tmp_dir) ? 0 : -1;
}

int tmp_dir_remove(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp_dir);
    return system(cmd) == 0 ? 0 : -1;
}

const char *tmp_path(const char *name)
{
    static char p[2][320];
    static int k;
    k ^= 1;
    snprintf(p[k], sizeof p[k], "%s/%s", tmp_dir, name);
    return p[k];
}

int tmp_group_setup(void **state)
{
    (void)state;
    return tmp_dir_make("lss-test");
}

int tmp_group_teardown(void **state)
{
    (void)state;
    return tmp_dir_remove();
}

lss_db *open_journal(const char *path, lss_sync_mode sync)
{
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.pipeline = LSS_PIPELINE_LENIENT;
    o.sync = sync;
    lss_db *db = NULL;
    lss_status st = lss_db_open(&db, path, &o);
    if (st != LSS_OK)
        fail_msg("open %s: %s: %s", path, lss_status_name(st), lss_errmsg());
    return db;
}

char *export_text(lss_db *db)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    lss_status st = lss_export_stream(db, f, NULL);
    fclose(f);
    if (st != LSS_OK)
        fail_msg("export: %s", lss_db_errmsg(db));
    return buf;
}

char *assert_round_trip(lss_db *db)
{
    char *a = export_text(db);
    lss_db *b;
    assert_int_equal(lss_db_open(&b, NULL, NULL), LSS_OK);
    FILE *in = fmemopen(a, strlen(a), "r");
    assert_non_null(in);
    assert_int_equal(lss_import_stream(b, in, NULL, NULL), LSS_OK);
    fclose(in);
    assert_int_equal(dump_hash(b), dump_hash(db));
    char *a2 = export_text(b);
    assert_string_equal(a, a2);
    free(a2);
    lss_db_close(b);
    return a;
}

void assert_reopens(lss_db **db, const char *path, uint64_t want)
{
    lss_db_close(*db);
    assert_int_equal(lss_db_open(db, path, NULL), LSS_OK);
    assert_int_equal(dump_hash(*db), want);
    assert_int_equal(lss_db_checkpoint(*db), LSS_OK);
    lss_db_close(*db);
    assert_int_equal(lss_db_open(db, path, NULL), LSS_OK);
    lss_recovery rec;
    assert_int_equal(lss_db_recovery(&rec, *db), LSS_OK);
    assert_true(rec.checkpoint_events > 0);
    assert_int_equal(dump_hash(*db), want);
    assert_int_equal(lss_db_verify_state(*db), LSS_OK);
}
