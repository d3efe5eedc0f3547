/* lss publish: every committed event of a database, in order, into a NATS
 * JetStream stream, each message with the id "<database id>:<seq>" (the
 * stream drops a message whose id it has seen: a publish repeated after a
 * crash is stored once). Where to start is asked of the stream: the last
 * message on the database's subject holds the last sequence number stored.
 *
 * lss replicate: a durable pull consumer of that subject applies each event
 * to a follower database (LSS_OPEN_FOLLOWER), a batch per transaction, and
 * acknowledges the batch after the local commit: a message redelivered
 * after a crash is one the follower already has (its sequence number says
 * so) and is skipped. */
#define _POSIX_C_SOURCE 200809L
#include "feed.h"

#include <salesservice.h>

#include <nats/nats.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

volatile sig_atomic_t feed_stop;

#define FETCH_BATCH 512
#define STUCK_SECONDS 30 /* a gap that redelivery has not filled by then is a gap in the stream */
#define MAX_PENDING 4096

typedef struct feed {
    natsConnection *nc;
    jsCtx *js;
    lss_db *db;
    char subject[256];
    char *err;
    size_t errlen;
    volatile bool publish_failed;
    char publish_why[256];
} feed;

static int failf(feed *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int failf(feed *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->err, f->errlen, fmt, ap);
    va_end(ap);
    return 1;
}

static int nats_fail(feed *f, const char *what, natsStatus s, jsErrCode jerr)
{
    const char *last = nats_GetLastError(NULL);
    return failf(f, "%s: %s%s%s (JetStream error %d)", what, natsStatus_GetText(s), last && *last ? ": " : "",
                 last ? last : "", (int)jerr);
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static void on_publish_error(jsCtx *js, jsPubAckErr *pae, void *closure)
{
    (void)js;
    feed *f = closure;
    if (!f->publish_failed)
        snprintf(f->publish_why, sizeof f->publish_why, "%s%s%s", natsStatus_GetText(pae->Err),
                 pae->ErrText ? ": " : "", pae->ErrText ? pae->ErrText : "");
    f->publish_failed = true;
}

static int connect_js(feed *f, const char *server, bool async_errors)
{
    natsOptions *no = NULL;
    natsStatus s = natsOptions_Create(&no);
    char list[1024];
    const char *urls[16];
    int n = 0;
    snprintf(list, sizeof list, "%s", server);
    for (char *save = NULL, *u = strtok_r(list, ",", &save); u && n < 16; u = strtok_r(NULL, ",", &save))
        urls[n++] = u;
    if (s == NATS_OK)
        s = n ? natsOptions_SetServers(no, urls, n) : NATS_INVALID_ARG;
    if (s == NATS_OK)
        s = natsOptions_SetMaxReconnect(no, 120);
    if (s == NATS_OK)
        s = natsOptions_SetReconnectWait(no, 250);
    if (s == NATS_OK)
        s = natsConnection_Connect(&f->nc, no);
    natsOptions_Destroy(no);
    if (s != NATS_OK)
        return nats_fail(f, server, s, 0);
    jsOptions jo;
    jsOptions_Init(&jo);
    jo.Wait = 10000;
    if (async_errors) {
        jo.PublishAsync.MaxPending = MAX_PENDING;
        jo.PublishAsync.ErrHandler = on_publish_error;
        jo.PublishAsync.ErrHandlerClosure = f;
    }
    if ((s = natsConnection_JetStream(&f->js, f->nc, &jo)) != NATS_OK)
        return nats_fail(f, "JetStream", s, 0);
    return 0;
}

static void feed_close(feed *f)
{
    if (f->js)
        jsCtx_Destroy(f->js);
    if (f->nc) {
        natsConnection_Close(f->nc);
        natsConnection_Destroy(f->nc);
    }
    lss_db_close(f->db);
}

/* The sequence number a message of the feed carries: {"seq":N,... */
static bool seq_of(const char *data, int len, uint64_t *seq, int *body)
{
    static const char head[] = "{\"seq\":";
    if (len < (int)sizeof head || memcmp(data, head, sizeof head - 1) != 0)
        return false;
    uint64_t v = 0;
    int i = (int)sizeof head - 1, start = i;
    while (i < len && data[i] >= '0' && data[i] <= '9' && i - start < 20)
        v = v * 10 + (uint64_t)(data[i++] - '0');
    if (i == start || i >= len || data[i] != ',')
        return false;
    *seq = v;
    *body = i + 1;
    return true;
}

/* The sequence number of the last message on the subject (0: none). */
static int last_stored(feed *f, const char *stream, uint64_t *last)
{
    natsMsg *m = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetLastMsg(&m, f->js, stream, f->subject, NULL, &jerr);
    *last = 0;
    if (s == NATS_NOT_FOUND || jerr == JSNoMessageFoundErr)
        return 0;
    if (s != NATS_OK)
        return nats_fail(f, "asking the stream for its last message", s, jerr);
    int body;
    bool ok = seq_of(natsMsg_GetData(m), natsMsg_GetDataLength(m), last, &body);
    natsMsg_Destroy(m);
    return ok ? 0 : failf(f, "the last message on %s is not an event of the feed", f->subject);
}

static int ensure_stream(feed *f, const char *stream, int replicas)
{
    jsStreamInfo *si = NULL;
    jsErrCode jerr = 0;
    natsStatus s = js_GetStreamInfo(&si, f->js, stream, NULL, &jerr);
    if (s == NATS_OK) {
        jsStreamInfo_Destroy(si);
        return 0;
    }
    if (jerr != JSStreamNotFoundErr && s != NATS_NOT_FOUND)
        return nats_fail(f, "asking for the stream", s, jerr);
    jsStreamConfig cfg;
    jsStreamConfig_Init(&cfg);
    const char *subjects[1] = { f->subject };
    cfg.Name = stream;
    cfg.Subjects = subjects;
    cfg.SubjectsLen = 1;
    cfg.Storage = js_FileStorage;
    cfg.Replicas = replicas;
    s = js_AddStream(&si, f->js, &cfg, NULL, &jerr);
    if (s != NATS_OK && jerr != JSStreamNameExistErr) /* another publisher made it meanwhile */
        return nats_fail(f, "creating the stream", s, jerr);
    if (si)
        jsStreamInfo_Destroy(si);
    return 0;
}

typedef struct pub_ctx {
    feed *f;
    const char *id;
    uint64_t last, sent;
    char *buf;
    size_t cap;
    natsStatus status;
} pub_ctx;

/* Room for need bytes in *buf (of *cap); false without memory (*buf kept). */
static bool room(char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return true;
    char *b = realloc(*buf, need);
    if (b == NULL)
        return false;
    *buf = b;
    *cap = need;
    return true;
}

static int publish_one(void *ctx, const lss_change *ch)
{
    pub_ctx *p = ctx;
    if (!room(&p->buf, &p->cap, ch->json_len + 32)) {
        p->status = NATS_NO_MEMORY;
        return 1;
    }
    int n = snprintf(p->buf, p->cap, "{\"seq\":%" PRIu64 ",%s", ch->seq, ch->json + 1);
    char msgid[64];
    snprintf(msgid, sizeof msgid, "%s:%" PRIu64, p->id, ch->seq);
    jsPubOptions po;
    jsPubOptions_Init(&po);
    po.MsgId = msgid;
    natsStatus s = js_PublishAsync(p->f->js, p->f->subject, p->buf, n, &po);
    if (s != NATS_OK || p->f->publish_failed) {
        p->status = s != NATS_OK ? s : NATS_ERR;
        return 1;
    }
    p->last = ch->seq;
    p->sent++;
    return 0;
}

/* f with its database open (flags, follow) and the subject (NULL: lss.<id>); 1 after a failure. */
static int feed_open(feed *f, char *err, size_t errlen, const feed_opts *o, unsigned flags, const char *id)
{
    memset(f, 0, sizeof *f);
    f->err = err;
    f->errlen = errlen;
    lss_open_options oo = LSS_OPEN_OPTIONS_INIT;
    oo.flags = flags;
    oo.follow = o->database_id;
    if (lss_db_open(&f->db, o->db, &oo) != LSS_OK)
        return failf(f, "%s", lss_errmsg());
    if (o->subject)
        snprintf(f->subject, sizeof f->subject, "%s", o->subject);
    else
        snprintf(f->subject, sizeof f->subject, "lss.%s", id ? id : lss_db_id(f->db));
    return 0;
}

int feed_publish(const feed_opts *o, char *err, size_t errlen)
{
    feed f;
    if (feed_open(&f, err, errlen, o, LSS_OPEN_READ_ONLY, NULL))
        return 1;
    const char *id = lss_db_id(f.db);
    int rc = 0;
    pub_ctx p = { &f, id, 0, 0, NULL, 0, NATS_OK };
    if (*id == '\0') {
        rc = failf(&f, "%s is a version 1 journal without a database id: open it for writing once (lss checkpoint "
                       "%s) to give it one", o->db, o->db);
        goto done;
    }
    if ((rc = connect_js(&f, o->server, true)) || (rc = ensure_stream(&f, o->stream, o->replicas)) ||
        (rc = last_stored(&f, o->stream, &p.last)))
        goto done;
    if (p.last > lss_db_event_count(f.db)) {
        rc = failf(&f, "the stream holds event %" PRIu64 " of database %s, and %s has %" PRIu64 " events: it is not "
                       "the database the stream was fed from",
                   p.last, id, o->db, lss_db_event_count(f.db));
        goto done;
    }
    uint64_t first = p.last;
    for (;;) {
        if (lss_events_since(f.db, p.last, publish_one, &p) != LSS_OK && p.status == NATS_OK) {
            rc = failf(&f, "%s", lss_db_errmsg(f.db));
            break;
        }
        jsPubOptions wait;
        jsPubOptions_Init(&wait);
        wait.MaxWait = 60000;
        natsStatus s = js_PublishAsyncComplete(f.js, &wait);
        if (p.status != NATS_OK || s != NATS_OK || f.publish_failed) {
            rc = f.publish_failed ? failf(&f, "publishing: %s", f.publish_why)
                                  : nats_fail(&f, "publishing", p.status != NATS_OK ? p.status : s, 0);
            break;
        }
        if (o->once || feed_stop)
            break;
        sleep_ms(o->interval_ms);
        uint64_t n;
        int reopened;
        if (lss_db_refresh(f.db, &n, &reopened) != LSS_OK) {
            rc = failf(&f, "%s", lss_db_errmsg(f.db));
            break;
        }
    }
    if (rc == 0 && p.last > first)
        printf("published events %" PRIu64 "..%" PRIu64 " of database %s to %s (stream %s)\n", first + 1, p.last, id,
               f.subject, o->stream);
    else if (rc == 0)
        printf("nothing to publish: stream %s holds events 1..%" PRIu64 " of database %s on %s\n", o->stream, p.last,
               id, f.subject);
done:
    free(p.buf);
    feed_close(&f);
    return rc;
}

/* Messages fetched but not yet applied: after a crash the events a killed
 * replicator held come back only when their ack wait ends, so later ones
 * may arrive first. They wait here, sorted by sequence number, until the
 * ones before them arrive. The server delivers at most MaxAckPending
 * unacknowledged messages, which bounds this. */
typedef struct held_msg {
    uint64_t seq;
    int body;
    natsMsg *m;
} held_msg;

typedef struct held {
    held_msg *v;
    size_t n, cap;
} held;

static int by_seq(const void *a, const void *b)
{
    uint64_t x = ((const held_msg *)a)->seq, y = ((const held_msg *)b)->seq;
    return x < y ? -1 : x > y;
}

static void held_free(held *h)
{
    for (size_t i = 0; i < h->n; i++)
        natsMsg_Destroy(h->v[i].m);
    free(h->v);
}

/* Take the fetched messages into h (the list keeps none). */
static int hold(feed *f, held *h, natsMsgList *list)
{
    for (int i = 0; i < list->Count; i++) {
        natsMsg *m = list->Msgs[i];
        held_msg x = { 0, 0, m };
        if (!seq_of(natsMsg_GetData(m), natsMsg_GetDataLength(m), &x.seq, &x.body))
            return failf(f, "a message on %s is not an event of the feed", f->subject);
        if (h->n == h->cap) {
            size_t cap = h->cap ? 2 * h->cap : 1024;
            held_msg *v = realloc(h->v, cap * sizeof *v);
            if (v == NULL)
                return failf(f, "out of memory");
            h->v = v;
            h->cap = cap;
        }
        h->v[h->n++] = x;
        list->Msgs[i] = NULL; /* held: natsMsgList_Destroy leaves it */
    }
    qsort(h->v, h->n, sizeof *h->v, by_seq);
    return 0;
}

/* Apply the held events that come next, in one transaction; after the
 * commit, acknowledge them and the ones the follower already had. */
static int apply_held(feed *f, held *h, uint64_t *applied, uint64_t *skipped)
{
    if (lss_tx_begin(f->db) != LSS_OK)
        return failf(f, "%s", lss_db_errmsg(f->db));
    char *buf = NULL;
    size_t cap = 0, done = 0;
    int rc = 0;
    uint64_t n = 0, dup = 0;
    for (; done < h->n && rc == 0; done++) {
        held_msg *x = &h->v[done];
        uint64_t next = lss_db_event_count(f->db) + 1;
        if (x->seq < next) {
            dup++; /* the follower has it: a redelivery after a crash, or a restart */
            continue;
        }
        if (x->seq > next)
            break; /* the ones before it have not come yet */
        const char *data = natsMsg_GetData(x->m);
        size_t len = (size_t)(natsMsg_GetDataLength(x->m) - x->body);
        if (!room(&buf, &cap, len + 2)) {
            rc = failf(f, "out of memory");
            break;
        }
        buf[0] = '{';
        memcpy(buf + 1, data + x->body, len);
        buf[len + 1] = '\0';
        if (lss_apply_json(f->db, buf) != LSS_OK)
            rc = failf(f, "event %" PRIu64 " does not apply: %s", x->seq, lss_db_errmsg(f->db));
        n++;
    }
    free(buf);
    if (rc != 0) {
        lss_tx_rollback(f->db);
        return rc;
    }
    if (lss_tx_commit(f->db) != LSS_OK) /* on disk (sync full) before any acknowledgement */
        return failf(f, "%s", lss_db_errmsg(f->db));
    for (size_t i = 0; i < done; i++) {
        (void)natsMsg_Ack(h->v[i].m, NULL); /* a lost ack: redelivered, and skipped then */
        natsMsg_Destroy(h->v[i].m);
    }
    memmove(h->v, h->v + done, (h->n - done) * sizeof *h->v);
    h->n -= done;
    *applied += n;
    *skipped += dup;
    return 0;
}

int feed_replicate(const feed_opts *o, char *err, size_t errlen)
{
    feed f;
    if (feed_open(&f, err, errlen, o, LSS_OPEN_FOLLOWER, o->database_id))
        return 1;
    char durable[128];
    snprintf(durable, sizeof durable, "%s", o->durable ? o->durable : "");
    if (!o->durable)
        snprintf(durable, sizeof durable, "lss-replicate-%s", o->database_id);
    natsSubscription *sub = NULL;
    uint64_t applied = 0, skipped = 0, target = 0;
    int rc = connect_js(&f, o->server, false);
    if (rc == 0 && o->once)
        rc = last_stored(&f, o->stream, &target);
    if (rc == 0) {
        jsSubOptions so;
        jsSubOptions_Init(&so);
        so.Stream = o->stream;
        so.Config.DeliverPolicy = js_DeliverAll;
        so.Config.AckPolicy = js_AckExplicit;
        so.Config.AckWait = (int64_t)2 * 1000000000; /* what a killed replicator held comes back after 2 s */
        so.Config.MaxAckPending = 4 * FETCH_BATCH;
        jsErrCode jerr = 0;
        natsStatus s = js_PullSubscribe(&sub, f.js, f.subject, durable, NULL, &so, &jerr);
        if (s != NATS_OK)
            rc = nats_fail(&f, "subscribing to the stream", s, jerr);
    }
    time_t progress = time(NULL);
    uint64_t seen = lss_db_event_count(f.db);
    held h = { NULL, 0, 0 };
    while (rc == 0 && !feed_stop) {
        uint64_t have = lss_db_event_count(f.db);
        if (o->once && have >= target)
            break;
        if (have != seen || h.n == 0) {
            seen = have;
            progress = time(NULL);
        } else if (time(NULL) - progress > STUCK_SECONDS) {
            rc = failf(&f, "the stream holds event %" PRIu64 " but not event %" PRIu64 " (none came for %d s): the "
                           "follower cannot go on",
                       h.v[0].seq, have + 1, STUCK_SECONDS);
            break;
        }
        natsMsgList list = { NULL, 0 };
        jsErrCode jerr = 0;
        natsStatus s = natsSubscription_Fetch(&list, sub, FETCH_BATCH, o->interval_ms < 100 ? 100 : o->interval_ms,
                                              &jerr);
        if (s == NATS_TIMEOUT)
            continue;
        if (s != NATS_OK) {
            rc = nats_fail(&f, "fetching from the stream", s, jerr);
            break;
        }
        rc = hold(&f, &h, &list);
        natsMsgList_Destroy(&list);
        if (rc == 0)
            rc = apply_held(&f, &h, &applied, &skipped);
    }
    held_free(&h);
    if (rc == 0)
        printf("follower %s of database %s: %" PRIu64 " events (%" PRIu64 " applied now, %" PRIu64
               " already there)\n",
               o->db, o->database_id, lss_db_event_count(f.db), applied, skipped);
    if (sub)
        natsSubscription_Destroy(sub);
    feed_close(&f);
    return rc;
}
