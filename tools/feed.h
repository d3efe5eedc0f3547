/* lss publish and lss replicate (feed.c): the change feed of a database
 * into a NATS JetStream stream, and a follower database fed from it. Built
 * only with libnats (LSS_HAVE_NATS); see docs/replication.md. */
#ifndef LSS_TOOL_FEED_H
#define LSS_TOOL_FEED_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct feed_opts {
    const char *server;      /* NATS URLs, comma-separated */
    const char *stream;      /* the JetStream stream */
    const char *subject;     /* NULL: lss.<database id> */
    const char *durable;     /* replicate: the durable consumer; NULL: lss-replicate-<database id> */
    const char *db;          /* publish: the source database; replicate: the follower */
    const char *database_id; /* replicate: the source's id */
    bool once;               /* publish what is committed / apply what the stream holds, then exit */
    unsigned interval_ms;    /* how often to look for new commits / messages */
    int replicas;            /* publish: replicas of a stream it creates */
} feed_opts;

/* Set by SIGINT and SIGTERM: finish the batch in hand and stop. */
extern volatile sig_atomic_t feed_stop;

/* 0: done; 1: failed, with the reason in err. A summary of what was done
 * goes to standard output. */
int feed_publish(const feed_opts *o, char *err, size_t errlen);
int feed_replicate(const feed_opts *o, char *err, size_t errlen);

#endif
