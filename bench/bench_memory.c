/* Where the library's memory goes: generates N customers (lss_generate, the
 * workload of bench_sqlite) into an in-memory database through a counting
 * allocator hook and prints the bytes per customer of each structure, from
 * the database's own bookkeeping, next to the total the hook counted.
 *
 * Usage: bench_memory [N ...]     (default: 10000 100000)
 *        environment BENCH_ORDER: customer (the default) or time
 * Not a test: it prints figures. It reads the library's internal structures,
 * so it links the static library and must be rebuilt with it. */
#include "domain/domain.h"
#include "workload.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

/* Bytes of a slab's chunks (allocated, used or not). */
static double slab_bytes(const lss__slab *s)
{
    double n = 0;
    for (uint32_t k = 0; k < s->nchunks; k++)
        n += (double)lss__slab_chunk_size(k) * (double)s->elem;
    return n + s->nchunks * (double)sizeof(char *);
}

static void row(const char *what, double bytes, double customers)
{
    printf("  %-58s %8.1f\n", what, bytes / customers);
}

static void measure(uint32_t customers)
{
    lss_db *db;
    bench_check(lss_db_open(&db, NULL, NULL), "open");
    size_t l0 = bench_live_bytes();
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = customers;
    const char *order = getenv("BENCH_ORDER");
    if (order && lss_generate_order_parse(&g.order, order) != LSS_OK) {
        fprintf(stderr, "bench_memory: BENCH_ORDER: customer or time\n");
        exit(2);
    }
    bench_check(lss_generate(db, &g), "generate");
    double total = (double)(bench_live_bytes() - l0), n = customers;
    double dh = 0, th = 0, kh = 0, dspare = 0, tspare = 0, ch = 0, text = 0;
    for (uint32_t i = 0; i < db->deals.count; i++) {
        const lss_deal *d = lss__slab_get(&db->deals, i);
        dh += d->hist.count * (double)sizeof(lss__deal_change);
        dspare += (d->hist.cap - d->hist.count) * (double)sizeof(lss__deal_change);
    }
    for (uint32_t i = 0; i < db->tickets.count; i++) {
        const lss_ticket *t = lss__slab_get(&db->tickets, i);
        th += t->hist.count * (double)sizeof(lss__ticket_change);
        tspare += (t->hist.cap - t->hist.count) * (double)sizeof(lss__ticket_change);
    }
    for (uint32_t i = 0; i < db->tasks.count; i++) {
        const lss_task *k = lss__slab_get(&db->tasks, i);
        kh += k->hist.cap * (double)sizeof(lss__task_change);
    }
    for (uint32_t i = 0; i < db->customers.count; i++) {
        const lss_customer *c = lss__slab_get(&db->customers, i);
        if (c->changes)
            ch += sizeof(lss__changes) + c->changes->cap * (double)sizeof(lss__customer_change);
    }
    for (const lss__arena_chunk *a = db->text.head; a; a = a->next)
        text += (double)(sizeof *a + a->cap);
    const lss__keyindex *ix[] = { &db->members_by_key, &db->customers_by_key, &db->deals_by_key,
                                  &db->tickets_by_key, &db->tasks_by_key };
    double index = 0;
    for (int k = 0; k < 5; k++)
        index += ix[k]->cap * 8.0;
    double stays = db->deal_stays.cap * (double)sizeof(lss__deal_stays);
    double parts = slab_bytes(&db->customers) + slab_bytes(&db->deals) + slab_bytes(&db->tickets) +
                   slab_bytes(&db->activities) + slab_bytes(&db->tasks) + dh + dspare + th + tspare + kh + ch + text +
                   index + stays;
    printf("N = %u customers, events by %s: %llu events (%.2f per customer); %.2f deals, %.2f tickets, %.2f activities per "
           "customer\n",
           customers, lss_generate_order_name(g.order), (unsigned long long)db->events, db->events / n, db->deals.count / n, db->tickets.count / n,
           db->activities.count / n);
    printf("  %-58s %8s\n", "", "B/cust");
    char what[128];
    snprintf(what, sizeof what, "customer records (%zu B)", sizeof(lss_customer));
    row(what, slab_bytes(&db->customers), n);
    snprintf(what, sizeof what, "deal records (%zu B)", sizeof(lss_deal));
    row(what, slab_bytes(&db->deals), n);
    snprintf(what, sizeof what, "ticket records (%zu B)", sizeof(lss_ticket));
    row(what, slab_bytes(&db->tickets), n);
    snprintf(what, sizeof what, "activity records (%zu B)", sizeof(lss_activity));
    row(what, slab_bytes(&db->activities), n);
    snprintf(what, sizeof what, "deal histories (%zu B an entry), in use", sizeof(lss__deal_change));
    row(what, dh, n);
    row("deal histories, spare room", dspare, n);
    snprintf(what, sizeof what, "deal changes of stage for the report (%zu B a deal, with spare room)",
             sizeof(lss__deal_stays));
    row(what, stays, n);
    snprintf(what, sizeof what, "ticket histories (%zu B an entry), in use", sizeof(lss__ticket_change));
    row(what, th, n);
    row("ticket histories, spare room", tspare, n);
    snprintf(what, sizeof what, "task records (%zu B)", sizeof(lss_task));
    row(what, slab_bytes(&db->tasks), n);
    snprintf(what, sizeof what, "task histories (%zu B an entry), with spare room", sizeof(lss__task_change));
    row(what, kh, n);
    row("customer changes", ch, n);
    row("texts (arena blocks)", text, n);
    row("key index (8-byte slots)", index, n);
    row("everything else (team, quotas, segments, the handle)", total - parts, n);
    row("total, counted by the allocator hook", total, n);
    printf("\n");
    lss_db_close(db);
}

int main(int argc, char **argv)
{
    bench_count_allocations();
    uint32_t sizes[16] = { 10000, 100000 };
    int nsizes = 2;
    if (argc > 1) {
        nsizes = 0;
        for (int i = 1; i < argc && nsizes < 16; i++) {
            long v = atol(argv[i]);
            if (v < 1 || v > 10000000) {
                fprintf(stderr, "bench_memory: N must be 1 to 10,000,000\n");
                return 2;
            }
            sizes[nsizes++] = (uint32_t)v;
        }
    }
    printf("libsalesservice %s: memory per customer of an in-memory database\n\n", lss_version());
    for (int k = 0; k < nsizes; k++)
        measure(sizes[k]);
    return 0;
}
