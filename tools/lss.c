/* lss: the command-line tool of libsalesservice, linked against the library
 * like any other program. See docs/lss.md and docs/lss.1. */
#define _POSIX_C_SOURCE 200809L
#include <salesservice.h>

#include "dashboard.h"
#include "feed.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <time.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { OK = 0, FAILURE = 1, USAGE = 2 };

static const char *cmd = "lss";

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int fail(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return FAILURE;
}

/* A library message: it names the operation ("report: ...", "list deals:
 * ..."); when that is this command's name it is not said twice. */
static bool names_cmd(const char *msg)
{
    size_t n = strlen(cmd) > 4 ? strlen(cmd) - 4 : 0;
    return n && strncmp(msg, cmd + 4, n) == 0 && (msg[n] == ':' || msg[n] == ' ');
}

static int fail_lib(const char *msg)
{
    if (!names_cmd(msg))
        return fail("%s", msg);
    fprintf(stderr, "lss %s\n", msg);
    return FAILURE;
}

static int usage_error(const char *help, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int usage_error(const char *help, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s", help);
    return USAGE;
}

static int usage_error_lib(const char *help, const char *msg)
{
    if (!names_cmd(msg))
        return usage_error(help, "%s", msg);
    fprintf(stderr, "lss %s\n%s", msg, help);
    return USAGE;
}

/* A write to standard output failed with errno e: a failure (exit 1) with
 * its reason, except a reader that went away (a closed pipe, as in
 * `lss export DB | head`), which is quiet, as in git. */
static int write_failed(int e)
{
    struct stat sb;
    if (e == EPIPE || (fstat(STDOUT_FILENO, &sb) == 0 && (S_ISFIFO(sb.st_mode) || S_ISSOCK(sb.st_mode))))
        return FAILURE;
    const char *was = cmd;
    cmd = "lss";
    fail("write error: %s", strerror(e ? e : EIO));
    cmd = was;
    return FAILURE;
}

/* The usage error for what getopt_long returned instead of an option
 * (optstrings begin with ':' and opterr is 0, so the tool alone speaks):
 * one message naming the option and what is wrong with it. */
static int bad_option(const char *help, int c, char **argv)
{
    const char *arg = argv[optind - 1];
    bool is_long = strncmp(arg, "--", 2) == 0;
    int n = is_long ? (int)strcspn(arg, "=") : 0;
    if (c == ':')
        return is_long ? usage_error(help, "option %.*s needs a value", n, arg)
                       : usage_error(help, "option -%c needs a value", optopt);
    if (!is_long && optopt)
        return usage_error(help, "unknown option -%c", optopt);
    return is_long ? usage_error(help, "unknown option %.*s", n, arg) : usage_error(help, "unknown option %s", arg);
}

/* ---- progress on stderr, only on a terminal ---------------------------------- */

static void progress(void *ctx, uint64_t done, uint64_t total)
{
    const char *what = ctx;
    if (total)
        fprintf(stderr, "\r%s: %3d%%", what, (int)(done * 100 / total));
    else
        fprintf(stderr, "\r%s: %llu", what, (unsigned long long)done);
    if (done >= total)
        fputc('\n', stderr);
    fflush(stderr);
}

static lss_progress_fn progress_fn(void) { return isatty(STDERR_FILENO) ? progress : NULL; }

/* ---- parsing option values ------------------------------------------------------ */

static int parse_u32(const char *help, const char *opt, const char *text, uint32_t *out, uint32_t min, uint32_t max)
{
    char *end;
    unsigned long long v = strtoull(text, &end, 10);
    if (*text == '\0' || *end != '\0' || text[0] == '-' || v < min || v > max)
        return usage_error(help, "%s: \"%s\" is not a whole number from %u to %u", opt, text, min, max);
    *out = (uint32_t)v;
    return OK;
}

static int parse_time(const char *help, const char *opt, const char *text, lss_time *out)
{
    if (lss_time_parse(out, text) != LSS_OK)
        return usage_error(help, "%s: %s", opt, lss_errmsg());
    return OK;
}

static lss_db *open_db(const char *path, bool read_only, lss_sync_mode sync, int *rc)
{
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.sync = sync;
    if (read_only) {
        struct stat sb;
        if (stat(path, &sb) != 0) {
            *rc = fail("%s: no such database", path);
            return NULL;
        }
        o.flags = LSS_OPEN_READ_ONLY;
    }
    lss_db *db = NULL;
    if (lss_db_open(&db, path, &o) != LSS_OK) {
        *rc = fail_lib(lss_errmsg());
        return NULL;
    }
    return db;
}

/* ---- report (and demo) ------------------------------------------------------------- */

/* Write a rendering (JSON gets its newline) to standard output and free it. */
static int write_rendered(char *out, size_t len, lss_report_format fmt)
{
    errno = 0;
    bool wrote = fwrite(out, 1, len, stdout) == len && (fmt != LSS_REPORT_JSON || fputc('\n', stdout) != EOF) &&
                 fflush(stdout) == 0;
    int e = errno;
    lss_free(out);
    return wrote ? OK : write_failed(e);
}

static int print_report(lss_db *db, const lss_query *q, lss_report_format fmt)
{
    lss_report *r = NULL;
    char *out = NULL;
    size_t len = 0;
    int rc = lss_report_run(&r, db, q) != LSS_OK || lss_report_render(&out, &len, r, fmt) != LSS_OK
                 ? fail_lib(lss_db_errmsg(db))
                 : write_rendered(out, len, fmt);
    lss_report_free(r);
    return rc;
}

static int print_series(lss_db *db, const lss_query *q, lss_step step, lss_report_format fmt)
{
    lss_series *s = NULL;
    char *out = NULL;
    size_t len = 0;
    int rc = lss_series_run(&s, db, q, step) != LSS_OK || lss_series_render(&out, &len, s, fmt) != LSS_OK
                 ? fail_lib(lss_db_errmsg(db))
                 : write_rendered(out, len, fmt);
    lss_series_free(s);
    return rc;
}

/* The report of several databases' union. */
static int merge_report(int n, char **paths, const lss_query *q, const lss_merge_options *mo, lss_report_format fmt)
{
    lss_db **dbs = calloc((size_t)n, sizeof *dbs);
    int rc = OK;
    if (dbs == NULL)
        return fail("out of memory");
    for (int k = 0; k < n && rc == OK; k++)
        dbs[k] = open_db(paths[k], true, LSS_SYNC_FULL, &rc);
    lss_report *r = NULL;
    char *out = NULL;
    size_t len = 0;
    if (rc == OK)
        rc = lss_report_merge(&r, dbs, (size_t)n, q, mo) != LSS_OK || lss_report_render(&out, &len, r, fmt) != LSS_OK
                 ? fail_lib(lss_errmsg())
                 : write_rendered(out, len, fmt);
    lss_report_free(r);
    for (int k = 0; k < n; k++)
        lss_db_close(dbs[k]);
    free(dbs);
    return rc;
}

static int parse_format(const char *help, const char *text, lss_report_format *fmt)
{
    if (strcmp(text, "text") == 0)
        *fmt = LSS_REPORT_TEXT;
    else if (strcmp(text, "json") == 0)
        *fmt = LSS_REPORT_JSON;
    else if (strcmp(text, "csv") == 0)
        *fmt = LSS_REPORT_CSV;
    else
        return usage_error(help, "--format: \"%s\" is not text, json or csv", text);
    return OK;
}

static const char REPORT_HELP[] =
    "usage: lss report DB [--from TIME] [--to TIME] [--as-of TIME] [--member KEY]\n"
    "                     [--team TEAM] [--channel CHANNEL] [--segment SEGMENT]\n"
    "                     [--pipeline PIPELINE] [--by day|week|month|quarter]\n"
    "                     [--format text|json|csv]\n"
    "       lss report --merge DB DB... [--sketch-error E] [the options above but --by]\n"
    "Print every metric of the metrics spec for the window [from, to) as of --as-of\n"
    "(default: `to`; only events before it exist for the report; default window:\n"
    "the whole history, to one second after the latest event).\n"
    "--by STEP prints a report for each step of [from, to) instead (UTC days, ISO\n"
    "weeks, calendar months or quarters; the first and last may be partial; each\n"
    "as of its end), computed in one pass: JSON {\"step\":..,\"reports\":[..]}, CSV\n"
    "one line per step, text one report after another.\n"
    "--merge: the report of the union of the databases (shards of one company),\n"
    "exactly as of one database holding all their events; member keys name one\n"
    "member in all of them, other keys should be unique (docs/replication.md).\n"
    "--sketch-error E (0 to 0.5): percentiles from a mergeable sketch within E.\n"
    "TIME is RFC 3339 (2025-03-01T09:30:00Z) or a date (2025-03-01).\n"
    "CHANNEL is phone, email, chat, in_person, web or social.\n";

static int cmd_report(int argc, char **argv)
{
    static const struct option longs[] = { { "from", 1, 0, 'f' },    { "to", 1, 0, 't' },
                                           { "as-of", 1, 0, 'a' },   { "member", 1, 0, 'm' },
                                           { "team", 1, 0, 'T' },    { "pipeline", 1, 0, 'p' },
                                           { "channel", 1, 0, 'c' }, { "segment", 1, 0, 's' },
                                           { "format", 1, 0, 'F' },  { "help", 0, 0, 'h' },
                                           { "by", 1, 0, 'b' },      { "merge", 0, 0, 'M' },
                                           { "sketch-error", 1, 0, 'E' }, { 0, 0, 0, 0 } };
    lss_query q = LSS_QUERY_INIT;
    lss_report_format fmt = LSS_REPORT_TEXT;
    lss_step step = LSS_STEP_MONTH;
    bool by = false, merge = false;
    lss_merge_options mo = LSS_MERGE_OPTIONS_INIT;
    int c, rc = OK;
    while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
        switch (c) {
        case 'f': if ((rc = parse_time(REPORT_HELP, "--from", optarg, &q.from))) return rc; break;
        case 't': if ((rc = parse_time(REPORT_HELP, "--to", optarg, &q.to))) return rc; break;
        case 'a': if ((rc = parse_time(REPORT_HELP, "--as-of", optarg, &q.as_of))) return rc; break;
        case 'm': q.member = optarg; break;
        case 'T': q.team = optarg; break;
        case 'p': q.pipeline = optarg; break;
        case 's': q.segment = optarg; break;
        case 'c': {
            lss_channel ch;
            if (lss_channel_parse(&ch, optarg) != LSS_OK)
                return usage_error(REPORT_HELP, "--channel: \"%s\" is not a channel", optarg);
            q.channel = (int)ch;
            break;
        }
        case 'F': if ((rc = parse_format(REPORT_HELP, optarg, &fmt))) return rc; break;
        case 'b':
            if (lss_step_parse(&step, optarg) != LSS_OK)
                return usage_error(REPORT_HELP, "--by: \"%s\" is not day, week, month or quarter", optarg);
            by = true;
            break;
        case 'M': merge = true; break;
        case 'E': {
            char *end;
            mo.sketch_error = strtod(optarg, &end);
            if (*optarg == '\0' || *end != '\0' || !(mo.sketch_error > 0 && mo.sketch_error <= 0.5))
                return usage_error(REPORT_HELP, "--sketch-error: \"%s\" is not a number above 0 and at most 0.5",
                                   optarg);
            break;
        }
        case 'h': fputs(REPORT_HELP, stdout); return OK;
        default: return bad_option(REPORT_HELP, c, argv);
        }
    }
    if (merge)
        return by ? usage_error(REPORT_HELP, "--merge and --by do not go together")
                  : optind > argc - 2 ? usage_error(REPORT_HELP, "--merge: expected at least two database paths")
                                      : merge_report(argc - optind, argv + optind, &q, &mo, fmt);
    if (mo.sketch_error > 0)
        return usage_error(REPORT_HELP, "--sketch-error goes with --merge");
    if (optind != argc - 1)
        return usage_error(REPORT_HELP, "expected one database path");
    lss_db *db = open_db(argv[optind], true, LSS_SYNC_FULL, &rc);
    if (db == NULL)
        return rc;
    rc = by ? print_series(db, &q, step, fmt) : print_report(db, &q, fmt);
    lss_db_close(db);
    return rc;
}

/* lss_export_file failed: to standard output whose reader went away, quietly. */
static int export_failed(lss_db *db, const char *outfile)
{
    if (strcmp(outfile, "-") == 0 && errno == EPIPE)
        return FAILURE;
    return fail_lib(lss_db_errmsg(db));
}

/* ---- dashboard ----------------------------------------------------------------------- */

static const char DASHBOARD_HELP[] =
    "usage: lss dashboard DB [-o FILE] [--from TIME] [--to TIME] [--by day|week|month|quarter]\n"
    "                        [--team TEAM] [--title TEXT]\n"
    "Write one self-contained HTML page (inline SVG, no script, nothing fetched) of\n"
    "the database's figures for the window [from, to) by step (default month): the\n"
    "funnel, won revenue against quota, win rate, pipeline velocity, the forecast,\n"
    "the backlog by age, SLA compliance per target, CSAT and NPS, and tables of the\n"
    "most overdue tasks and the breaching tickets. To FILE (written whole, then\n"
    "renamed into place) or standard output.\n";

static int cmd_dashboard(int argc, char **argv)
{
    static const struct option longs[] = { { "from", 1, 0, 'f' }, { "to", 1, 0, 't' },   { "by", 1, 0, 'b' },
                                           { "team", 1, 0, 'T' }, { "title", 1, 0, 'n' }, { "help", 0, 0, 'h' },
                                           { 0, 0, 0, 0 } };
    lss_query q = LSS_QUERY_INIT;
    lss_step step = LSS_STEP_MONTH;
    const char *outfile = "-", *title = "Sales and service";
    int c, rc = OK;
    while ((c = getopt_long(argc, argv, ":ho:", longs, NULL)) != -1) {
        switch (c) {
        case 'f': if ((rc = parse_time(DASHBOARD_HELP, "--from", optarg, &q.from))) return rc; break;
        case 't': if ((rc = parse_time(DASHBOARD_HELP, "--to", optarg, &q.to))) return rc; break;
        case 'b':
            if (lss_step_parse(&step, optarg) != LSS_OK)
                return usage_error(DASHBOARD_HELP, "--by: \"%s\" is not day, week, month or quarter", optarg);
            break;
        case 'T': q.team = optarg; break;
        case 'n': title = optarg; break;
        case 'o': outfile = optarg; break;
        case 'h': fputs(DASHBOARD_HELP, stdout); return OK;
        default: return bad_option(DASHBOARD_HELP, c, argv);
        }
    }
    if (optind != argc - 1)
        return usage_error(DASHBOARD_HELP, "expected one database path");
    lss_db *db = open_db(argv[optind], true, LSS_SYNC_FULL, &rc);
    if (db == NULL)
        return rc;
    bool to_stdout = strcmp(outfile, "-") == 0;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", outfile);
    FILE *f = to_stdout ? stdout : fopen(tmp, "w");
    if (f == NULL) {
        rc = fail("cannot write \"%s\": %s", tmp, strerror(errno));
    } else if (lss_dashboard_write(f, db, &q, step, title) != LSS_OK) {
        rc = fail_lib(lss_db_errmsg(db));
    }
    if (f && !to_stdout) {
        errno = 0;
        bool ok = fflush(f) == 0 && !ferror(f);
        int e = errno ? errno : EIO;
        if (fclose(f) != 0 && ok) {
            ok = false;
            e = errno;
        }
        if (rc == OK && !ok)
            rc = fail("%s: write failed: %s", tmp, strerror(e));
        if (rc == OK && rename(tmp, outfile) != 0)
            rc = fail("cannot rename \"%s\" to \"%s\": %s", tmp, outfile, strerror(errno));
        if (rc != OK)
            remove(tmp);
    }
    lss_db_close(db);
    return rc;
}

/* ---- publish, replicate: beyond one machine through NATS JetStream ------------------------ */

static const char PUBLISH_HELP[] =
    "usage: lss publish DB --server URL[,URL...] --stream NAME [--subject S] [--replicas N]\n"
    "                      [--once] [--interval MS]\n"
    "Publish every committed event of DB, in order, to the NATS JetStream stream NAME\n"
    "(created if missing, on --subject, default lss.<database id>, with N replicas,\n"
    "default 1), each as a line of the change feed ({\"seq\":N,...}) with the message id\n"
    "<database id>:<seq>, so that a restart republishes nothing twice. It resumes after\n"
    "the last event the stream holds for the database, then follows DB as another\n"
    "process commits (every --interval ms, default 100) until interrupted; --once\n"
    "publishes what is committed and exits. See docs/replication.md.\n";

static const char REPLICATE_HELP[] =
    "usage: lss replicate OUT --server URL[,URL...] --stream NAME --database-id ID\n"
    "                         [--subject S] [--durable NAME] [--once] [--interval MS]\n"
    "Apply the events the stream NAME holds for database ID (subject S, default\n"
    "lss.<ID>) to the follower database OUT (created if missing; written by nothing\n"
    "else), through the durable consumer NAME (default lss-replicate-<ID>), a batch\n"
    "per transaction, acknowledging each batch after the local commit; then wait for\n"
    "more until interrupted. --once applies what the stream holds and exits.\n";

#ifdef LSS_HAVE_NATS
static void on_feed_signal(int sig)
{
    (void)sig;
    feed_stop = 1;
}
#endif

static int cmd_feed(int argc, char **argv, bool publish)
{
    static const struct option longs[] = { { "server", 1, 0, 's' },   { "stream", 1, 0, 'S' },
                                           { "subject", 1, 0, 'j' },  { "replicas", 1, 0, 'r' },
                                           { "durable", 1, 0, 'd' },  { "database-id", 1, 0, 'i' },
                                           { "once", 0, 0, 'o' },     { "interval", 1, 0, 'I' },
                                           { "help", 0, 0, 'h' },     { 0, 0, 0, 0 } };
    const char *help = publish ? PUBLISH_HELP : REPLICATE_HELP;
    feed_opts f = { NULL, NULL, NULL, NULL, NULL, NULL, false, 100, 1 };
    uint32_t v = 0; /* set by parse_u32 before each use; 0 quiets -O3's may-be-uninitialized */
    int c, rc;
    while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
        switch (c) {
        case 's': f.server = optarg; break;
        case 'S': f.stream = optarg; break;
        case 'j': f.subject = optarg; break;
        case 'o': f.once = true; break;
        case 'I': if ((rc = parse_u32(help, "--interval", optarg, &v, 1, 60000))) return rc; f.interval_ms = v; break;
        case 'r':
            if (!publish)
                return usage_error(help, "unknown option --replicas");
            if ((rc = parse_u32(help, "--replicas", optarg, &v, 1, 5)))
                return rc;
            f.replicas = (int)v;
            break;
        case 'd':
            if (publish)
                return usage_error(help, "unknown option --durable");
            f.durable = optarg;
            break;
        case 'i':
            if (publish)
                return usage_error(help, "unknown option --database-id");
            f.database_id = optarg;
            break;
        case 'h': fputs(help, stdout); return OK;
        default: return bad_option(help, c, argv);
        }
    }
    if (optind != argc - 1)
        return usage_error(help, publish ? "expected one database path" : "expected one follower database path");
    if (f.server == NULL || f.stream == NULL)
        return usage_error(help, "--server and --stream are required");
    if (!publish && f.database_id == NULL)
        return usage_error(help, "--database-id is required (lss stats SOURCE prints it)");
    f.db = argv[optind];
#ifdef LSS_HAVE_NATS
    char err[1024];
    signal(SIGINT, on_feed_signal);
    signal(SIGTERM, on_feed_signal);
    rc = publish ? feed_publish(&f, err, sizeof err) : feed_replicate(&f, err, sizeof err);
    return rc ? fail("%s", err) : OK;
#else
    return fail("this lss was built without libnats (install libnats-dev and build again): no NATS JetStream");
#endif
}

static int cmd_publish(int argc, char **argv) { return cmd_feed(argc, argv, true); }
static int cmd_replicate(int argc, char **argv) { return cmd_feed(argc, argv, false); }

/* ---- generate and demo -------------------------------------------------------------- */

static const char GENERATE_HELP[] =
    "usage: lss generate [--customers N] [--seed S] [--start DATE] [--days D]\n"
    "                    [--reps N] [--agents N] [--order customer|time] [-o FILE]\n"
    "Write a generated company as JSON Lines (to standard output, or FILE):\n"
    "a sales and a service team, leads from several sources (some referred),\n"
    "deals through the pipeline, quotas per quarter, activities, tickets with\n"
    "contacts, pending spells, reopens and ratings, repeat purchases and churn.\n"
    "The same options and seed always give the same file. --order time writes\n"
    "every event in time order, as a live system would (the stories interleave);\n"
    "--order customer, the default, one customer's story after another.\n"
    "Defaults: 3000 customers, seed 1, start 2025-01-01, 365 days, 6 reps, 5 agents.\n";

static const char DEMO_HELP[] =
    "usage: lss demo [--customers N] [--seed S] [--days D] [--order customer|time]\n"
    "                [--format text|json|csv]\n"
    "Generate a company into an in-memory database (as lss generate) and print its\n"
    "report for the whole period.\n";

static int gen_options(int argc, char **argv, const char *help, bool demo, lss_generate_options *g,
                       const char **outfile, lss_report_format *fmt)
{
    static const struct option longs[] = { { "customers", 1, 0, 'n' }, { "seed", 1, 0, 'S' },
                                           { "start", 1, 0, 'b' },     { "days", 1, 0, 'd' },
                                           { "reps", 1, 0, 'r' },      { "agents", 1, 0, 'a' },
                                           { "format", 1, 0, 'F' },    { "help", 0, 0, 'h' },
                                           { "order", 1, 0, 'O' },     { 0, 0, 0, 0 } };
    int c, rc = OK;
    while ((c = getopt_long(argc, argv, demo ? ":h" : ":ho:", longs, NULL)) != -1) {
        uint32_t v = 0;
        switch (c) {
        case 'n': if ((rc = parse_u32(help, "--customers", optarg, &g->customers, 1, 10000000))) return rc; break;
        case 'S': {
            char *end;
            g->seed = strtoull(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || optarg[0] == '-')
                return usage_error(help, "--seed: \"%s\" is not a whole number", optarg);
            break;
        }
        case 'b': if ((rc = parse_time(help, "--start", optarg, &g->start))) return rc; break;
        case 'd': if ((rc = parse_u32(help, "--days", optarg, &g->days, 1, 3650))) return rc; break;
        case 'r': if ((rc = parse_u32(help, "--reps", optarg, &v, 1, 1000))) return rc; g->sales_reps = v; break;
        case 'a': if ((rc = parse_u32(help, "--agents", optarg, &v, 1, 1000))) return rc; g->agents = v; break;
        case 'o': *outfile = optarg; break;
        case 'O':
            if (lss_generate_order_parse(&g->order, optarg) != LSS_OK)
                return usage_error(help, "--order: %s", lss_errmsg());
            break;
        case 'F':
            if (!demo)
                return usage_error(help, "unknown option --format");
            if ((rc = parse_format(help, optarg, fmt)))
                return rc;
            break;
        case 'h': fputs(help, stdout); return -1;
        default: return bad_option(help, c, argv);
        }
    }
    if (optind != argc)
        return usage_error(help, "unexpected argument \"%s\"", argv[optind]);
    g->progress = progress_fn();
    g->progress_ctx = (void *)"generate";
    return OK;
}

static int cmd_generate(int argc, char **argv, bool demo)
{
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    const char *outfile = "-";
    lss_report_format fmt = LSS_REPORT_TEXT;
    int rc = gen_options(argc, argv, demo ? DEMO_HELP : GENERATE_HELP, demo, &g, &outfile, &fmt);
    if (rc)
        return rc < 0 ? OK : rc;
    lss_db *db = NULL;
    if (lss_db_open(&db, NULL, NULL) != LSS_OK)
        return fail_lib(lss_errmsg());
    if (lss_generate(db, &g) != LSS_OK) {
        rc = fail_lib(lss_db_errmsg(db));
    } else if (demo) {
        lss_query q = LSS_QUERY_INIT; /* the whole generated period */
        q.from = g.start;
        q.to = g.start + (lss_time)g.days * 86400;
        rc = print_report(db, &q, fmt);
    } else {
        lss_export_options e = LSS_EXPORT_OPTIONS_INIT;
        e.progress = progress_fn();
        e.progress_ctx = (void *)"export";
        if (lss_export_file(db, outfile, &e) != LSS_OK)
            rc = export_failed(db, outfile);
    }
    lss_db_close(db);
    return rc;
}

/* ---- import, export ---------------------------------------------------------------------- */

static const char IMPORT_HELP[] =
    "usage: lss import DB FILE|- [--keep-going] [--sync full|normal|off]\n"
    "Import JSON Lines events (docs/events.md) into the database DB, created if\n"
    "missing. Atomic: on the first bad line nothing is imported and the error names\n"
    "the line, the field and the reason. With --keep-going every good line is\n"
    "imported and each bad one is reported on standard error (exit status 1 if any).\n";

static void reject(void *ctx, uint64_t line, lss_status st, const char *message)
{
    (void)ctx;
    (void)line;
    fprintf(stderr, "%s: rejected (%s): %s\n", cmd, lss_status_name(st), message);
}

static int cmd_import(int argc, char **argv)
{
    static const struct option longs[] = { { "keep-going", 0, 0, 'k' }, { "sync", 1, 0, 's' },
                                           { "help", 0, 0, 'h' }, { 0, 0, 0, 0 } };
    lss_import_options io = LSS_IMPORT_OPTIONS_INIT;
    lss_sync_mode sync = LSS_SYNC_FULL;
    int c, rc = OK;
    while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
        switch (c) {
        case 'k': io.flags |= LSS_IMPORT_KEEP_GOING; break;
        case 's':
            if (lss_sync_mode_parse(&sync, optarg) != LSS_OK)
                return usage_error(IMPORT_HELP, "--sync: \"%s\" is not full, normal or off", optarg);
            break;
        case 'h': fputs(IMPORT_HELP, stdout); return OK;
        default: return bad_option(IMPORT_HELP, c, argv);
        }
    }
    if (optind != argc - 2)
        return usage_error(IMPORT_HELP, "expected a database path and a file (or -)");
    lss_db *db = open_db(argv[optind], false, sync, &rc);
    if (db == NULL)
        return rc;
    io.progress = progress_fn();
    io.progress_ctx = (void *)"import";
    io.reject = reject;
    lss_import_result res;
    lss_status st = lss_import_file(db, argv[optind + 1], &io, &res);
    rc = OK;
    if (st != LSS_OK)
        rc = fail_lib(lss_db_errmsg(db));
    else if (res.rejected)
        rc = fail("%llu of %llu lines rejected (the first at line %llu); %llu events imported",
                  (unsigned long long)res.rejected, (unsigned long long)res.lines,
                  (unsigned long long)res.first_bad_line, (unsigned long long)res.applied);
    else
        fprintf(stderr, "%s: %llu events imported from %llu lines\n", cmd, (unsigned long long)res.applied,
                (unsigned long long)res.lines);
    lss_db_close(db);
    return rc;
}

static const char EXPORT_HELP[] =
    "usage: lss export DB [-o FILE] [--since SEQ]\n"
    "Write every event of the database DB as JSON Lines, in the canonical form, to\n"
    "standard output (or FILE). Importing the result gives the same database.\n"
    "  --since SEQ  only the events after sequence number SEQ (0: all), each with its\n"
    "               number first (\"seq\"): a consumer that stopped after event N\n"
    "               goes on with --since N, with no gap and no duplicate\n";

static int parse_seq(const char *help, const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (*text == '\0' || *end != '\0' || text[0] == '-' || errno == ERANGE)
        return usage_error(help, "--since: \"%s\" is not a sequence number (0 or more)", text);
    *out = v;
    return OK;
}

/* Where the feed's lines go, and the last sequence number written. */
typedef struct feed_out {
    FILE *f;
    uint64_t last;
    bool err;
} feed_out;

/* One event as a line of the feed: {"seq":N, then the event's own members. */
static int feed_line(void *ctx, const lss_change *ch)
{
    feed_out *o = ctx;
    if (o->err || fprintf(o->f, "{\"seq\":%llu,%s\n", (unsigned long long)ch->seq, ch->json + 1) < 0) {
        o->err = true;
        return 1;
    }
    o->last = ch->seq;
    return 0;
}

static int cmd_export(int argc, char **argv)
{
    static const struct option longs[] = { { "help", 0, 0, 'h' }, { "since", 1, 0, 's' }, { 0, 0, 0, 0 } };
    const char *outfile = "-";
    int c, rc = OK;
    bool since = false;
    uint64_t seq = 0;
    while ((c = getopt_long(argc, argv, ":ho:", longs, NULL)) != -1) {
        switch (c) {
        case 'o': outfile = optarg; break;
        case 's':
            if ((rc = parse_seq(EXPORT_HELP, optarg, &seq)))
                return rc;
            since = true;
            break;
        case 'h': fputs(EXPORT_HELP, stdout); return OK;
        default: return bad_option(EXPORT_HELP, c, argv);
        }
    }
    if (optind != argc - 1)
        return usage_error(EXPORT_HELP, "expected one database path");
    lss_db *db = open_db(argv[optind], true, LSS_SYNC_FULL, &rc);
    if (db == NULL)
        return rc;
    if (since) {
        feed_out o = { strcmp(outfile, "-") == 0 ? stdout : fopen(outfile, "w"), 0, false };
        if (o.f == NULL) {
            rc = fail("cannot open \"%s\": %s", outfile, strerror(errno));
        } else {
            if (lss_events_since(db, seq, feed_line, &o) != LSS_OK && !o.err)
                rc = fail_lib(lss_db_errmsg(db));
            if ((fflush(o.f) != 0 || o.err || (o.f != stdout && fclose(o.f) != 0)) && rc == OK)
                rc = o.f == stdout ? write_failed(errno) : fail("%s: write failed: %s", outfile, strerror(errno));
        }
    } else {
        lss_export_options e = LSS_EXPORT_OPTIONS_INIT;
        e.progress = progress_fn();
        e.progress_ctx = (void *)"export";
        rc = lss_export_file(db, outfile, &e) == LSS_OK ? OK : export_failed(db, outfile);
    }
    lss_db_close(db);
    return rc;
}

/* ---- follow ------------------------------------------------------------------------------------ */

static const char FOLLOW_HELP[] =
    "usage: lss follow DB [--since SEQ] [--once] [--interval MS]\n"
    "Print each event committed to the database DB as a JSON line with its sequence\n"
    "number first (as lss export --since), as another process commits it, until\n"
    "interrupted or standard output is closed. Without --since it starts with the\n"
    "events committed after it starts.\n"
    "  --since SEQ     first the events after sequence number SEQ that are there\n"
    "  --once          print what is committed (after SEQ) and exit\n"
    "  --interval MS   how often to look for new commits (default 100 ms)\n";

static volatile sig_atomic_t stop_following;
static void on_signal(int sig)
{
    (void)sig;
    stop_following = 1;
}

static int cmd_follow(int argc, char **argv)
{
    static const struct option longs[] = { { "help", 0, 0, 'h' }, { "since", 1, 0, 's' }, { "once", 0, 0, 'o' },
                                            { "interval", 1, 0, 'i' }, { 0, 0, 0, 0 } };
    int c, rc = OK;
    bool since = false, once = false;
    uint64_t seq = 0;
    uint32_t interval = 100;
    while ((c = getopt_long(argc, argv, ":h", longs, NULL)) != -1) {
        switch (c) {
        case 's':
            if ((rc = parse_seq(FOLLOW_HELP, optarg, &seq)))
                return rc;
            since = true;
            break;
        case 'o': once = true; break;
        case 'i':
            if ((rc = parse_u32(FOLLOW_HELP, "--interval", optarg, &interval, 1, 60000)))
                return rc;
            break;
        case 'h': fputs(FOLLOW_HELP, stdout); return OK;
        default: return bad_option(FOLLOW_HELP, c, argv);
        }
    }
    if (optind != argc - 1)
        return usage_error(FOLLOW_HELP, "expected one database path");
    lss_db *db = open_db(argv[optind], true, LSS_SYNC_FULL, &rc);
    if (db == NULL)
        return rc;
    feed_out o = { stdout, since ? seq : lss_db_event_count(db), false };
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    /* the events after o.last, each once: what the database holds now, then what each refresh adds */
    if (lss_events_since(db, o.last, feed_line, &o) != LSS_OK) {
        rc = fail_lib(lss_db_errmsg(db));
        once = true;
    }
    fflush(stdout);
    while (!once && !stop_following && !o.err) {
        struct timespec ts = { (time_t)(interval / 1000), (long)(interval % 1000) * 1000000L };
        nanosleep(&ts, NULL);
        uint64_t n;
        int reopened;
        if (lss_db_refresh(db, &n, &reopened) != LSS_OK) {
            rc = fail_lib(lss_db_errmsg(db));
            break;
        }
        if (n && lss_events_since(db, o.last, feed_line, &o) != LSS_OK) {
            rc = fail_lib(lss_db_errmsg(db));
            break;
        }
        if (n && fflush(stdout) != 0)
            o.err = true;
    }
    if ((o.err || fflush(stdout) != 0) && rc == OK)
        rc = errno == EPIPE ? FAILURE : fail("write failed: %s", strerror(errno)); /* a closed pipe: quietly */
    lss_db_close(db);
    return rc;
}

/* ---- check, stats -------------------------------------------------------------------------- */

static const char CHECK_HELP[] =
    "usage: lss check [--drop-damaged-tail] DB\n"
    "Verify the journal DB without changing it: every record's checksum, sequence\n"
    "and transaction, that every event applies as its call's checks would allow\n"
    "(UTF-8, keys, states) and that no key is added twice. Exit status 0 when the\n"
    "journal is sound (a torn tail, a final record cut short by a crash, is\n"
    "reported; the next open for writing cuts it), 1 when it is damaged (the offset\n"
    "is reported) or unreadable.\n"
    "  --drop-damaged-tail  when the damage is in the last record (no valid record\n"
    "                       follows), cut that record off the file, say so and exit 0;\n"
    "                       it may hold an acknowledged change, so only on request\n"
    "When a checkpoint (DB.checkpoint) is beside it, check also opens DB from the\n"
    "checkpoint and compares that state with the journal replayed from the start,\n"
    "every entity, history entry, text and index (exit status 1 if they differ).\n";

static const char CHECKPOINT_HELP[] =
    "usage: lss checkpoint DB\n"
    "Write the state of the database DB to DB.checkpoint, so that later opens load\n"
    "it and replay only the journal written after it. A writer also does this by\n"
    "itself once its journal has grown 64 MiB past the latest checkpoint.\n";

/* The arguments of a command that takes one database path and no option:
 * -1 after printing the help, a usage status, or OK. */
static int one_path(int argc, char **argv, const char *help)
{
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(help, stdout);
        return -1;
    }
    if (argc != 2 || argv[1][0] == '-')
        return usage_error(help, "expected one database path");
    return OK;
}

static int stat_checkpoint(const char *db, struct stat *sb)
{
    char path[4096];
    snprintf(path, sizeof path, "%s.checkpoint", db);
    return stat(path, sb);
}

/* The checkpoint's part of lss check: open from it, compare with a replay. */
static int check_checkpoint(const char *path)
{
    struct stat sb;
    if (stat_checkpoint(path, &sb) != 0)
        return OK;
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY;
    lss_db *db = NULL;
    if (lss_db_open(&db, path, &o) != LSS_OK)
        return fail_lib(lss_errmsg());
    lss_recovery rec;
    lss_db_recovery(&rec, db);
    int rc = OK;
    if (rec.checkpoint_note[0]) {
        printf("%s\n", rec.checkpoint_note);
    } else if (lss_db_verify_state(db) != LSS_OK) {
        printf("checkpoint: %s\n", lss_db_errmsg(db));
        rc = FAILURE;
    } else {
        printf("checkpoint: %llu events, and %llu after it in the journal: the same state as the journal "
               "replayed from the start\n",
               (unsigned long long)rec.checkpoint_events, (unsigned long long)rec.events);
    }
    lss_db_close(db);
    return rc;
}

static int cmd_check(int argc, char **argv)
{
    bool drop = argc == 3 && strcmp(argv[1], "--drop-damaged-tail") == 0;
    if (drop) {
        argv++;
        argc--;
    }
    int rc = one_path(argc, argv, CHECK_HELP);
    if (rc)
        return rc < 0 ? OK : rc;
    lss_open_options o = LSS_OPEN_OPTIONS_INIT;
    o.flags = LSS_OPEN_READ_ONLY | LSS_OPEN_TO_DAMAGE;
    lss_db *db = NULL;
    struct stat sb;
    if (stat(argv[1], &sb) != 0)
        return fail("%s: no such database", argv[1]);
    if (lss_db_open(&db, argv[1], &o) != LSS_OK)
        return fail_lib(lss_errmsg());
    lss_recovery rec;
    lss_db_recovery(&rec, db);
    printf("%s: %llu events, %llu bytes\n", argv[1], (unsigned long long)rec.events,
           (unsigned long long)rec.file_size);
    lss_db_close(db);
    if (rec.damage_offset && drop) {
        o.flags = LSS_OPEN_DROP_DAMAGED_TAIL;
        if (lss_db_open(&db, argv[1], &o) != LSS_OK)
            return fail_lib(lss_errmsg());
        lss_db_recovery(&rec, db);
        lss_db_close(db);
        printf("damaged last record at offset %llu cut off: %llu bytes dropped, %llu events kept\n",
               (unsigned long long)rec.damage_offset, (unsigned long long)rec.bytes_dropped,
               (unsigned long long)rec.events);
    } else if (rec.damage_offset) {
        printf("damaged at offset %llu: a record that does not check out (not a write cut short by a crash); the "
               "%llu events before it are readable (lss export); if nothing valid follows it, lss check "
               "--drop-damaged-tail cuts it off\n",
               (unsigned long long)rec.damage_offset, (unsigned long long)rec.events);
        rc = FAILURE;
    } else if (rec.bytes_dropped) {
        printf("torn tail: %llu bytes at offset %llu (a write cut short by a crash; %llu events of an "
               "unfinished transaction); the next open for writing cuts it\n",
               (unsigned long long)rec.bytes_dropped, (unsigned long long)rec.tail_offset,
               (unsigned long long)rec.tx_events_dropped);
    } else {
        printf("ok\n");
    }
    if (rc == OK && !rec.damage_offset)
        rc = check_checkpoint(argv[1]);
    return rc;
}

static int cmd_checkpoint(int argc, char **argv)
{
    int rc = one_path(argc, argv, CHECKPOINT_HELP);
    if (rc)
        return rc < 0 ? OK : rc;
    struct stat sb;
    if (stat(argv[1], &sb) != 0)
        return fail("%s: no such database", argv[1]);
    lss_db *db = open_db(argv[1], false, LSS_SYNC_FULL, &rc);
    if (db == NULL)
        return rc;
    if (lss_db_checkpoint(db) != LSS_OK)
        rc = fail_lib(lss_db_errmsg(db));
    else if (stat_checkpoint(argv[1], &sb) == 0)
        printf("%s.checkpoint: %llu events, %lld bytes\n", argv[1], (unsigned long long)lss_db_event_count(db),
               (long long)sb.st_size);
    lss_db_close(db);
    return rc;
}

static const char STATS_HELP[] =
    "usage: lss stats DB\n"
    "Print what the database DB holds: its database id, settings, counts, time\n"
    "span, file size, and the checkpoint it opened from.\n";

static int cmd_stats(int argc, char **argv)
{
    int rc = one_path(argc, argv, STATS_HELP);
    if (rc)
        return rc < 0 ? OK : rc;
    lss_db *db = open_db(argv[1], true, LSS_SYNC_FULL, &rc);
    if (db == NULL)
        return rc;
    lss_recovery rec;
    lss_db_recovery(&rec, db);
    char last[LSS_TIME_BUFSIZE] = "-";
    if (lss_db_last_time(db) != LSS_TIME_NONE)
        lss_time_format(last, sizeof last, lss_db_last_time(db));
    printf("database    %s\n", argv[1]);
    printf("database id %s%s\n", lss_db_id(db)[0] ? lss_db_id(db) : "- (a version 1 journal: it gets one at its first write)",
           lss_db_is_follower(db) ? " (a follower)" : "");
    printf("currency    %s\n", lss_db_currency(db));
    printf("pipeline    %s\n", lss_pipeline_mode_name(lss_db_pipeline(db)));
    printf("events      %llu\n", (unsigned long long)lss_db_event_count(db));
    printf("last event  %s\n", last);
    printf("members     %u\n", lss_member_count(db));
    printf("customers   %u\n", lss_customer_count(db));
    printf("deals       %u\n", lss_deal_count(db));
    printf("activities  %u\n", lss_activity_count(db));
    printf("tickets     %u\n", lss_ticket_count(db));
    printf("file bytes  %llu\n", (unsigned long long)rec.file_size);
    if (rec.checkpoint_events)
        printf("checkpoint  %llu events (and %llu replayed after it)\n",
               (unsigned long long)rec.checkpoint_events, (unsigned long long)rec.events);
    else
        printf("checkpoint  %s\n", rec.checkpoint_note[0] ? rec.checkpoint_note : "none");
    lss_db_close(db);
    return OK;
}

/* ---- list ------------------------------------------------------------------------------------------------- */

static const char LIST_HELP[] =
    "usage: lss list deals     DB [--owner M] [--team T] [--customer C] [--pipeline P] [--stage S[,S...]] [--open]\n"
    "                             [--closing-from T] [--closing-to T]\n"
    "       lss list tickets   DB [--customer C] [--state S[,S...]] [--assignee M | --unassigned]\n"
    "                             [--priority P[,P...]] [--channel CH] [--open] [--breach-before T]\n"
    "       lss list customers DB [--segment S] [--source S] [--state S] [--search TEXT]\n"
    "       lss list tasks     DB [--member M] [--customer C] [--state S[,S...]] [--due-from T] [--due-to T]\n"
    "                             [--overdue]\n"
    "   common:                   [--as-of T] [--sort FIELD] [--desc] [--limit N] [--after KEY]\n"
    "                             [--format text|json|csv]\n"
    "Print a work queue: the rows that pass every filter as of --as-of (default:\n"
    "one second after the latest event), sorted by FIELD (default key; ties by key;\n"
    "absent values last), --limit rows after the row whose key is --after.\n"
    "Sort fields: deals key, opened, expected_close, amount, last_at; tickets key,\n"
    "opened, priority (urgent first), first_response_due, resolution_due;\n"
    "customers key, added, name; tasks key, due. Works while another process writes DB.\n"
    "Exit status 0 (an empty list too), 1 on an error, 2 on a usage error.\n";

/* One cell of a row: text (NULL: null), or a number written bare in JSON. */
typedef struct cell {
    char buf[LSS_TIME_BUFSIZE + LSS_MONEY_BUFSIZE];
    const char *s;
    bool number;
} cell;

static void cell_text(cell *c, const char *s)
{
    c->s = s;
    c->number = false;
}
static void cell_time(cell *c, lss_time t)
{
    c->number = false;
    c->s = t == LSS_TIME_NONE || lss_time_format(c->buf, sizeof c->buf, t) != LSS_OK ? NULL : c->buf;
}
static void cell_money(cell *c, lss_money m)
{
    c->number = false;
    c->s = lss_money_format(c->buf, sizeof c->buf, m) == LSS_OK ? c->buf : NULL;
}
static void cell_int(cell *c, long long v)
{
    snprintf(c->buf, sizeof c->buf, "%lld", v);
    c->s = c->buf;
    c->number = true;
}

#define LIST_COLS 12
static const char *const list_cols[4][LIST_COLS + 1] = {
    { "key", "customer", "owner", "pipeline", "stage", "amount", "expected_close", "forecast", "probability", "opened",
      "last_at", NULL },
    { "key", "customer", "state", "priority", "kind", "channel", "assignee", "opened", "first_response",
      "first_response_due", "resolution_due", "sla", NULL },
    { "key", "name", "email", "company", "segment", "source", "state", "added", NULL },
    { "key", "customer", "member", "kind", "due", "state", "deal", "ticket", NULL },
};

static const char *member_key(const lss_member *m) { return m ? lss_member_key(m) : NULL; }

static unsigned list_row(cell *c, const lss_list *l, uint32_t i)
{
    switch (lss_list_kind_of(l)) {
    case LSS_LIST_DEALS: {
        lss_deal_row r;
        lss_list_deal(&r, l, i);
        cell_text(&c[0], lss_deal_key(r.deal));
        cell_text(&c[1], lss_customer_key(r.customer));
        cell_text(&c[2], member_key(r.owner));
        cell_text(&c[3], r.pipeline);
        cell_text(&c[4], lss_stage_name(r.stage));
        cell_money(&c[5], r.amount);
        cell_time(&c[6], r.expected_close);
        cell_text(&c[7], r.forecast);
        cell_int(&c[8], r.probability);
        cell_time(&c[9], r.opened);
        cell_time(&c[10], r.last_at);
        return 11;
    }
    case LSS_LIST_TICKETS: {
        lss_ticket_row r;
        lss_list_ticket(&r, l, i);
        cell_text(&c[0], lss_ticket_key(r.ticket));
        cell_text(&c[1], lss_customer_key(r.customer));
        cell_text(&c[2], lss_ticket_state_name(r.state));
        cell_text(&c[3], lss_priority_name(r.priority));
        cell_text(&c[4], lss_ticket_kind_name(r.kind));
        cell_text(&c[5], lss_channel_name(r.channel));
        cell_text(&c[6], member_key(r.assignee));
        cell_time(&c[7], r.opened);
        cell_time(&c[8], r.first_response);
        cell_time(&c[9], r.first_response_due);
        cell_time(&c[10], r.resolution_due);
        cell_text(&c[11], lss_sla_outcome_name(r.sla));
        return 12;
    }
    case LSS_LIST_CUSTOMERS: {
        lss_customer_row r;
        lss_list_customer(&r, l, i);
        cell_text(&c[0], lss_customer_key(r.customer));
        cell_text(&c[1], r.name);
        cell_text(&c[2], r.email);
        cell_text(&c[3], r.company);
        cell_text(&c[4], r.segment);
        cell_text(&c[5], lss_source_name(r.source));
        cell_text(&c[6], lss_customer_state_name(r.state));
        cell_time(&c[7], r.added);
        return 8;
    }
    case LSS_LIST_TASKS: {
        lss_task_row r;
        lss_list_task(&r, l, i);
        cell_text(&c[0], lss_task_key(r.task));
        cell_text(&c[1], lss_customer_key(r.customer));
        cell_text(&c[2], member_key(r.member));
        cell_text(&c[3], lss_activity_kind_name(r.kind));
        cell_time(&c[4], r.due);
        cell_text(&c[5], lss_task_state_name(r.state));
        cell_text(&c[6], r.deal ? lss_deal_key(r.deal) : NULL);
        cell_text(&c[7], r.ticket ? lss_ticket_key(r.ticket) : NULL);
        return 8;
    }
    }
    return 0;
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void csv_field(FILE *f, const char *s)
{
    if (s == NULL)
        return;
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* Display width of UTF-8 text: its code points. */
static size_t text_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

static void print_list(const lss_list *l, int format)
{
    const char *const *cols = list_cols[lss_list_kind_of(l)];
    unsigned ncols = 0;
    while (cols[ncols])
        ncols++;
    uint32_t n = lss_list_count(l);
    cell c[LIST_COLS];
    if (format == 'j') {
        for (uint32_t i = 0; i < n; i++) {
            list_row(c, l, i);
            fputc('{', stdout);
            for (unsigned k = 0; k < ncols; k++) {
                printf("%s\"%s\":", k ? "," : "", cols[k]);
                if (c[k].s == NULL)
                    fputs("null", stdout);
                else if (c[k].number)
                    fputs(c[k].s, stdout);
                else
                    json_string(stdout, c[k].s);
            }
            fputs("}\n", stdout);
        }
        return;
    }
    if (format == 'c') {
        for (unsigned k = 0; k < ncols; k++)
            printf("%s%s", k ? "," : "", cols[k]);
        fputs("\r\n", stdout);
        for (uint32_t i = 0; i < n; i++) {
            list_row(c, l, i);
            for (unsigned k = 0; k < ncols; k++) {
                if (k)
                    fputc(',', stdout);
                csv_field(stdout, c[k].s);
            }
            fputs("\r\n", stdout);
        }
        return;
    }
    size_t w[LIST_COLS];
    for (unsigned k = 0; k < ncols; k++)
        w[k] = strlen(cols[k]);
    for (uint32_t i = 0; i < n; i++) {
        list_row(c, l, i);
        for (unsigned k = 0; k < ncols; k++) {
            size_t x = c[k].s ? text_width(c[k].s) : 1;
            if (x > w[k])
                w[k] = x;
        }
    }
    for (unsigned k = 0; k < ncols; k++)
        printf("%s%-*s", k ? "  " : "", k + 1 < ncols ? (int)w[k] : 0, cols[k]);
    fputc('\n', stdout);
    for (uint32_t i = 0; i < n; i++) {
        list_row(c, l, i);
        for (unsigned k = 0; k < ncols; k++) {
            const char *s = c[k].s ? c[k].s : "-";
            size_t pad = k + 1 < ncols ? w[k] - text_width(s) : 0;
            printf("%s%s%*s", k ? "  " : "", s, (int)pad, "");
        }
        fputc('\n', stdout);
    }
}

/* A comma-separated set of names, each parsed by parse, into a bit mask. */
static int parse_set(const char *opt, const char *text, unsigned *mask, lss_status (*parse)(int *, const char *),
                     const char *what)
{
    char buf[256];
    if (strlen(text) >= sizeof buf)
        return usage_error(LIST_HELP, "%s: \"%s\" is too long", opt, text);
    strcpy(buf, text);
    *mask = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        int v;
        if (parse(&v, tok) != LSS_OK)
            return usage_error(LIST_HELP, "%s: \"%s\" is not %s", opt, tok, what);
        *mask |= 1u << v;
    }
    if (*mask == 0)
        return usage_error(LIST_HELP, "%s: expected at least one value", opt);
    return OK;
}

static lss_status p_stage(int *v, const char *t)
{
    lss_stage s;
    lss_status st = lss_stage_parse(&s, t);
    *v = (int)s;
    return st;
}
static lss_status p_tstate(int *v, const char *t)
{
    lss_ticket_state s;
    lss_status st = lss_ticket_state_parse(&s, t);
    *v = (int)s;
    return st;
}
static lss_status p_kstate(int *v, const char *t)
{
    lss_task_state s;
    lss_status st = lss_task_state_parse(&s, t);
    *v = (int)s;
    return st;
}
static lss_status p_prio(int *v, const char *t)
{
    lss_priority s;
    lss_status st = lss_priority_parse(&s, t);
    *v = (int)s;
    return st;
}

static int cmd_list(int argc, char **argv)
{
    enum { O_OWNER = 256, O_TEAM, O_CUSTOMER, O_PIPELINE, O_STAGE, O_OPEN, O_CFROM, O_CTO, O_STATE, O_ASSIGNEE,
           O_UNASSIGNED, O_PRIORITY, O_CHANNEL, O_BREACH, O_SEGMENT, O_SOURCE, O_SEARCH, O_ASOF, O_SORT, O_DESC,
           O_LIMIT, O_AFTER, O_FORMAT, O_HELP, O_MEMBER, O_DFROM, O_DTO, O_OVERDUE };
    static const struct option longs[] = {
        { "owner", 1, 0, O_OWNER },           { "team", 1, 0, O_TEAM },          { "customer", 1, 0, O_CUSTOMER },
        { "pipeline", 1, 0, O_PIPELINE },     { "stage", 1, 0, O_STAGE },        { "open", 0, 0, O_OPEN },
        { "closing-from", 1, 0, O_CFROM },    { "closing-to", 1, 0, O_CTO },     { "state", 1, 0, O_STATE },
        { "assignee", 1, 0, O_ASSIGNEE },     { "unassigned", 0, 0, O_UNASSIGNED },
        { "priority", 1, 0, O_PRIORITY },     { "channel", 1, 0, O_CHANNEL },    { "breach-before", 1, 0, O_BREACH },
        { "segment", 1, 0, O_SEGMENT },       { "source", 1, 0, O_SOURCE },      { "search", 1, 0, O_SEARCH },
        { "as-of", 1, 0, O_ASOF },            { "sort", 1, 0, O_SORT },          { "desc", 0, 0, O_DESC },
        { "limit", 1, 0, O_LIMIT },           { "after", 1, 0, O_AFTER },        { "format", 1, 0, O_FORMAT },
        { "help", 0, 0, O_HELP },             { "member", 1, 0, O_MEMBER },      { "due-from", 1, 0, O_DFROM },
        { "due-to", 1, 0, O_DTO },            { "overdue", 0, 0, O_OVERDUE },    { 0, 0, 0, 0 }
    };
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(LIST_HELP, stdout);
        return OK;
    }
    if (argc < 2)
        return usage_error(LIST_HELP, "expected deals, tickets, customers or tasks");
    lss_list_kind kind;
    if (lss_list_kind_parse(&kind, argv[1]) != LSS_OK)
        return usage_error(LIST_HELP, "\"%s\" is not deals, tickets, customers or tasks", argv[1]);
    argc--;
    argv++;
    lss_list_filter f;
    lss_list_filter_init(&f, kind);
    int format = 't', o, rc;
    char *end;
    while ((o = getopt_long(argc, argv, ":", longs, NULL)) != -1) {
        switch (o) {
        case O_OWNER: f.owner = optarg; break;
        case O_TEAM: f.team = optarg; break;
        case O_CUSTOMER: f.customer = optarg; break;
        case O_PIPELINE: f.pipeline = optarg; break;
        case O_STAGE:
            if ((rc = parse_set("--stage", optarg, &f.stages, p_stage, "a stage")))
                return rc;
            break;
        case O_OPEN: f.open = 1; break;
        case O_CFROM:
            if ((rc = parse_time(LIST_HELP, "--closing-from", optarg, &f.closing_from)))
                return rc;
            break;
        case O_CTO:
            if ((rc = parse_time(LIST_HELP, "--closing-to", optarg, &f.closing_to)))
                return rc;
            break;
        case O_STATE:
            if (kind == LSS_LIST_CUSTOMERS) {
                lss_customer_state cs;
                if (lss_customer_state_parse(&cs, optarg) != LSS_OK)
                    return usage_error(LIST_HELP, "--state: \"%s\" is not prospect, active or churned", optarg);
                f.state = (int)cs;
            } else if (kind == LSS_LIST_TASKS) {
                if ((rc = parse_set("--state", optarg, &f.states, p_kstate, "a task state")))
                    return rc;
            } else if ((rc = parse_set("--state", optarg, &f.states, p_tstate, "a ticket state"))) {
                return rc;
            }
            break;
        case O_MEMBER: f.member = optarg; break;
        case O_OVERDUE: f.overdue = 1; break;
        case O_DFROM:
            if ((rc = parse_time(LIST_HELP, "--due-from", optarg, &f.due_from)))
                return rc;
            break;
        case O_DTO:
            if ((rc = parse_time(LIST_HELP, "--due-to", optarg, &f.due_to)))
                return rc;
            break;
        case O_ASSIGNEE: f.assignee = optarg; break;
        case O_UNASSIGNED: f.unassigned = 1; break;
        case O_PRIORITY:
            if ((rc = parse_set("--priority", optarg, &f.priorities, p_prio, "a priority")))
                return rc;
            break;
        case O_CHANNEL: {
            lss_channel ch;
            if (lss_channel_parse(&ch, optarg) != LSS_OK)
                return usage_error(LIST_HELP, "--channel: \"%s\" is not a channel", optarg);
            f.channel = (int)ch;
            break;
        }
        case O_BREACH:
            if ((rc = parse_time(LIST_HELP, "--breach-before", optarg, &f.breach_before)))
                return rc;
            break;
        case O_SEGMENT: f.segment = optarg; break;
        case O_SOURCE: {
            lss_source src;
            if (lss_source_parse(&src, optarg) != LSS_OK)
                return usage_error(LIST_HELP, "--source: \"%s\" is not a source", optarg);
            f.source = (int)src;
            break;
        }
        case O_SEARCH: f.search = optarg; break;
        case O_ASOF:
            if ((rc = parse_time(LIST_HELP, "--as-of", optarg, &f.as_of)))
                return rc;
            break;
        case O_SORT: f.sort = optarg; break;
        case O_DESC: f.desc = 1; break;
        case O_LIMIT:
            f.limit = strtoll(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || f.limit <= 0)
                return usage_error(LIST_HELP, "--limit: \"%s\" is not a number of rows (at least 1)", optarg);
            break;
        case O_AFTER: f.after = optarg; break;
        case O_FORMAT:
            if (strcmp(optarg, "text") && strcmp(optarg, "json") && strcmp(optarg, "csv"))
                return usage_error(LIST_HELP, "--format: \"%s\" is not text, json or csv", optarg);
            format = optarg[0];
            break;
        case O_HELP: fputs(LIST_HELP, stdout); return OK;
        default: return bad_option(LIST_HELP, o, argv);
        }
    }
    if (optind != argc - 1)
        return usage_error(LIST_HELP, "expected one database path");
    lss_db *db = open_db(argv[optind], true, LSS_SYNC_FULL, &rc);
    if (db == NULL)
        return rc;
    lss_list *l = NULL;
    lss_status st = lss_list_run(&l, db, &f);
    if (st != LSS_OK) {
        /* a filter the library refuses is a usage error; a key that is not there is not */
        rc = st == LSS_INVALID ? usage_error_lib(LIST_HELP, lss_db_errmsg(db)) : fail_lib(lss_db_errmsg(db));
        lss_db_close(db);
        return rc;
    }
    print_list(l, format);
    lss_list_free(l);
    lss_db_close(db);
    errno = 0;
    return fflush(stdout) == 0 && !ferror(stdout) ? OK : write_failed(errno);
}

/* ---- main -------------------------------------------------------------------------------------- */

static const char HELP[] =
    "usage: lss COMMAND [ARGS]\n"
    "The command-line tool of libsalesservice, an embeddable sales-and-service engine.\n"
    "\n"
    "commands:\n"
    "  demo       generate a company in memory and print its report\n"
    "  generate   write a generated company as JSON Lines\n"
    "  import     import JSON Lines into a database file\n"
    "  export     write a database file as JSON Lines\n"
    "  report     print the metrics of a database file (text, JSON or CSV), or a series of them\n"
    "  check      verify a database file's journal (and its checkpoint)\n"
    "  checkpoint write a database file's state beside it for fast opens\n"
    "  follow     print each event as another process commits it\n"
    "  list       print a work queue: deals, tickets, customers or tasks, as of any moment\n"
    "  dashboard  write an HTML page of charts and tables of a database file\n"
    "  publish    publish each committed event to a NATS JetStream stream\n"
    "  replicate  keep a follower database equal to a stream's events\n"
    "  stats      print what a database file holds\n"
    "\n"
    "`lss COMMAND --help` describes each. Exit status: 0 success, 1 failure,\n"
    "2 usage error. See docs/lss.md or lss(1).\n";

/* The end of every command: what it wrote must have reached standard
 * output (a command that already failed has said why). */
static int finish(int rc)
{
    errno = 0;
    if (fflush(stdout) == 0 && !ferror(stdout))
        return rc;
    int e = errno;
    return rc == OK ? write_failed(e) : rc;
}

static int cmd_demo(int argc, char **argv) { return cmd_generate(argc, argv, true); }
static int cmd_gen(int argc, char **argv) { return cmd_generate(argc, argv, false); }

static const struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *help;
} commands[] = {
    { "demo", cmd_demo, DEMO_HELP },         { "generate", cmd_gen, GENERATE_HELP },
    { "import", cmd_import, IMPORT_HELP },   { "export", cmd_export, EXPORT_HELP },
    { "report", cmd_report, REPORT_HELP },   { "check", cmd_check, CHECK_HELP },
    { "checkpoint", cmd_checkpoint, CHECKPOINT_HELP }, { "follow", cmd_follow, FOLLOW_HELP },
    { "list", cmd_list, LIST_HELP },         { "stats", cmd_stats, STATS_HELP },
    { "dashboard", cmd_dashboard, DASHBOARD_HELP }, { "publish", cmd_publish, PUBLISH_HELP },
    { "replicate", cmd_replicate, REPLICATE_HELP },
};

static const struct command *command_of(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN); /* a closed pipe is a write error (finish) */
    opterr = 0;               /* bad_option says what is wrong, once */
    if (argc < 2)
        return usage_error(HELP, "expected a command");
    const char *c = argv[1];
    if (strcmp(c, "--help") == 0 || strcmp(c, "-h") == 0 || strcmp(c, "help") == 0) {
        if (argc > 3)
            return usage_error(HELP, "help: expected at most one command");
        const struct command *k = argc == 3 ? command_of(argv[2]) : NULL;
        if (argc == 3 && k == NULL)
            return usage_error(HELP, "help: \"%s\" is not a command", argv[2]);
        fputs(k ? k->help : HELP, stdout);
        return finish(OK);
    }
    if (strcmp(c, "--version") == 0) {
        printf("lss %s\n", lss_version());
        return finish(OK);
    }
    const struct command *k = command_of(c);
    if (k == NULL)
        return usage_error(HELP, "\"%s\" is not a command", c);
    static char name[64];
    snprintf(name, sizeof name, "lss %s", c);
    cmd = name;
    optind = 1;
    return finish(k->run(argc - 1, argv + 1));
}
