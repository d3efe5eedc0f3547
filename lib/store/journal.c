/* The journal: an append-only file of records, one per event, that a
 * durable database is the replay of. Format, recovery and sync rules are in
 * docs/durability.md. */
#define _GNU_SOURCE 1 /* fdatasync, O_CLOEXEC, flock */
#include "store/store.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

/* ---- I/O ------------------------------------------------------------------ */

static int posix_fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int e = errno;
    close(fd);
    errno = e;
    return rc;
}

const lss__io lss__io_posix = { write, fdatasync, ftruncate, rename, posix_fsync_dir, flock, pread };
lss__io lss__io_ops = { write, fdatasync, ftruncate, rename, posix_fsync_dir, flock, pread };

struct lss__journal {
    lss_db *db;              /* the handle it belongs to: its lock (the flusher) and its message */
    int fd;
    char *path;
    char *dir;
    lss_sync_mode sync;
    bool read_only;
    uint32_t salt;
    lss__jheader hdr;        /* the settings its header holds */
    uint32_t hsize;          /* the header's size: where the records begin (version 1: 32, 2: 48) */
    unsigned version;        /* the file's format version */
    lss_status poisoned;     /* LSS_OK, or the I/O error that stops every later write */
    uint64_t size;           /* bytes of valid journal: where the next record goes */
    unsigned char *buf;      /* records being written; in a transaction, all of them */
    size_t len, cap;
    uint32_t tx_events;
    bool dirty;              /* written, not synced (normal and off modes) */
    lss_recovery rec;
    /* a reader: where its replay stands, and the bytes before it (to tell that the file still holds them) */
    uint64_t seq;
    uint32_t tail_crc, tail_len;
    /* normal mode: a thread that syncs at least once a second */
    pthread_t flusher;
    bool has_flusher, stop;
    pthread_mutex_t fmu;
    pthread_cond_t fcv;
};

static lss_status io_fail(lss_db *db, const char *what, const char *path)
{
    return lss__fail(db, LSS_IO, "journal \"%.200s\": %s: %s", path, what, strerror(errno));
}

/* Read up to n bytes at off, short reads continued, EINTR retried: how
 * many (fewer than n only at the end of the file), or -1 with errno. */
static ssize_t pread_upto(int fd, void *buf, size_t n, uint64_t off)
{
    unsigned char *p = buf;
    size_t got = 0;
    while (got < n) {
        ssize_t r = lss__io_ops.pread(fd, p + got, n - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        got += (size_t)r;
    }
    return (ssize_t)got;
}

bool lss__pread_all(int fd, void *buf, size_t n, uint64_t off)
{
    ssize_t got = pread_upto(fd, buf, n, off);
    if (got >= 0 && (size_t)got < n)
        errno = 0;
    return got >= 0 && (size_t)got == n;
}

int lss__write_all(int fd, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n > 0) {
        size_t chunk = n < ((size_t)1 << 24) ? n : (size_t)1 << 24;
        ssize_t w = lss__io_ops.write(fd, p, chunk);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static lss_status buf_reserve(struct lss__journal *j, size_t more)
{
    return lss__bytes_reserve(&j->buf, &j->cap, j->len, more, 4096);
}

/* Append one record to j->buf. */
static lss_status put_record(struct lss__journal *j, uint8_t type, const lss__event *ev, uint64_t seq,
                             uint32_t commit_count)
{
    size_t plen = ev ? lss__event_size(ev, false) : 4;
    if (plen > LSS__J_PAYLOAD_MAX || buf_reserve(j, LSS__J_RECORD + plen))
        return LSS_NOMEM;
    unsigned char *r = j->buf + j->len;
    lss__put_u32(r + 4, (uint32_t)plen);
    r[8] = type;
    r[9] = ev ? ev->kind : 0;
    r[10] = r[11] = 0;
    lss__put_u32(r + 12, j->salt);
    lss__put_u64(r + 16, seq);
    if (ev)
        lss__event_encode(ev, r + LSS__J_RECORD, false);
    else
        lss__put_u32(r + LSS__J_RECORD, commit_count);
    lss__put_u32(r, lss__crc_mask(lss__crc32c(0, r + 4, LSS__J_RECORD - 4 + plen)));
    j->len += LSS__J_RECORD + plen;
    return LSS_OK;
}

/* Write j->buf at the end of the file and sync per mode. On failure cut the
 * file back to its last good size and poison the handle: a failed
 * fdatasync is never retried and believed (the kernel may have dropped the
 * dirty pages and cleared the error), so the records it covered are cut off
 * and the handle refuses every later change until it is reopened. */
static lss_status flush(lss__journal *j, bool sync_now)
{
    lss_db *db = j->db;
    if (lss__write_all(j->fd, j->buf, j->len) != 0) {
        lss_status st = io_fail(db, "write failed", j->path);
        if (lss__io_ops.ftruncate(j->fd, (off_t)j->size) != 0) {
            /* a torn record: the next open finds and cuts it */
        }
        j->poisoned = LSS_IO;
        j->len = 0;
        return st;
    }
    if (sync_now && lss__io_ops.fdatasync(j->fd) != 0) {
        int e = errno;
        bool cut = lss__io_ops.ftruncate(j->fd, (off_t)j->size) == 0;
        if (cut)
            (void)lss__io_ops.fdatasync(j->fd); /* best effort: the handle is poisoned whatever it says */
        errno = e;
        j->poisoned = LSS_IO;
        j->len = 0;
        return io_fail(db,
                       cut ? "fdatasync failed; the change was cut off the journal (the handle refuses further "
                             "changes; reopen it)"
                           : "fdatasync failed, and cutting the change off the journal failed too, so it may "
                             "reappear when the journal is reopened (the handle refuses further changes)",
                       j->path);
    }
    j->size += j->len;
    j->len = 0;
    j->dirty = !sync_now;
    return LSS_OK;
}

lss_status lss__journal_append(lss__journal *j, const lss__event *ev, uint64_t seq, bool in_tx)
{
    size_t mark = j->len;
    if (put_record(j, in_tx ? LSS__R_TX_EVENT : LSS__R_EVENT, ev, seq, 0)) {
        j->len = mark;
        return lss__fail(j->db, LSS_NOMEM, "journal: out of memory for a record");
    }
    if (in_tx) {
        j->tx_events++;
        return LSS_OK;
    }
    return flush(j, j->sync == LSS_SYNC_FULL);
}

void lss__journal_tx_reset(lss__journal *j)
{
    if (j) {
        j->len = 0;
        j->tx_events = 0;
    }
}

lss_status lss__journal_tx_commit(lss__journal *j, uint64_t last_seq)
{
    if (j == NULL || j->tx_events == 0)
        return LSS_OK;
    if (put_record(j, LSS__R_TX_COMMIT, NULL, last_seq, j->tx_events)) {
        j->len = 0;
        return lss__fail(j->db, LSS_NOMEM, "journal: out of memory for a commit record");
    }
    j->tx_events = 0;
    return flush(j, j->sync == LSS_SYNC_FULL);
}

bool lss__journal_read_only(const lss__journal *j) { return j && j->read_only; }
lss_status lss__journal_poisoned(const lss__journal *j) { return j ? j->poisoned : LSS_OK; }
const char *lss__journal_path(const lss__journal *j) { return j ? j->path : NULL; }

void lss__journal_recovery(const lss__journal *j, lss_recovery *out)
{
    if (j)
        *out = j->rec;
    else
        memset(out, 0, sizeof *out);
}

static lss_status write_header(lss__journal *j, int fd, bool sync_dir, const char *what);

uint64_t lss__journal_size(const lss__journal *j) { return j ? j->size : 0; }
unsigned lss__journal_version(const lss__journal *j) { return j ? j->version : 0; }
const lss__jheader *lss__journal_header(const lss__journal *j) { return j ? &j->hdr : NULL; }

lss_status lss__journal_anchor(lss__journal *j, uint64_t events, uint32_t *salt, lss__jresume *out)
{
    lss_status st = lss__journal_sync(j);
    if (st != LSS_OK)
        return st;
    memset(out, 0, sizeof *out);
    out->offset = j->size;
    out->events = events;
    out->tail_len = (uint32_t)(j->size - j->hsize < LSS__J_TAIL ? j->size - j->hsize : LSS__J_TAIL);
    unsigned char tail[LSS__J_TAIL];
    if (!lss__pread_all(j->fd, tail, out->tail_len, j->size - out->tail_len)) {
        if (errno == 0)
            errno = EIO;
        return io_fail(j->db, "read failed", j->path);
    }
    out->tail_crc = lss__crc32c(0, tail, out->tail_len);
    *salt = j->salt;
    return LSS_OK;
}

lss_status lss__journal_rewrite_header(lss__journal *j, const lss__jheader *h)
{
    if (j == NULL)
        return LSS_OK;
    if (j->size != j->hsize)
        return lss__fail(j->db, LSS_MISUSE, "journal: the header can change only while the journal is empty");
    lss__jheader old = j->hdr;
    j->hdr = *h; /* the settings; the database id stays the file's */
    memcpy(j->hdr.id, old.id, LSS__J_ID);
    j->hdr.has_id = old.has_id;
    j->hdr.follower = old.follower;
    if (!j->hdr.has_id) {
        lss__random_id(j->hdr.id);
        j->hdr.has_id = true;
    }
    lss_status st = write_header(j, j->fd, false, "cannot write the journal header");
    if (st != LSS_OK) {
        j->hdr = old;
        j->poisoned = LSS_IO;
    } else {
        j->size = j->hsize = LSS__J_HEADER;
        j->version = LSS__J_VERSION;
    }
    return st;
}

/* ---- normal mode: the flusher ------------------------------------------------ */

static void *flusher_main(void *arg)
{
    lss__journal *j = arg;
    lss_db *db = j->db;
    pthread_mutex_lock(&j->fmu);
    while (!j->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&j->fcv, &j->fmu, &ts);
        if (j->stop)
            break;
        pthread_mutex_unlock(&j->fmu);
        lss__lock(db);
        if (j->dirty && !j->poisoned) {
            if (lss__io_ops.fdatasync(j->fd) != 0)
                j->poisoned = LSS_IO;
            else
                j->dirty = false;
        }
        lss__unlock(db);
        pthread_mutex_lock(&j->fmu);
    }
    pthread_mutex_unlock(&j->fmu);
    return NULL;
}

lss_status lss__journal_sync(lss__journal *j)
{
    if (j == NULL || j->read_only)
        return LSS_OK;
    if (j->poisoned)
        return lss__fail(j->db, j->poisoned, "sync: the database refuses changes after an earlier I/O error");
    if (lss__io_ops.fdatasync(j->fd) != 0) {
        j->poisoned = LSS_IO;
        return io_fail(j->db, "fdatasync failed", j->path);
    }
    j->dirty = false;
    return LSS_OK;
}

/* ---- open and replay -------------------------------------------------------------- */

/* n random bytes from /dev/urandom; false (buf unspecified) if it cannot be read. */
static bool urandom(void *buf, size_t n)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && read(fd, buf, n) == (ssize_t)n;
    if (fd >= 0)
        close(fd);
    return ok;
}

/* Without /dev/urandom: the clock and the process. */
static uint64_t clock_mix(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000007u ^ (uint64_t)ts.tv_nsec ^ (uint64_t)getpid() << 40;
}

static uint32_t new_salt(void)
{
    uint32_t s = 0;
    if (!urandom(&s, sizeof s) || s == 0)
        s = (uint32_t)clock_mix() ^ (uint32_t)(clock_mix() >> 32);
    return s ? s : 1;
}

void lss__random_id(unsigned char id[LSS__J_ID])
{
    if (!urandom(id, LSS__J_ID)) {
        uint64_t a = clock_mix();
        lss__put_u64(id, a);
        lss__put_u64(id + 8, a * 31 ^ (uint64_t)getpid());
    }
}

/* A version 2 header: magic, version, salt, settings, first sequence
 * number, database id, checksum. */
static void make_header(unsigned char h[LSS__J_HEADER], uint32_t salt, const lss__jheader *hdr)
{
    memset(h, 0, LSS__J_HEADER);
    memcpy(h, LSS__J_MAGIC, 8);
    lss__put_u32(h + 8, LSS__J_VERSION);
    lss__put_u32(h + 12, salt);
    memcpy(h + 16, hdr->currency, 3);
    h[19] = (unsigned char)(hdr->pipeline | (hdr->follower ? 0x80 : 0));
    lss__put_u64(h + 20, 1);
    memcpy(h + 28, hdr->id, LSS__J_ID);
    lss__put_u32(h + 44, lss__crc_mask(lss__crc32c(0, h, 44)));
}

/* Write a fresh header to fd (at offset 0, file emptied first) and sync it,
 * and the directory when the file is new there. */
static lss_status write_header(lss__journal *j, int fd, bool sync_dir, const char *what)
{
    unsigned char h[LSS__J_HEADER];
    make_header(h, j->salt, &j->hdr);
    if (lss__io_ops.ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) != 0 || lss__write_all(fd, h, sizeof h) != 0 ||
        lss__io_ops.fdatasync(fd) != 0 || (sync_dir && lss__io_ops.fsync_dir(j->dir) != 0))
        return io_fail(j->db, what, j->path);
    return LSS_OK;
}

/* Is there a record that checks out at p (used to tell a torn tail from
 * damage in the middle)? */
static bool record_ok(const unsigned char *p, size_t avail, uint32_t salt)
{
    if (avail < LSS__J_RECORD)
        return false;
    uint32_t len = lss__get_u32(p + 4);
    if (len > LSS__J_PAYLOAD_MAX || avail - LSS__J_RECORD < len || lss__get_u32(p + 12) != salt ||
        p[8] < LSS__R_EVENT || p[8] > LSS__R_TX_COMMIT)
        return false;
    return lss__get_u32(p) == lss__crc_mask(lss__crc32c(0, p + 4, LSS__J_RECORD - 4 + len));
}

static bool valid_record_after(const unsigned char *data, size_t size, size_t from, uint32_t salt)
{
    for (size_t p = from; p + LSS__J_RECORD <= size; p++)
        if (record_ok(data + p, size - p, salt))
            return true;
    return false;
}

/* The journal's bytes: mapped (read-only, private) when the system allows,
 * else read into memory. Release with unmap_file. */
static lss_status read_file(lss__journal *j, unsigned char **out, size_t *size, bool *mapped)
{
    lss_db *db = j->db;
    struct stat sb;
    if (fstat(j->fd, &sb) != 0)
        return io_fail(db, "fstat failed", j->path);
    size_t n = (size_t)sb.st_size;
    *mapped = false;
    if (n >= LSS__J_HEADER && !j->read_only) { /* a reader copies: a writer may cut the file under a mapping */
        void *m = mmap(NULL, n, PROT_READ, MAP_PRIVATE, j->fd, 0); /* the replay populates what it reads */
        if (m != MAP_FAILED) {
            *out = m;
            *size = n;
            *mapped = true;
            return LSS_OK;
        }
    }
    unsigned char *data = lss__malloc(n + 1);
    if (data == NULL)
        return lss__fail(db, LSS_NOMEM, "journal \"%.200s\": out of memory for %zu bytes", j->path, n);
    /* a reader reads the header now, and the records it needs once it knows where a checkpoint leaves off
       (fill_from): memory it never reads is never touched */
    size_t first = j->read_only && n > LSS__J_HEADER ? LSS__J_HEADER : n;
    if (!lss__pread_all(j->fd, data, first, 0)) {
        lss__free(data);
        if (errno == 0)
            errno = EIO;
        return io_fail(db, "read failed", j->path);
    }
    *out = data;
    *size = n;
    return LSS_OK;
}

/* A reader: read the file's bytes [from, *size) into data, which read_file
 * sized; if a writer cut the file meanwhile, what is left is the file. */
static lss_status fill_from(lss__journal *j, unsigned char *data, size_t *size, size_t from, size_t to)
{
    lss__populate(data + from, to > from ? to - from : 0); /* the pages it reads into, in one call */
    if (from >= to || lss__pread_all(j->fd, data + from, to - from, from))
        return LSS_OK;
    struct stat now;
    if (errno != 0 || fstat(j->fd, &now) != 0 || (size_t)now.st_size < from) {
        if (errno == 0)
            errno = EIO;
        return io_fail(j->db, "read failed", j->path);
    }
    *size = (size_t)now.st_size;
    return lss__pread_all(j->fd, data + from, *size - from, from) ? LSS_OK : io_fail(j->db, "read failed", j->path);
}

/* The check of records' frames (length, checksum, salt, sequence,
 * transaction structure), done a window ahead of applying them so that the
 * bytes are still in cache when they are decoded. */
typedef struct scanner {
    const unsigned char *data;
    size_t size, off;     /* checked up to off */
    unsigned char *fill;  /* a reader's buffer (data) while bytes of it are still to be read, else NULL */
    size_t filled;        /* data[0, filled) holds the file's bytes */
    int fd, err;          /* the file the bytes come from; errno of a read that failed */
    size_t good;          /* the good records end here (never inside a transaction) */
    uint64_t seq_last, good_events, tx_count;
    uint32_t salt;
    bool in_tx;
    const char *why;      /* set when checking stopped at a bad record */
    bool torn;            /* ... and that record is cut short by the end of the file */
} scanner;

/* A reader's bytes are read by the check, a read ahead of where it checks,
 * so that the reading runs on the scanner's thread beside the replay. */
size_t lss__scan_read = (size_t)2 << 20;

/* Make data[0, end) hold the file's bytes (or as many as the file still
 * has: a writer may have cut a torn tail off since the size was taken);
 * false, with err set, if a read fails. */
static bool scan_fill(scanner *sc, size_t end)
{
    size_t to = sc->filled + lss__scan_read > end ? sc->filled + lss__scan_read : end;
    to = to < sc->size ? to : sc->size;
    if (sc->filled >= to)
        return true;
    lss__populate(sc->fill + sc->filled, to - sc->filled);
    ssize_t got = pread_upto(sc->fd, sc->fill + sc->filled, to - sc->filled, sc->filled);
    if (got < 0) {
        sc->err = errno ? errno : EIO;
        sc->why = "the journal could not be read";
        return false;
    }
    sc->filled += (size_t)got;
    if (sc->filled < to) /* the file is shorter now: what is left of it is the file */
        sc->size = sc->filled;
    if (sc->filled >= sc->size)
        sc->fill = NULL;
    return true;
}

/* Check records until `limit` bytes past the current good end are checked
 * and a good end is reached, or the file ends, or a record is bad. */
static void scan(scanner *sc, size_t limit)
{
    size_t target = sc->good + limit;
    while (sc->off < sc->size && (sc->off < target || sc->in_tx)) {
        if (sc->fill && sc->off + LSS__J_RECORD > sc->filled && !scan_fill(sc, sc->off + LSS__J_RECORD))
            return;
        const unsigned char *p = sc->data + sc->off;
        size_t avail = sc->size - sc->off;
        if (avail < LSS__J_RECORD) {
            sc->why = "a record header is cut short";
            sc->torn = true;
            return;
        }
        uint32_t len = lss__get_u32(p + 4);
        if (sc->fill && len <= LSS__J_PAYLOAD_MAX && sc->off + LSS__J_RECORD + len > sc->filled) {
            if (!scan_fill(sc, sc->off + LSS__J_RECORD + len))
                return;
            avail = sc->size - sc->off;
        }
        if (len <= LSS__J_PAYLOAD_MAX && avail - LSS__J_RECORD < len) {
            sc->why = "a record is cut short by the end of the file";
            sc->torn = true;
            return;
        }
        uint8_t type = p[8];
        uint64_t seq = lss__get_u64(p + 16);
        if (!record_ok(p, avail, sc->salt)) {
            sc->why = "the record's checksum, length or salt does not match";
            return;
        }
        if (seq != (type == LSS__R_TX_COMMIT ? sc->seq_last : sc->seq_last + 1)) {
            sc->why = "the record's sequence number is out of order";
            return;
        }
        if (type == LSS__R_TX_COMMIT) {
            if (!sc->in_tx || len != 4 || lss__get_u32(p + LSS__J_RECORD) != sc->tx_count) {
                sc->why = "a commit record does not close the transaction before it";
                return;
            }
            sc->in_tx = false;
        } else {
            if (sc->in_tx && type == LSS__R_EVENT) {
                sc->why = "a transaction's records are interrupted";
                return;
            }
            if (type == LSS__R_TX_EVENT && !sc->in_tx) {
                sc->in_tx = true;
                sc->tx_count = 0;
            }
            sc->tx_count += sc->in_tx;
            sc->seq_last = seq;
        }
        sc->off += LSS__J_RECORD + len;
        if (!sc->in_tx) {
            sc->good = sc->off;
            sc->good_events = sc->seq_last;
        }
    }
}

/* Apply the checked records in [from, to): each is known whole, so nothing
 * needs undoing. */
static lss_status apply_range(lss__journal *j, const lss__journal_reader *rd, const unsigned char *data, size_t from,
                              size_t to, char *scratch)
{
    lss_db *db = j->db;
    for (size_t off = from; off < to;) {
        const unsigned char *p = data + off;
        uint32_t len = lss__get_u32(p + 4);
        if (p[8] != LSS__R_TX_COMMIT) {
            lss__event ev;
            lss_status st;
            if (!lss__event_decode(&ev, p[9], p + LSS__J_RECORD, len, scratch, false))
                return lss__fail(db, LSS_CORRUPT,
                                 "journal \"%.200s\": the record at offset %zu (event %llu) does not decode", j->path,
                                 off, (unsigned long long)lss__get_u64(p + 16));
            if ((st = rd->event(rd->ctx, &ev)) != LSS_OK) {
                char msg[LSS__MSG_MAX];
                snprintf(msg, sizeof msg, "%s", lss_db_errmsg(db));
                return lss__fail(db, st == LSS_NOMEM ? LSS_NOMEM : LSS_CORRUPT,
                                 "journal \"%.200s\": the record at offset %zu (event %llu) does not apply: %s",
                                 j->path, off, (unsigned long long)lss__get_u64(p + 16), msg);
            }
            j->rec.events++;
        }
        off += LSS__J_RECORD + len;
    }
    return LSS_OK;
}

/* The check of a large journal runs on a second thread, a chunk ahead of
 * the replay: the scanner is a pure function of the bytes, so it needs
 * nothing of the database. It hands over its state after each chunk through
 * a ring; the replay takes them in order. */
#define SCAN_CHUNK (64u * 1024u)
size_t lss__scan_ahead_min = (size_t)1 << 20; /* smaller journals are checked on the replay's thread */
#define SCAN_RING 32u

typedef struct scan_ahead {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    scanner ring[SCAN_RING];
    unsigned made, taken; /* states handed over and taken (the ring holds made - taken) */
    bool stop;            /* the replay needs no more */
    scanner sc;
    pthread_t thread;
} scan_ahead;

static void *scan_thread(void *arg)
{
    scan_ahead *a = arg;
    for (;;) {
        scan(&a->sc, SCAN_CHUNK);
        bool last = a->sc.why || a->sc.off >= a->sc.size;
        pthread_mutex_lock(&a->mu);
        while (a->made - a->taken == SCAN_RING && !a->stop)
            pthread_cond_wait(&a->cv, &a->mu);
        bool stop = a->stop;
        if (!stop) {
            a->ring[a->made % SCAN_RING] = a->sc;
            a->made++;
            pthread_cond_broadcast(&a->cv);
        }
        pthread_mutex_unlock(&a->mu);
        if (stop || last)
            return NULL;
    }
}

/* Start the scanner on a second thread from state sc; false (nothing to
 * undo) if the system gives no mutex, condition or thread. */
static bool scan_ahead_start(scan_ahead *a, const scanner *sc)
{
    memset(a, 0, sizeof *a);
    a->sc = *sc;
    if (pthread_mutex_init(&a->mu, NULL) != 0)
        return false;
    if (pthread_cond_init(&a->cv, NULL) == 0) {
        if (pthread_create(&a->thread, NULL, scan_thread, a) == 0)
            return true;
        pthread_cond_destroy(&a->cv);
    }
    pthread_mutex_destroy(&a->mu);
    return false;
}

/* Stop the scanner wherever it is and wait for it. */
static void scan_ahead_stop(scan_ahead *a)
{
    pthread_mutex_lock(&a->mu);
    a->stop = true;
    pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
    pthread_join(a->thread, NULL);
    pthread_cond_destroy(&a->cv);
    pthread_mutex_destroy(&a->mu);
}

/* The next state of the scan: from the scanner thread if there is one, else scanned here. */
static void scan_next(scan_ahead *a, bool threaded, scanner *sc)
{
    if (!threaded) {
        scan(sc, SCAN_CHUNK);
        return;
    }
    pthread_mutex_lock(&a->mu);
    while (a->made == a->taken)
        pthread_cond_wait(&a->cv, &a->mu);
    *sc = a->ring[a->taken % SCAN_RING];
    a->taken++;
    /* a scanner that found the ring full waits until it is half empty:
       one wake-up per half ring instead of one per chunk */
    if (a->made - a->taken == SCAN_RING / 2)
        pthread_cond_broadcast(&a->cv);
    pthread_mutex_unlock(&a->mu);
}

/* Why the journal's bytes do not continue the state a checkpoint holds
 * (NULL: they do): the position must be inside the file, the bytes before it
 * must be the ones the checkpoint saw, and the record at it, if any, must be
 * the next event. */
static const char *resume_why(const unsigned char *data, size_t size, uint32_t salt, uint32_t hsize,
                              const lss__jresume *at)
{
    if (at->offset > size)
        return "it covers more of the journal than the file holds";
    if (at->offset < hsize + (uint64_t)at->tail_len || at->tail_len > LSS__J_TAIL ||
        (at->offset > hsize && at->tail_len == 0) ||
        lss__crc32c(0, data + at->offset - at->tail_len, at->tail_len) != at->tail_crc)
        return "the journal before the position it covers is not the one it was taken from";
    if (at->offset < size) {
        const unsigned char *p = data + at->offset;
        if (!record_ok(p, size - at->offset, salt) || p[8] == LSS__R_TX_COMMIT ||
            lss__get_u64(p + 16) != at->events + 1)
            return "the journal after the position it covers does not continue it";
    }
    return NULL;
}

/* Fault in the pages of data[from, size) ahead of reading them. */
static void populate(const unsigned char *data, size_t from, size_t size, bool mapped)
{
#ifdef MADV_POPULATE_READ
    if (mapped && from < size) {
        size_t page = (size_t)sysconf(_SC_PAGESIZE), start = from / page * page;
        (void)madvise((void *)(uintptr_t)(data + start), size - start, MADV_POPULATE_READ);
    }
#else
    (void)data, (void)from, (void)size, (void)mapped;
#endif
}

/* The check stopped at a bad record (sc->why): what the open does about it.
 * A record cut short by the end of the file is a torn write: it was never
 * acknowledged, and is cut off. A whole record that does not check out
 * (checksum, salt, sequence, transaction structure), or a short one with
 * valid records after it, is damage: a write that was acknowledged may be
 * in it, so it is never dropped unasked. The search for valid records after
 * it reads the rest of the file first (a reader reads as the check goes). */
static lss_status bad_record(lss__journal *j, const scanner *sc, unsigned char *data, size_t *size, unsigned flags,
                             bool *dropped_damage)
{
    lss_status st;
    if (sc->fill && (st = fill_from(j, data, size, sc->filled, *size)) != LSS_OK)
        return st;
    bool after = valid_record_after(data, *size, sc->off + 1, j->salt);
    if (!after && sc->torn)
        return LSS_OK;
    if (flags & LSS_OPEN_TO_DAMAGE) {
        j->rec.damage_offset = sc->off;
        return LSS_OK;
    }
    if ((flags & LSS_OPEN_DROP_DAMAGED_TAIL) && !after) {
        j->rec.damage_offset = sc->off;
        *dropped_damage = true;
        return LSS_OK;
    }
    if (after)
        return lss__fail(j->db, LSS_CORRUPT,
                         "journal \"%.200s\" is damaged at offset %zu (after event %llu): %s, and valid records "
                         "follow, so this is not a torn write; open it with LSS_OPEN_READ_ONLY | LSS_OPEN_TO_DAMAGE "
                         "to read what comes before",
                         j->path, sc->off, (unsigned long long)sc->seq_last, sc->why);
    return lss__fail(j->db, LSS_CORRUPT,
                     "journal \"%.200s\" is damaged at offset %zu (after event %llu): %s in the last record, which "
                     "is whole, so this is not a torn write and may hold acknowledged changes; open it with "
                     "LSS_OPEN_READ_ONLY | LSS_OPEN_TO_DAMAGE to read what comes before, or with "
                     "LSS_OPEN_DROP_DAMAGED_TAIL to cut the damaged record off",
                     j->path, sc->off, (unsigned long long)sc->seq_last, sc->why);
}

/* Replay the records of data[0, size) from where `from` leaves off. A
 * reader passes its buffer with only data[0, filled) read: the check reads
 * the rest as it goes (scan_fill). */
static lss_status replay(lss__journal *j, const lss__journal_reader *rd, unsigned char *data, size_t size,
                         size_t filled, unsigned flags, const lss__jresume *from)
{
    lss_db *db = j->db;
    lss_recovery *rec = &j->rec;
    size_t start = from->offset ? (size_t)from->offset : j->hsize;
    scanner sc = { .data = data, .size = size, .off = start, .fill = filled < size ? data : NULL, .filled = filled,
                   .fd = j->fd, .good = start, .seq_last = from->events, .good_events = from->events,
                   .salt = j->salt };
    char *scratch = lss__malloc(LSS__J_PAYLOAD_MAX + LSS__EV_STRS + 1);
    bool big = size >= lss__scan_ahead_min;
    scan_ahead *ahead = big && scratch ? lss__malloc(sizeof *ahead) : NULL;
    if (scratch == NULL || (big && ahead == NULL)) {
        lss__free(scratch);
        return lss__fail(db, LSS_NOMEM, "journal: out of memory");
    }
    bool threaded = ahead && scan_ahead_start(ahead, &sc);
    lss_status st = LSS_OK;
    size_t applied = start;
    bool dropped_damage = false;
    for (;;) {
        scan_next(ahead, threaded, &sc);
        size = sc.size; /* less if a writer cut a torn tail off while it was read */
        if (sc.err) {
            errno = sc.err;
            st = io_fail(db, "read failed", j->path);
            break;
        }
        if (sc.why && (st = bad_record(j, &sc, data, &size, flags, &dropped_damage)) != LSS_OK)
            break;
        if ((st = apply_range(j, rd, data, applied, sc.good, scratch)) != LSS_OK)
            break;
        applied = sc.good;
        if (sc.why || sc.off >= size)
            break;
    }
    if (threaded)
        scan_ahead_stop(ahead);
    lss__free(ahead);
    lss__free(scratch);
    if (st != LSS_OK)
        return st;
    if ((st = rd->end(rd->ctx)) != LSS_OK) {
        char msg[LSS__MSG_MAX];
        snprintf(msg, sizeof msg, "%s", lss_db_errmsg(db));
        return lss__fail(db, st, "journal \"%.200s\": %s", j->path, msg);
    }
    rec->tx_events_dropped = sc.in_tx ? sc.tx_count : 0;
    rec->last_seq = from->events + rec->events;
    if ((rec->damage_offset == 0 || dropped_damage) && sc.good < size) {
        rec->tail_offset = sc.good;
        rec->bytes_dropped = size - sc.good;
    }
    j->size = sc.good;
    return LSS_OK;
}

static void release(unsigned char *data, size_t size, bool mapped)
{
    if (mapped)
        munmap(data, size);
    else
        lss__free(data);
}

static void journal_free(struct lss__journal *j)
{
    if (j == NULL)
        return;
    if (j->fd >= 0)
        close(j->fd);
    lss__free(j->path);
    lss__free(j->dir);
    lss__free(j->buf);
    lss__free(j);
}

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = lss__malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return dup_str(".");
    if (slash == path)
        return dup_str("/");
    size_t n = (size_t)(slash - path);
    char *d = lss__malloc(n + 1);
    if (d) {
        memcpy(d, path, n);
        d[n] = '\0';
    }
    return d;
}

/* Open the journal's file and lock it (shared for reading, exclusive for
 * writing). The lock is on the inode: if the path was renamed over between
 * open and flock (a compaction by the process that held the lock), the
 * descriptor names a file that is no journal any more, so the path is
 * opened again until the locked file is the one the path names. */
/* The process that holds the writer's lock on fd's file, from /proc/locks
 * (Linux); 0 when the system does not tell. */
static long lock_holder(int fd)
{
    struct stat sb;
    FILE *f = fstat(fd, &sb) == 0 ? fopen("/proc/locks", "r") : NULL;
    long pid = 0;
    if (f == NULL)
        return 0;
    char line[256];
    while (pid == 0 && fgets(line, sizeof line, f)) {
        long p;
        unsigned maj, min;
        unsigned long ino;
        char kind[16], mode[16];
        /* "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF" */
        if (sscanf(line, "%*[^:]: %15s %*s %15s %ld %x:%x:%lu", kind, mode, &p, &maj, &min, &ino) == 6 &&
            strcmp(kind, "FLOCK") == 0 && strcmp(mode, "WRITE") == 0 && ino == (unsigned long)sb.st_ino &&
            maj == major(sb.st_dev) && min == minor(sb.st_dev))
            pid = p;
    }
    fclose(f);
    return pid;
}

/* The writer's lock, waiting up to busy_ms for another writer to let go. */
static lss_status lock_writer(int fd, const char *path, unsigned busy_ms)
{
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        if (lss__io_ops.flock(fd, LOCK_EX | LOCK_NB) == 0)
            return LSS_OK;
        if (errno != EWOULDBLOCK)
            return lss__fail(NULL, LSS_IO, "open \"%.200s\": lock: %s", path, strerror(errno));
        clock_gettime(CLOCK_MONOTONIC, &now);
        double waited = (double)(now.tv_sec - start.tv_sec) * 1e3 + (double)(now.tv_nsec - start.tv_nsec) / 1e6;
        if (waited >= busy_ms) {
            long pid = lock_holder(fd);
            char who[64] = "another handle or process";
            if (pid > 0)
                snprintf(who, sizeof who, "process %ld", pid);
            return lss__fail(NULL, LSS_LOCKED, "open \"%.200s\": the journal is open for writing by %s%s", path, who,
                             busy_ms ? " (waited the busy timeout)" : "");
        }
        struct timespec ts = { 0, 5 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
}

static lss_status open_locked(struct lss__journal *j, const char *path, bool ro, unsigned busy_ms)
{
    for (int tries = 0;; tries++) {
        j->fd = open(path, ro ? O_RDONLY | O_CLOEXEC : O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (j->fd < 0)
            return lss__fail(NULL, LSS_IO, "open \"%.200s\": %s", path, strerror(errno));
        if (ro)
            return LSS_OK; /* readers take no lock: they read committed records only (docs/durability.md) */
        lss_status st = lock_writer(j->fd, path, busy_ms);
        if (st != LSS_OK)
            return st;
        struct stat held, named;
        if (fstat(j->fd, &held) != 0)
            return lss__fail(NULL, LSS_IO, "open \"%.200s\": fstat: %s", path, strerror(errno));
        if (stat(path, &named) == 0 && named.st_dev == held.st_dev && named.st_ino == held.st_ino)
            return LSS_OK;
        close(j->fd);
        j->fd = -1;
        if (tries == 100)
            return lss__fail(NULL, LSS_IO, "open \"%.200s\": the file keeps being replaced while it is opened",
                             path);
    }
}

/* Can a file of `size` bytes, shorter than its header, be a journal whose
 * creation was cut short? Only if it is empty or a prefix of a header (the
 * magic, then a format version this library reads); anything else is
 * somebody else's file. */
static bool header_prefix(const unsigned char *data, size_t size)
{
    unsigned char h[12];
    memcpy(h, LSS__J_MAGIC, 8);
    for (uint32_t v = 1; v <= LSS__J_VERSION; v++) {
        lss__put_u32(h + 8, v);
        if (memcmp(data, h, size < sizeof h ? size : sizeof h) == 0)
            return true;
    }
    return false;
}

/* The size of the header the file's bytes begin (by its format version), or
 * 0 when they do not say (too short, or not a journal of a known version). */
static uint32_t header_size(const unsigned char *data, size_t size)
{
    if (size < 12 || memcmp(data, LSS__J_MAGIC, 8) != 0)
        return 0;
    uint32_t v = lss__get_u32(data + 8);
    return v == 1 ? LSS__J_HEADER_V1 : v == 2 ? LSS__J_HEADER : 0;
}

/* The header of an existing journal (at least as many bytes as its
 * header): its magic, checksum, format version and settings, into j. */
static lss_status read_header(lss__journal *j, const unsigned char *data, size_t size, const char *path)
{
    if (size < 12 || memcmp(data, LSS__J_MAGIC, 8) != 0)
        return lss__fail(NULL, LSS_CORRUPT, "open \"%.200s\": not a libsalesservice journal", path);
    uint32_t v = lss__get_u32(data + 8), hs = header_size(data, size);
    if (hs == 0 || v > LSS__J_VERSION)
        return lss__fail(NULL, LSS_VERSION, "open \"%.200s\": journal format %u is not supported (this reads 1 and %u)",
                         path, v, LSS__J_VERSION);
    if (size < hs || lss__get_u32(data + hs - 4) != lss__crc_mask(lss__crc32c(0, data, hs - 4)))
        return lss__fail(NULL, LSS_CORRUPT, "open \"%.200s\": the journal header is damaged (checksum)", path);
    char cur[4] = { (char)data[16], (char)data[17], (char)data[18], '\0' };
    unsigned mode = v >= 2 ? data[19] & 0x7fu : data[19]; /* version 2: bit 7 marks a follower */
    if (!lss__currency_valid(cur) ||
        lss_pipeline_mode_name((int)mode) == NULL || lss__get_u64(data + 20) != 1)
        return lss__fail(NULL, LSS_CORRUPT, "open \"%.200s\": the journal header holds invalid settings", path);
    memcpy(j->hdr.currency, cur, 4);
    j->hdr.pipeline = (lss_pipeline_mode)mode;
    j->hdr.follower = v >= 2 && (data[19] & 0x80u);
    j->hdr.has_id = v >= 2;
    if (v >= 2)
        memcpy(j->hdr.id, data + 28, LSS__J_ID);
    j->salt = lss__get_u32(data + 12);
    j->hsize = hs;
    j->version = v;
    return LSS_OK;
}

/* A new file, or one whose creation was cut short (fewer bytes than a
 * header: nothing was ever acknowledged in it): write the header. */
static lss_status create(lss__journal *j, const unsigned char *data, size_t size)
{
    if (!header_prefix(data, size))
        return lss__fail(NULL, LSS_CORRUPT,
                         "open \"%.200s\": not a libsalesservice journal (%zu bytes that do not begin a journal "
                         "header); the file is left as it is",
                         j->path, size);
    if (j->read_only)
        return lss__fail(NULL, LSS_CORRUPT, "open \"%.200s\": %zu bytes is too short for a journal", j->path, size);
    j->salt = new_salt();
    if (!j->hdr.has_id) { /* a follower has its source's */
        lss__random_id(j->hdr.id);
        j->hdr.has_id = true;
    }
    lss_status st = write_header(j, j->fd, true, "cannot create the journal");
    if (st == LSS_OK) {
        j->rec.bytes_dropped = size;
        j->size = j->hsize = LSS__J_HEADER;
        j->version = LSS__J_VERSION;
    }
    return st;
}

/* The open options a journal takes (ro: reading only). */
static lss_status check_options(const char *path, const lss_open_options *opts, bool ro)
{
    if ((opts->flags & LSS_OPEN_TO_DAMAGE) && !(opts->flags & LSS_OPEN_READ_ONLY))
        return lss__fail(NULL, LSS_INVALID, "open \"%.200s\": LSS_OPEN_TO_DAMAGE needs LSS_OPEN_READ_ONLY", path);
    if ((opts->flags & LSS_OPEN_DROP_DAMAGED_TAIL) && ro)
        return lss__fail(NULL, LSS_INVALID,
                         "open \"%.200s\": LSS_OPEN_DROP_DAMAGED_TAIL cuts the file, so it excludes LSS_OPEN_READ_ONLY",
                         path);
    const unsigned known = LSS_OPEN_READ_ONLY | LSS_OPEN_TO_DAMAGE | LSS_OPEN_DROP_DAMAGED_TAIL |
                           LSS_OPEN_NO_CHECKPOINT | LSS__OPEN_UNLOCKED;
    if (opts->flags & ~known)
        return lss__fail(NULL, LSS_INVALID, "open \"%.200s\": unknown flags 0x%x", path, opts->flags & ~known);
    if (lss_sync_mode_name((int)opts->sync) == NULL)
        return lss__fail(NULL, LSS_INVALID, "open \"%.200s\": sync mode %d is not full (0), normal (1) or off (2)",
                         path, (int)opts->sync);
    return LSS_OK;
}

lss_status lss__journal_open(lss__journal **out, lss_db *db, const char *path, const lss_open_options *opts,
                             const lss__jheader *fresh, const lss__journal_reader *rd)
{
    bool ro = (opts->flags & (LSS_OPEN_READ_ONLY | LSS_OPEN_TO_DAMAGE | LSS__OPEN_UNLOCKED)) != 0;
    lss_status st = check_options(path, opts, ro);
    if (st)
        return st;
    struct lss__journal *j = lss__malloc(sizeof *j);
    if (j == NULL)
        return lss__fail(NULL, LSS_NOMEM, "open: out of memory");
    memset(j, 0, sizeof *j);
    j->db = db;
    j->hdr = *fresh;
    j->fd = -1;
    j->sync = opts->sync;
    j->read_only = ro;
    j->path = dup_str(path);
    j->dir = dir_of(path);
    if (j->path == NULL || j->dir == NULL) {
        journal_free(j);
        return lss__fail(NULL, LSS_NOMEM, "open: out of memory");
    }
    unsigned char *data = NULL;
    size_t size = 0;
    bool mapped = false;
    if ((st = open_locked(j, path, ro, opts->version >= 2 ? opts->busy_timeout_ms : 0)))
        goto fail;
    if ((st = read_file(j, &data, &size, &mapped)))
        goto fail;
    j->rec.file_size = size;
    if (size < LSS__J_HEADER_V1 || (header_size(data, size) > size)) { /* shorter than its header */
        if ((st = create(j, data, size)))
            goto fail;
    } else {
        lss__jresume at = { 0, 0, 0, 0 };
        if ((st = read_header(j, data, size, path)) || (st = rd->header(rd->ctx, &j->hdr)))
            goto fail;
        /* a recovery open (to the damage, or cutting it) reads the whole journal */
        if (rd->resume && !(opts->flags & (LSS_OPEN_TO_DAMAGE | LSS_OPEN_DROP_DAMAGED_TAIL | LSS_OPEN_NO_CHECKPOINT |
                                           LSS__OPEN_UNLOCKED))) {
            if ((st = rd->resume(rd->ctx, j->salt, size, &at, j->rec.checkpoint_note,
                                 sizeof j->rec.checkpoint_note)))
                goto fail;
            /* a reader reads what the check of the checkpoint's position and the replay after it need */
            if (ro && at.offset && (st = fill_from(j, data, &size, (size_t)(at.offset - at.tail_len), size)))
                goto fail;
            const char *why = at.offset ? resume_why(data, size, j->salt, j->hsize, &at) : NULL;
            if (why) {
                rd->discard(rd->ctx);
                snprintf(j->rec.checkpoint_note, sizeof j->rec.checkpoint_note,
                         "checkpoint ignored: %s; the whole journal was replayed", why);
                memset(&at, 0, sizeof at);
            }
            j->rec.checkpoint_events = at.events;
        }
        /* a reader replaying the whole journal (no checkpoint, or one left aside) has read its header only:
           the replay's check reads the records as it goes */
        populate(data, at.offset ? (size_t)at.offset : 0, size, mapped);
        if ((st = replay(j, rd, data, size, ro && at.offset == 0 ? j->hsize : size, opts->flags, &at)))
            goto fail;
        j->seq = j->rec.last_seq;
        j->tail_len = (uint32_t)(j->size - j->hsize < LSS__J_TAIL ? j->size - j->hsize : LSS__J_TAIL);
        j->tail_crc = lss__crc32c(0, data + j->size - j->tail_len, j->tail_len);
        if (!ro && j->rec.bytes_dropped) {
            if (lss__io_ops.ftruncate(j->fd, (off_t)j->size) != 0 || lss__io_ops.fdatasync(j->fd) != 0) {
                st = io_fail(db, "cannot cut the torn tail", path);
                goto fail;
            }
        }
    }
    release(data, size, mapped);
    data = NULL;
    if (!ro && lseek(j->fd, (off_t)j->size, SEEK_SET) < 0) {
        st = io_fail(db, "seek failed", path);
        goto fail;
    }
    if (!ro && j->sync == LSS_SYNC_NORMAL) {
        pthread_mutex_init(&j->fmu, NULL);
        pthread_cond_init(&j->fcv, NULL);
        if (pthread_create(&j->flusher, NULL, flusher_main, j) != 0) {
            pthread_cond_destroy(&j->fcv);
            pthread_mutex_destroy(&j->fmu);
            st = lss__fail(NULL, LSS_NOMEM, "open \"%.200s\": cannot start the sync thread", path);
            goto fail;
        }
        j->has_flusher = true;
    }
    *out = j;
    return LSS_OK;
fail:
    release(data, size, mapped);
    journal_free(j);
    return st;
}

void lss__journal_close(lss__journal *j)
{
    if (j == NULL)
        return;
    if (j->has_flusher) {
        pthread_mutex_lock(&j->fmu);
        j->stop = true;
        pthread_cond_signal(&j->fcv);
        pthread_mutex_unlock(&j->fmu);
        pthread_join(j->flusher, NULL); /* the caller does not hold the database lock */
        pthread_cond_destroy(&j->fcv);
        pthread_mutex_destroy(&j->fmu);
    }
    if (!j->read_only && j->dirty && !j->poisoned)
        (void)lss__io_ops.fdatasync(j->fd);
    journal_free(j);
}

/* ---- a reader's refresh --------------------------------------------------------------- */

lss_status lss__journal_refresh(lss__journal *j, const lss__journal_reader *rd, uint64_t *applied, bool *replaced)
{
    lss_db *db = j->db;
    *applied = 0;
    *replaced = false;
    struct stat held, named;
    if (fstat(j->fd, &held) != 0)
        return io_fail(db, "fstat failed", j->path);
    if (stat(j->path, &named) != 0 || named.st_dev != held.st_dev || named.st_ino != held.st_ino ||
        (uint64_t)held.st_size < j->size) {
        *replaced = true; /* compacted (renamed over), removed, or cut */
        return LSS_OK;
    }
    unsigned char tail[LSS__J_TAIL];
    if (!lss__pread_all(j->fd, tail, j->tail_len, j->size - j->tail_len)) {
        if (errno)
            return io_fail(db, "read failed", j->path);
        *replaced = true;
        return LSS_OK;
    }
    if (lss__crc32c(0, tail, j->tail_len) != j->tail_crc) {
        *replaced = true; /* cut and written again */
        return LSS_OK;
    }
    size_t n = (size_t)((uint64_t)held.st_size - j->size);
    if (n < LSS__J_RECORD)
        return LSS_OK;
    unsigned char *buf = lss__malloc(n);
    char *scratch = lss__malloc(LSS__J_PAYLOAD_MAX + LSS__EV_STRS + 1);
    lss_status st = LSS_OK;
    if (buf == NULL || scratch == NULL) {
        st = lss__fail(db, LSS_NOMEM, "refresh: out of memory");
    } else if (!lss__pread_all(j->fd, buf, n, j->size)) {
        if (errno)
            st = io_fail(db, "read failed", j->path);
        else
            *replaced = true;
    } else {
        /* the bytes from j->size on, checked as at the open: a record cut short is still being written */
        scanner sc = { .data = buf, .size = n, .filled = n, .seq_last = j->seq, .good_events = j->seq, .salt = j->salt };
        scan(&sc, n);
        if (sc.why && !sc.torn)
            st = lss__fail(db, LSS_CORRUPT,
                           "journal \"%.200s\" is damaged at offset %llu (after event %llu): %s; the handle keeps the "
                           "%llu events before it",
                           j->path, (unsigned long long)(j->size + sc.off), (unsigned long long)sc.seq_last, sc.why,
                           (unsigned long long)sc.good_events);
        uint64_t before = j->rec.events;
        lss_status ast = sc.good ? apply_range(j, rd, buf, 0, sc.good, scratch) : LSS_OK;
        if (ast == LSS_OK && sc.good && (ast = rd->end(rd->ctx)) != LSS_OK)
            ast = lss__fail(db, ast, "refresh: %s", lss_db_errmsg(db));
        *applied = j->rec.events - before;
        if (ast != LSS_OK) {
            st = ast;
        } else if (sc.good) {
            j->size += sc.good;
            j->seq = sc.good_events;
            j->rec.last_seq = j->seq;
            size_t t = sc.good < LSS__J_TAIL ? sc.good : LSS__J_TAIL;
            if (t < LSS__J_TAIL) { /* the new tail reaches back before what was read */
                unsigned char *both = lss__malloc(LSS__J_TAIL);
                size_t old = LSS__J_TAIL - t < j->tail_len ? LSS__J_TAIL - t : j->tail_len;
                if (both) {
                    memcpy(both, tail + j->tail_len - old, old);
                    memcpy(both + old, buf + sc.good - t, t);
                    j->tail_len = (uint32_t)(old + t);
                    j->tail_crc = lss__crc32c(0, both, j->tail_len);
                    lss__free(both);
                } else {
                    j->tail_len = (uint32_t)t;
                    j->tail_crc = lss__crc32c(0, buf + sc.good - t, t);
                }
            } else {
                j->tail_len = LSS__J_TAIL;
                j->tail_crc = lss__crc32c(0, buf + sc.good - t, t);
            }
        }
    }
    lss__free(buf);
    lss__free(scratch);
    return st;
}

/* ---- compaction -------------------------------------------------------------------- */

/* Every event the source gives, numbered from 1, as records after the
 * header of the compacted file nj (fd), in writes of about 1 MiB; *size
 * grows by what was written. */
static lss_status write_events(lss__journal *nj, int fd, const lss__journal_source *src, uint64_t *size)
{
    for (uint64_t k = 0; k < src->count; k++) {
        lss__event ev;
        src->event(src->ctx, k, &ev);
        if (put_record(nj, LSS__R_EVENT, &ev, k + 1, 0))
            return lss__fail(nj->db, LSS_NOMEM, "compact: out of memory");
        if (nj->len >= (1u << 20) || k + 1 == src->count) {
            if (lss__write_all(fd, nj->buf, nj->len) != 0)
                return io_fail(nj->db, "cannot write the compacted file", nj->path);
            *size += nj->len;
            nj->len = 0;
        }
    }
    return LSS_OK;
}

lss_status lss__journal_compact(lss__journal *j, const lss__journal_source *src)
{
    static const char ctx[] = "compact";
    lss_db *db = j->db;
    lss_status st = LSS_OK;
    int fd = -1;
    struct lss__journal nj;
    bool owned = false;
    memset(&nj, 0, sizeof nj);
    size_t plen = strlen(j->path);
    char *tmp = lss__malloc(plen + sizeof ".compact");
    if (tmp == NULL)
        return lss__fail(db, LSS_NOMEM, "%s: out of memory", ctx);
    memcpy(tmp, j->path, plen);
    memcpy(tmp + plen, ".compact", sizeof ".compact");
    /* PATH.compact is ours only if it is empty or a journal (one a compaction
     * cut short left behind): anything else is left as it is */
    fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    owned = fd >= 0; /* created here */
    if (fd < 0 && errno == EEXIST)
        fd = open(tmp, O_RDWR | O_CLOEXEC);
    if (fd < 0 || lss__io_ops.flock(fd, LOCK_EX | LOCK_NB) != 0) {
        st = io_fail(db, "cannot create the compacted file", tmp);
        goto done;
    }
    unsigned char head[12];
    ssize_t got = pread(fd, head, sizeof head, 0);
    if (got < 0) {
        st = io_fail(db, "cannot read the compacted file", tmp);
        goto done;
    }
    if (!owned && !header_prefix(head, (size_t)got)) {
        st = lss__fail(db, LSS_IO,
                       "%s: \"%.200s\" exists and is not a journal; it is left as it is (move it away to compact)",
                       ctx, tmp);
        goto done;
    }
    owned = true;
    nj.db = db;
    nj.hdr = j->hdr;
    if (!nj.hdr.has_id) { /* a version 1 journal gets its database id now */
        lss__random_id(nj.hdr.id);
        nj.hdr.has_id = true;
    }
    nj.salt = new_salt();
    nj.dir = j->dir;
    nj.path = tmp;
    if ((st = write_header(&nj, fd, false, "cannot write the compacted file")))
        goto done;
    uint64_t size = LSS__J_HEADER;
    if ((st = write_events(&nj, fd, src, &size)))
        goto done;
    if (lss__io_ops.fdatasync(fd) != 0) {
        st = io_fail(db, "cannot sync the compacted file", tmp);
        goto done;
    }
    if (lss__io_ops.rename(tmp, j->path) != 0) {
        st = io_fail(db, "cannot rename the compacted file over the journal", tmp);
        goto done;
    }
    /* the new file is the journal now: switch to it before the directory sync */
    close(j->fd);
    j->fd = fd;
    fd = -1;
    j->salt = nj.salt;
    j->size = size;
    j->hdr = nj.hdr;
    j->hsize = LSS__J_HEADER;
    j->version = LSS__J_VERSION;
    j->dirty = false;
    if (lseek(j->fd, (off_t)size, SEEK_SET) < 0 || lss__io_ops.fsync_dir(j->dir) != 0) {
        j->poisoned = LSS_IO;
        st = io_fail(db, "cannot sync the directory after the rename (the handle refuses further changes)",
                     j->path);
    }
done:
    if (fd >= 0) {
        close(fd);
        if (owned)
            unlink(tmp);
    }
    lss__free(nj.buf);
    lss__free(tmp);
    return st;
}
