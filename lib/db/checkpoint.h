/* Checkpoints (checkpoint.c): the state of a database as one file beside
 * its journal, PATH.checkpoint. */
#ifndef LSS_CHECKPOINT_H
#define LSS_CHECKPOINT_H

#include "db/db.h"

/* A copy of the state, ready to be written (or compared). */
typedef struct lss__ckpt lss__ckpt;
/* Copy the state of db (the caller holds its lock; not in a transaction). */
lss_status lss__ckpt_take(lss_db *db, lss__ckpt **out);
/* The journal position the copy covers. */
void lss__ckpt_set_position(lss__ckpt *img, uint32_t salt, const lss__jresume *at);
/* Bytes the file of the copy takes. */
uint64_t lss__ckpt_bytes(const lss__ckpt *img);
/* The files the copy goes to: the checkpoint of the journal at jpath. */
lss_status lss__ckpt_set_file(const lss_db *db, lss__ckpt *img, const char *jpath);
/* Write the copy (no lock needed: the copy is the caller's; allocates
 * nothing, so that it may run on a thread of its own). */
lss_status lss__ckpt_write(const lss_db *db, lss__ckpt *img);
void lss__ckpt_free(lss__ckpt *img);
/* Remove the checkpoint of the journal at jpath, if it is one. */
lss_status lss__ckpt_remove(const lss_db *db, const char *jpath);
/* Load the checkpoint of the journal at jpath (salt, jsize: the journal's)
 * into db, which holds nothing yet. *used: it was loaded, and *at says
 * where the journal goes on; else note says why not, and db may hold part of
 * it (the caller empties it). LSS_NOMEM only for a lack of memory. */
lss_status lss__ckpt_load(lss_db *db, const char *jpath, uint32_t salt, uint64_t jsize, lss__jresume *at,
                          char *note, size_t note_size, bool *used);
/* Checkpoints of at least this many bytes are checked (checksums, lists) on
 * a second thread while they load, and their customers and activities are
 * decoded, and copied when one is taken, on a second thread (tests set 0 or
 * SIZE_MAX to compare). */
extern size_t lss__ckpt_check_thread_min;
/* LSS_OK if the two copies are the same state, else LSS_CORRUPT naming the
 * first part that differs (a: db's, b: the journal's). */
lss_status lss__ckpt_compare(const lss_db *db, const lss__ckpt *a, const lss__ckpt *b);

#endif
