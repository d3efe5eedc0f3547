/* JSON Lines import (parsed with jansson) and export (written by hand, in
 * the canonical form), over the events of domain/schema.h. */
#define _GNU_SOURCE 1 /* getline */
#include "core/enums.h"
#include "db/db.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

/* ---- export ----------------------------------------------------------------- */

lss_status lss_export_stream(lss_db *db, FILE *f, const lss_export_options *opts)
{
    static const char ctx[] = "export";
    lss_export_options def = LSS_EXPORT_OPTIONS_INIT;
    if (db == NULL || f == NULL)
        return lss__fail(db, LSS_INVALID, "%s: NULL argument", ctx);
    if (opts == NULL)
        opts = &def;
    if (opts->version != LSS_EXPORT_OPTIONS_VERSION)
        return lss__fail(db, LSS_VERSION, "%s: options version %u is not supported (expected %d)", ctx,
                         opts->version, LSS_EXPORT_OPTIONS_VERSION);
    lss__lock(db);
    lss__evref *refs;
    uint64_t n;
    lss_status st = lss__event_refs(db, &refs, &n);
    if (st != LSS_OK) {
        lss__unlock(db);
        return st;
    }
    lss__json o = { NULL, 0, 0, false };
    bool err = false;
    /* db.config first, at the time of the first event */
    lss__event first;
    lss_time at0 = 0;
    if (n) {
        lss__event_of(db, &refs[0], &first);
        at0 = first.at;
    }
    lss__json_config(&o, at0, db->currency, lss_pipeline_mode_name(db->pipeline));
    for (uint64_t k = 0; k < n && !err && !o.nomem; k++) {
        lss__event ev;
        lss__event_of(db, &refs[k], &ev);
        lss__json_event(&o, &ev);
        if (o.len >= (1u << 16) || k + 1 == n) { /* in writes of about 64 KiB */
            err = fwrite(o.data, 1, o.len, f) != o.len;
            o.len = 0;
        }
        if (opts->progress && (k + 1) % 65536 == 0)
            opts->progress(opts->progress_ctx, k + 1, n);
    }
    if (n == 0 && !o.nomem)
        err = fwrite(o.data, 1, o.len, f) != o.len;
    if (!err && fflush(f) != 0)
        err = true;
    if (o.nomem)
        st = lss__fail(db, LSS_NOMEM, "%s: out of memory", ctx);
    else if (err)
        st = lss__fail(db, LSS_IO, "%s: write failed: %s", ctx, strerror(errno));
    else if (opts->progress)
        opts->progress(opts->progress_ctx, n, n);
    lss__free(o.data);
    lss__free(refs);
    lss__unlock(db);
    return st;
}

lss_status lss_export_file(lss_db *db, const char *path, const lss_export_options *opts)
{
    if (db == NULL || path == NULL)
        return lss__fail(db, LSS_INVALID, "export: NULL argument");
    if (strcmp(path, "-") == 0)
        return lss_export_stream(db, stdout, opts);
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return lss__fail(db, LSS_IO, "export: cannot create \"%.200s\": %s", path, strerror(errno));
    lss_status st = lss_export_stream(db, f, opts);
    if (fclose(f) != 0 && st == LSS_OK)
        st = lss__fail(db, LSS_IO, "export: \"%.200s\": %s", path, strerror(errno));
    return st;
}

/* ---- import ------------------------------------------------------------------ */

/* One line's failure: "<type>: field \"x\": <reason>" into msg. */
#define FAIL(...) (snprintf(msg, LSS__MSG_MAX, __VA_ARGS__), LSS_INVALID)

static const char *json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number with a fraction or exponent";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

static lss_status parse_time_value(const json_t *v, lss_time *out, const char *type, const char *name, char *msg)
{
    if (json_is_integer(v)) {
        json_int_t t = json_integer_value(v);
        if (!lss__time_fits((lss_time)t))
            return FAIL("%s: field \"%s\": %lld is out of range (0 to %lld, years 1970-9999)", type, name,
                        (long long)t, (long long)LSS_TIME_MAX);
        *out = (lss_time)t;
        return LSS_OK;
    }
    if (!json_is_string(v))
        return FAIL("%s: field \"%s\": expected a timestamp string or Unix seconds, got %s", type, name,
                    json_kind(v));
    if (lss_time_parse(out, json_string_value(v)) != LSS_OK)
        return FAIL("%s: field \"%s\": %s", type, name, lss_errmsg());
    return LSS_OK;
}

/* Fill ev from the JSON object of one line. *config is set for db.config. */
/* One field present in the line, by its type. */
static lss_status parse_field(const lss__field *f, json_t *v, lss__event *ev, const char *type, char *msg)
{
    lss_status st;
    switch (f->type) {
    case LSS__F_KEY:
    case LSS__F_TEXT:
        if (!json_is_string(v))
            return FAIL("%s: field \"%s\": expected a string, got %s", type, f->name, json_kind(v));
        if (strlen(json_string_value(v)) != json_string_length(v))
            return FAIL("%s: field \"%s\": contains a NUL character", type, f->name);
        ev->s[f->slot] = json_string_value(v);
        break;
    case LSS__F_TIME:
        if ((st = parse_time_value(v, &ev->i[f->slot], type, f->name, msg)))
            return st;
        break;
    case LSS__F_MONEY:
        if (json_is_integer(v)) {
            json_int_t whole = json_integer_value(v);
            if (__builtin_mul_overflow((int64_t)whole, (int64_t)100, &ev->i[f->slot]))
                return FAIL("%s: field \"%s\": %lld does not fit in 64-bit minor units", type, f->name,
                            (long long)whole);
        } else if (json_is_string(v)) {
            lss_status ms = lss_money_parse(&ev->i[f->slot], json_string_value(v));
            if (ms != LSS_OK) {
                snprintf(msg, LSS__MSG_MAX, "%s: field \"%s\": %s", type, f->name, lss_errmsg());
                return ms;
            }
        } else {
            return FAIL("%s: field \"%s\": expected a decimal string such as \"1234.56\" or an integer, got %s "
                        "(money never passes through floating point)",
                        type, f->name, json_kind(v));
        }
        break;
    case LSS__F_DURATION:
    case LSS__F_INT:
        if (!json_is_integer(v))
            return FAIL("%s: field \"%s\": expected an integer, got %s", type, f->name, json_kind(v));
        ev->i[f->slot] = json_integer_value(v);
        if (f->type == LSS__F_DURATION && (ev->i[f->slot] < 0 || ev->i[f->slot] > LSS__DURATION_MAX))
            return FAIL("%s: field \"%s\": %lld is out of range (0 to %lld seconds)", type, f->name,
                        (long long)ev->i[f->slot], (long long)LSS__DURATION_MAX);
        break;
    case LSS__F_ENUM: {
        if (!json_is_string(v))
            return FAIL("%s: field \"%s\": expected a string, got %s", type, f->name, json_kind(v));
        const char *s = json_string_value(v);
        lss__enum_id e = (lss__enum_id)f->spelling;
        int found = lss__enum_find(e, s);
        if (found < 0) {
            char expected[256];
            lss__enum_list(e, f->first, f->last < 0 ? lss__enums[e].count - 1 : f->last, expected,
                           sizeof expected);
            return FAIL("%s: field \"%s\": \"%.64s\" is not a %s (expected %s)", type, f->name, s,
                        lss__enums[e].noun, expected);
        }
        ev->i[f->slot] = found;
        break;
    }
    }
    return LSS_OK;
}

/* hours (an array of {"day","from","to"}) or holidays (an array of dates):
 * checked, then put in the object in place of the array as the text the
 * event keeps (lss__hours_format, lss__dates_format), which lives as long as
 * the object. */
static lss_status parse_calendar_field(json_t *obj, const lss__field *f, json_t *v, lss__event *ev, const char *type,
                                       char *msg)
{
    bool hours = f->type == LSS__F_HOURS;
    if (!json_is_array(v))
        return FAIL("%s: field \"%s\": expected an array, got %s", type, f->name, json_kind(v));
    size_t n = json_array_size(v), max = hours ? LSS__HOURS_MAX : LSS__HOLIDAYS_MAX;
    if (n > max)
        return FAIL("%s: field \"%s\": more than %zu entries", type, f->name, max);
    if (hours && n == 0)
        return FAIL("%s: field \"hours\": at least one interval is needed", type);
    lss_hours *h = hours ? lss__malloc((n ? n : 1) * sizeof *h) : NULL;
    lss_date *d = hours ? NULL : lss__malloc((n ? n : 1) * sizeof *d);
    if (h == NULL && d == NULL)
        return FAIL("%s: out of memory", type);
    lss_status st = LSS_OK;
    for (size_t i = 0; i < n && st == LSS_OK; i++) {
        json_t *x = json_array_get(v, i);
        if (!hours) {
            if (!json_is_string(x) || lss_date_parse(&d[i], json_string_value(x)) != LSS_OK)
                st = FAIL("%s: field \"holidays\"[%zu]: expected a date \"YYYY-MM-DD\" (years 1970-9999), got %s", type,
                          i, json_is_string(x) ? json_string_value(x) : json_kind(x));
            continue;
        }
        if (!json_is_object(x)) {
            st = FAIL("%s: field \"hours\"[%zu]: expected an object {\"day\",\"from\",\"to\"}, got %s", type, i,
                      json_kind(x));
            continue;
        }
        const char *k;
        json_t *y;
        json_object_foreach(x, k, y)
        {
            if (st == LSS_OK && strcmp(k, "day") && strcmp(k, "from") && strcmp(k, "to"))
                st = FAIL("%s: field \"hours\"[%zu]: unknown field \"%.64s\"", type, i, k);
        }
        json_t *day = json_object_get(x, "day"), *from = json_object_get(x, "from"), *to = json_object_get(x, "to");
        lss_weekday wd;
        if (st == LSS_OK && (!json_is_string(day) || lss_weekday_parse(&wd, json_string_value(day)) != LSS_OK))
            st = FAIL("%s: field \"hours\"[%zu]: \"day\": expected mon, tue, wed, thu, fri, sat or sun", type, i);
        const char *names[2] = { "from", "to" };
        json_t *tv[2] = { from, to };
        int32_t sec[2] = { 0, 0 };
        for (int j = 0; j < 2 && st == LSS_OK; j++) {
            sec[j] = json_is_string(tv[j]) ? lss__hm_parse(json_string_value(tv[j]), json_string_length(tv[j])) : -1;
            if (sec[j] < 0)
                st = FAIL("%s: field \"hours\"[%zu]: \"%s\": expected a time \"HH:MM\" from 00:00 to 24:00", type, i,
                          names[j]);
        }
        if (st == LSS_OK)
            h[i] = (lss_hours){ wd, sec[0], sec[1] };
    }
    char *text = NULL;
    if (st == LSS_OK && (text = hours ? lss__hours_format(h, n) : lss__dates_format(d, n)) == NULL)
        st = FAIL("%s: out of memory", type);
    json_t *js = text ? json_string(text) : NULL;
    if (st == LSS_OK && (js == NULL || json_object_set_new(obj, f->name, js) != 0))
        st = FAIL("%s: out of memory", type);
    if (st == LSS_OK)
        ev->s[f->slot] = n ? json_string_value(json_object_get(obj, f->name)) : NULL;
    lss__free(text);
    lss__free(h);
    lss__free(d);
    return st;
}

/* The fields of a db.config line (the currency and pipeline of a new database). */
static lss_status parse_config(json_t *obj, const char *type, lss__event *ev, char *currency, int *pipeline, char *msg)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        if (strcmp(key, "type") == 0)
            continue;
        if (strcmp(key, "at") == 0) {
            lss_status st = parse_time_value(v, &ev->at, type, key, msg);
            if (st)
                return st;
        } else if (strcmp(key, "currency") == 0 || strcmp(key, "pipeline") == 0) {
            if (!json_is_string(v))
                return FAIL("db.config: field \"%s\": expected a string, got %s", key, json_kind(v));
            const char *s = json_string_value(v);
            if (key[0] == 'c') {
                if (!lss__currency_valid(s))
                    return FAIL("db.config: field \"currency\": \"%.32s\" is not an ISO 4217 code (three "
                                "letters A-Z)",
                                s);
                memcpy(currency, s, 4);
            } else {
                lss_pipeline_mode m;
                if (lss_pipeline_mode_parse(&m, s) != LSS_OK)
                    return FAIL("db.config: field \"pipeline\": \"%.32s\" is not a pipeline mode (expected "
                                "strict or lenient)",
                                s);
                *pipeline = (int)m;
            }
        } else {
            return FAIL("db.config: unknown field \"%.64s\"", key);
        }
    }
    if (json_object_get(obj, "at") == NULL)
        return FAIL("db.config: field \"at\" is required");
    return LSS_OK;
}

static lss_status parse_event(json_t *obj, lss__event *ev, bool *config, char *currency, int *pipeline, char *msg)
{
    *config = false;
    if (!json_is_object(obj))
        return FAIL("expected a JSON object, got %s", json_kind(obj));
    json_t *tv = json_object_get(obj, "type");
    if (tv == NULL)
        return FAIL("field \"type\" is required");
    if (!json_is_string(tv))
        return FAIL("field \"type\": expected a string, got %s", json_kind(tv));
    const char *type = json_string_value(tv);
    json_t *at = json_object_get(obj, "at");
    memset(ev, 0, sizeof *ev);
    for (int k = 0; k < LSS__EV_STRS; k++)
        ev->ref[k] = LSS__NONE;
    if (strcmp(type, "db.config") == 0) {
        *config = true;
        return parse_config(obj, type, ev, currency, pipeline, msg);
    }
    const lss__ev_desc *t = NULL;
    for (uint8_t k = 1; k < LSS__EV_COUNT && t == NULL; k++)
        if (strcmp(lss__ev_descs[k].name, type) == 0) {
            t = &lss__ev_descs[k];
            ev->kind = k;
        }
    if (t == NULL)
        return FAIL("field \"type\": \"%.64s\" is not an event type", type);
    /* every field present must be known */
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        bool known = strcmp(key, "type") == 0 || strcmp(key, "at") == 0;
        for (unsigned k = 0; k < t->nf && !known; k++)
            known = strcmp(t->f[k].name, key) == 0;
        if (!known)
            return FAIL("%s: unknown field \"%.64s\"", type, key);
    }
    if (at == NULL)
        return FAIL("%s: field \"at\" is required", type);
    lss_status st = parse_time_value(at, &ev->at, type, "at", msg);
    if (st)
        return st;
    for (unsigned k = 0; k < t->nf; k++) {
        const lss__field *f = &t->f[k];
        v = json_object_get(obj, f->name);
        if (v == NULL) {
            if (f->required)
                return FAIL("%s: field \"%s\" is required", type, f->name);
            if (!lss__field_is_text(f->type))
                ev->i[f->slot] = f->absent;
            continue;
        }
        if ((st = f->type == LSS__F_HOURS || f->type == LSS__F_DATES ? parse_calendar_field(obj, f, v, ev, type, msg)
                                                                          : parse_field(f, v, ev, type, msg)))
            return st;
    }
    return LSS_OK;
}
#undef FAIL

typedef struct importer {
    lss_db *db;
    const lss_import_options *opts;
    lss_import_result *res;
    char currency0[4];
    lss_pipeline_mode pipeline0;
} importer;

/* One line: parse and apply. On failure the database message says why,
 * after "line N: " (lineno 0: a single event, no line number). */
static lss_status import_line(importer *im, char *line, size_t len, uint64_t lineno)
{
    char where[32] = "";
    if (lineno)
        snprintf(where, sizeof where, "line %llu: ", (unsigned long long)lineno);
    lss_db *db = im->db;
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
        line[--len] = '\0';
    size_t k = 0;
    while (k < len && (line[k] == ' ' || line[k] == '\t'))
        k++;
    if (k == len)
        return LSS_OK; /* blank */
    json_error_t jerr;
    json_t *obj = json_loadb(line, len, JSON_REJECT_DUPLICATES, &jerr);
    char msg[LSS__MSG_MAX];
    if (obj == NULL)
        return lss__fail(db, LSS_INVALID, "%snot valid JSON: %s (at column %d)", where, jerr.text, jerr.column);
    lss__event ev;
    bool config;
    char currency[4];
    memcpy(currency, db->currency, 4);
    int pipeline = (int)db->pipeline;
    lss_status st = parse_event(obj, &ev, &config, currency, &pipeline, msg);
    if (st != LSS_OK)
        st = lss__fail(db, st, "%s%s", where, msg);
    else if (config)
        st = lss__db_configure(db, currency, pipeline, where);
    else if ((st = lss__event_apply(db, &ev, NULL)) != LSS_OK) {
        snprintf(msg, sizeof msg, "%s", lss_db_errmsg(db));
        st = lss__fail(db, st, "%s%s", where, msg);
    } else {
        im->res->applied++;
    }
    json_decref(obj);
    return st;
}

/* How many bytes are left to read in f (0 if it cannot seek). */
static uint64_t bytes_left(FILE *f)
{
    uint64_t total = 0;
    long pos = ftell(f);
    if (pos >= 0 && fseek(f, 0, SEEK_END) == 0) {
        long end = ftell(f);
        total = end > pos ? (uint64_t)(end - pos) : 0;
        if (fseek(f, pos, SEEK_SET) != 0)
            total = 0;
    }
    return total;
}

/* Commit the import's transaction (st: LSS_OK), or roll it back with the
 * failure's message kept, and a db.config it applied undone. */
static lss_status import_end(importer *im, lss_status st)
{
    lss_db *db = im->db;
    if (st == LSS_OK) {
        if ((st = lss_tx_commit(db)) != LSS_OK)
            im->res->applied = 0;
        return st;
    }
    char msg[LSS__MSG_MAX];
    snprintf(msg, sizeof msg, "%s", lss_db_errmsg(db));
    lss_tx_rollback(db);
    im->res->applied = 0;
    if (db->events == 0 && (memcmp(db->currency, im->currency0, 4) != 0 || db->pipeline != im->pipeline0)) {
        /* if the header cannot be written back the handle is poisoned */
        (void)lss__db_configure(db, im->currency0, (int)im->pipeline0, "");
        memcpy(db->currency, im->currency0, 4);
        db->pipeline = im->pipeline0;
    }
    return lss__fail(db, st, "%s", msg);
}

lss_status lss_import_stream(lss_db *db, FILE *in, const lss_import_options *opts, lss_import_result *result)
{
    static const char ctx[] = "import";
    lss_import_options def = LSS_IMPORT_OPTIONS_INIT;
    lss_import_result ignore;
    if (result == NULL)
        result = &ignore;
    memset(result, 0, sizeof *result);
    if (db == NULL || in == NULL)
        return lss__fail(db, LSS_INVALID, "%s: NULL argument", ctx);
    if (opts == NULL)
        opts = &def;
    if (opts->version != LSS_IMPORT_OPTIONS_VERSION)
        return lss__fail(db, LSS_VERSION, "%s: options version %u is not supported (expected %d)", ctx,
                         opts->version, LSS_IMPORT_OPTIONS_VERSION);
    if (opts->flags & ~LSS_IMPORT_KEEP_GOING)
        return lss__fail(db, LSS_INVALID, "%s: unknown flags 0x%x", ctx, opts->flags & ~LSS_IMPORT_KEEP_GOING);
    lss__lock(db);
    if (db->tx_active) {
        lss__unlock(db);
        return lss__fail(db, LSS_MISUSE, "%s: runs in its own transaction; end the open one first", ctx);
    }
    lss_status st = lss_tx_begin(db);
    if (st != LSS_OK) {
        lss__unlock(db);
        return st;
    }
    importer im = { db, opts, result, { 0 }, db->pipeline };
    memcpy(im.currency0, db->currency, 4);
    bool keep_going = (opts->flags & LSS_IMPORT_KEEP_GOING) != 0;
    uint64_t total = bytes_left(in), done = 0, next_report = 65536;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    errno = 0;
    while ((len = getline(&line, &cap, in)) >= 0) {
        result->lines++;
        done += (uint64_t)len;
        lss_status ls = import_line(&im, line, (size_t)len, result->lines);
        if (ls != LSS_OK) {
            result->rejected++;
            if (result->first_bad_line == 0)
                result->first_bad_line = result->lines;
            if (!keep_going || ls == LSS_NOMEM || ls == LSS_IO) {
                st = ls;
                break;
            }
            if (opts->reject)
                opts->reject(opts->reject_ctx, result->lines, ls, lss_db_errmsg(db));
        }
        if (opts->progress && done >= next_report) {
            opts->progress(opts->progress_ctx, done, total);
            next_report = done + 65536;
        }
    }
    if (st == LSS_OK && ferror(in))
        st = lss__fail(db, LSS_IO, "%s: read failed after line %llu: %s", ctx, (unsigned long long)result->lines,
                       strerror(errno ? errno : EIO));
    free(line);
    st = import_end(&im, st);
    if (st == LSS_OK && opts->progress)
        opts->progress(opts->progress_ctx, done, total ? total : done);
    lss__unlock(db);
    return st;
}

lss_status lss_import_file(lss_db *db, const char *path, const lss_import_options *opts, lss_import_result *result)
{
    if (db == NULL || path == NULL)
        return lss__fail(db, LSS_INVALID, "import: NULL argument");
    if (strcmp(path, "-") == 0)
        return lss_import_stream(db, stdin, opts, result);
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        if (result)
            memset(result, 0, sizeof *result);
        return lss__fail(db, LSS_IO, "import: cannot open \"%.200s\": %s", path, strerror(errno));
    }
    lss_status st = lss_import_stream(db, f, opts, result);
    fclose(f);
    return st;
}

lss_status lss_apply_json(lss_db *db, const char *json)
{
    if (db == NULL || json == NULL)
        return lss__fail(db, LSS_INVALID, "apply: NULL argument");
    size_t len = strlen(json);
    char *copy = lss__malloc(len + 1);
    if (copy == NULL)
        return lss__fail(db, LSS_NOMEM, "apply: out of memory");
    memcpy(copy, json, len + 1);
    lss_import_result res = { 0, 0, 0, 0 };
    importer im = { db, NULL, &res, { 0 }, db->pipeline };
    lss__lock(db);
    lss_status st = import_line(&im, copy, len, 0);
    lss__unlock(db);
    lss__free(copy);
    return st;
}
