/* quickstart: a small company's sales pipeline and service desk run
 * through libsalesservice, kept in a durable database file.
 *
 * Two sales reps work six deals for five customers through the pipeline;
 * two agents handle four tickets. The first run records all of it in one
 * transaction into FILE (default quickstart.lss); a later run reopens the
 * file and finds everything there. Either way the program prints every
 * deal's path through the stages, every ticket's path and service level,
 * the totals and the first quarter's report.
 * Usage: quickstart [FILE]. Build and run: see README.md. */
#include <salesservice.h>

#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                                                          \
    do {                                                                                     \
        lss_status st_ = (call);                                                             \
        if (st_ != LSS_OK) {                                                                 \
            fprintf(stderr, "quickstart: %s: %s\n", lss_status_name(st_), lss_db_errmsg(db)); \
            return st_;                                                                      \
        }                                                                                    \
    } while (0)

static lss_time T(const char *text)
{
    lss_time t = 0;
    if (lss_time_parse(&t, text) != LSS_OK) {
        fprintf(stderr, "quickstart: %s\n", lss_errmsg());
        exit(EXIT_FAILURE);
    }
    return t;
}

static void print_path(const lss_deal *d)
{
    char money[LSS_MONEY_BUFSIZE], when[LSS_TIME_BUFSIZE];
    lss_money_format(money, sizeof money, lss_deal_amount(d));
    printf("%-6s %-22s %-6s %10s  ", lss_deal_key(d), lss_customer_name(lss_deal_customer(d)),
           lss_member_key(lss_deal_owner(d)), money);
    for (uint32_t i = 0; i < lss_deal_history_count(d); i++) {
        lss_deal_change ch;
        lss_deal_history_get(&ch, d, i);
        if (ch.kind == LSS_DEAL_AMOUNT || ch.kind == LSS_DEAL_ASSIGNED)
            continue; /* the stage path only */
        lss_time_format(when, sizeof when, ch.at);
        printf("%s%s %.10s", i ? " -> " : "", lss_stage_name(ch.stage), when);
        if (ch.kind == LSS_DEAL_LOST)
            printf(" (%s)", lss_loss_reason_name(ch.reason));
    }
    printf("\n");
}

/* Everything that happens in the first quarter (one event per call). */
static lss_status record(lss_db *db)
{
    CHECK(lss_member_add(NULL, db, T("2025-01-01"), "m-anna", "Anna Berg", LSS_ROLE_SALES, "DACH"));
    CHECK(lss_member_add(NULL, db, T("2025-01-01"), "m-raj", "Raj Patel", LSS_ROLE_SALES, "DACH"));
    CHECK(lss_quota_set(db, T("2025-01-01"), "m-anna", T("2025-01-01"), T("2025-04-01"), 5000000));
    CHECK(lss_quota_set(db, T("2025-01-01"), "m-raj", T("2025-01-01"), T("2025-04-01"), 4000000));

    CHECK(lss_customer_add(NULL, db, T("2025-01-06T09:12:00Z"), "c-kraus", "Kraus GmbH", "einkauf@kraus.example",
                           "Kraus GmbH", "smb", LSS_SOURCE_WEB, NULL));
    CHECK(lss_customer_add(NULL, db, T("2025-01-08T10:00:00Z"), "c-lind", "Lindqvist AB", NULL, NULL, "enterprise",
                           LSS_SOURCE_EVENT, NULL));
    CHECK(lss_customer_add(NULL, db, T("2025-01-10T15:30:00Z"), "c-moreau", "Moreau SARL", NULL, NULL, "smb",
                           LSS_SOURCE_REFERRAL, "c-kraus"));
    CHECK(lss_customer_add(NULL, db, T("2025-01-13T08:00:00Z"), "c-novak", "Novak s.r.o.", NULL, NULL, "smb",
                           LSS_SOURCE_OUTBOUND, NULL));
    CHECK(lss_customer_add(NULL, db, T("2025-01-20T11:00:00Z"), "c-ortega", "Ortega y Hijos", NULL, NULL,
                           "enterprise", LSS_SOURCE_PARTNER, NULL));

    /* d-1: the textbook path, with a revised quote */
    CHECK(lss_deal_open(NULL, db, T("2025-01-06T09:30:00Z"), "d-1", "c-kraus", "m-anna", 1200000, "12 workstations",
                        T("2025-02-28")));
    CHECK(lss_activity_log(NULL, db, T("2025-01-09T14:00:00Z"), "c-kraus", "m-anna", LSS_ACTIVITY_CALL,
                           LSS_CHANNEL_PHONE, 900, "d-1", "needs docking stations"));
    CHECK(lss_deal_advance(db, T("2025-01-09T14:30:00Z"), "d-1", LSS_STAGE_QUALIFIED));
    CHECK(lss_activity_log(NULL, db, T("2025-01-15T10:00:00Z"), "c-kraus", "m-anna", LSS_ACTIVITY_DEMO,
                           LSS_CHANNEL_IN_PERSON, 3600, "d-1", NULL));
    CHECK(lss_deal_advance(db, T("2025-01-15T11:00:00Z"), "d-1", LSS_STAGE_PRESENTED));
    CHECK(lss_deal_advance(db, T("2025-01-20T16:00:00Z"), "d-1", LSS_STAGE_NEGOTIATED));
    CHECK(lss_deal_set_amount(db, T("2025-01-22T11:00:00Z"), "d-1", 1120000));
    CHECK(lss_deal_win(db, T("2025-01-28T15:45:00Z"), "d-1", -1));

    /* d-2: lost on price after the presentation */
    CHECK(lss_deal_open(NULL, db, T("2025-01-08T10:30:00Z"), "d-2", "c-lind", "m-raj", 4500000, "Data centre refresh",
                        LSS_TIME_NONE));
    CHECK(lss_deal_advance(db, T("2025-01-14T09:00:00Z"), "d-2", LSS_STAGE_QUALIFIED));
    CHECK(lss_deal_advance(db, T("2025-01-27T13:00:00Z"), "d-2", LSS_STAGE_PRESENTED));
    CHECK(lss_deal_lose(db, T("2025-02-10T17:00:00Z"), "d-2", LSS_LOSS_PRICE, "competitor 15% cheaper"));

    /* d-3: a referral, handed from Anna to Raj, won with a final discount */
    CHECK(lss_deal_open(NULL, db, T("2025-01-10T16:00:00Z"), "d-3", "c-moreau", "m-anna", 800000, NULL,
                        LSS_TIME_NONE));
    CHECK(lss_deal_assign(db, T("2025-01-12T09:00:00Z"), "d-3", "m-raj"));
    CHECK(lss_deal_advance(db, T("2025-01-16T10:00:00Z"), "d-3", LSS_STAGE_QUALIFIED));
    CHECK(lss_deal_advance(db, T("2025-01-23T10:00:00Z"), "d-3", LSS_STAGE_PRESENTED));
    CHECK(lss_deal_advance(db, T("2025-02-03T10:00:00Z"), "d-3", LSS_STAGE_NEGOTIATED));
    CHECK(lss_deal_win(db, T("2025-02-12T12:00:00Z"), "d-3", 760000));

    /* d-4: lost for timing, reopened a month later, still in negotiation */
    CHECK(lss_deal_open(NULL, db, T("2025-01-13T08:30:00Z"), "d-4", "c-novak", "m-raj", 2000000, NULL, LSS_TIME_NONE));
    CHECK(lss_deal_advance(db, T("2025-01-20T08:30:00Z"), "d-4", LSS_STAGE_QUALIFIED));
    CHECK(lss_deal_lose(db, T("2025-01-31T08:30:00Z"), "d-4", LSS_LOSS_TIMING, NULL));
    CHECK(lss_deal_reopen(db, T("2025-03-03T08:30:00Z"), "d-4"));
    CHECK(lss_deal_advance(db, T("2025-03-05T08:30:00Z"), "d-4", LSS_STAGE_PRESENTED));
    CHECK(lss_deal_advance(db, T("2025-03-12T08:30:00Z"), "d-4", LSS_STAGE_NEGOTIATED));

    /* d-5, d-6: a fresh prospect and a repeat order from Kraus */
    CHECK(lss_deal_open(NULL, db, T("2025-01-20T11:30:00Z"), "d-5", "c-ortega", "m-anna", 3000000, NULL,
                        LSS_TIME_NONE));
    CHECK(lss_deal_open(NULL, db, T("2025-03-01T09:00:00Z"), "d-6", "c-kraus", "m-anna", 300000, "Monitors",
                        LSS_TIME_NONE));
    CHECK(lss_deal_advance(db, T("2025-03-04T09:00:00Z"), "d-6", LSS_STAGE_QUALIFIED));
    CHECK(lss_deal_advance(db, T("2025-03-06T09:00:00Z"), "d-6", LSS_STAGE_PRESENTED));
    CHECK(lss_deal_advance(db, T("2025-03-07T09:00:00Z"), "d-6", LSS_STAGE_NEGOTIATED));
    CHECK(lss_deal_win(db, T("2025-03-10T09:00:00Z"), "d-6", -1));

    /* ---- the service desk ---- */
    CHECK(lss_member_add(NULL, db, T("2025-01-01"), "m-ben", "Ben Ortiz", LSS_ROLE_SERVICE, "Support"));
    CHECK(lss_member_add(NULL, db, T("2025-01-01"), "m-cleo", "Cleo Diaz", LSS_ROLE_BOTH, "Support"));
    /* t-90: installation after the sale, answered and fixed within the SLA, rated 5 */
    CHECK(lss_ticket_open(NULL, db, T("2025-02-03T08:05:00Z"), "t-90", "c-kraus", LSS_TICKET_INSTALLATION,
                          LSS_CHANNEL_PHONE, LSS_PRIORITY_HIGH, "Docking stations not detected", "d-1"));
    CHECK(lss_ticket_contact(db, T("2025-02-03T08:40:00Z"), "t-90", "m-ben", 540, -1));
    CHECK(lss_ticket_resolve(db, T("2025-02-03T09:10:00Z"), "t-90", "firmware update"));
    CHECK(lss_ticket_rate(db, T("2025-02-04T10:00:00Z"), "t-90", 5, NULL));
    CHECK(lss_ticket_close(db, T("2025-02-10T00:00:00Z"), "t-90"));
    /* t-91: an incident that waits on the customer, is reopened, then rated 3 */
    CHECK(lss_ticket_open(NULL, db, T("2025-02-12T13:00:00Z"), "t-91", "c-moreau", LSS_TICKET_INCIDENT,
                          LSS_CHANNEL_EMAIL, LSS_PRIORITY_NORMAL, "Invoices print blank", NULL));
    CHECK(lss_ticket_assign(db, T("2025-02-12T14:00:00Z"), "t-91", "m-cleo"));
    CHECK(lss_ticket_contact(db, T("2025-02-12T15:00:00Z"), "t-91", "m-cleo", 900, LSS_CHANNEL_PHONE));
    CHECK(lss_ticket_wait(db, T("2025-02-12T15:20:00Z"), "t-91"));
    CHECK(lss_ticket_resume(db, T("2025-02-14T09:00:00Z"), "t-91"));
    CHECK(lss_ticket_resolve(db, T("2025-02-14T11:00:00Z"), "t-91", NULL));
    CHECK(lss_ticket_reopen(db, T("2025-02-17T08:00:00Z"), "t-91"));
    CHECK(lss_ticket_contact(db, T("2025-02-17T10:00:00Z"), "t-91", "m-ben", 1200, -1));
    CHECK(lss_ticket_resolve(db, T("2025-02-17T12:00:00Z"), "t-91", "driver reinstalled"));
    CHECK(lss_ticket_rate(db, T("2025-02-18T09:00:00Z"), "t-91", 3, "took two tries"));
    /* t-92: a pre-sales question from a prospect, answered too late for its urgent SLA */
    CHECK(lss_ticket_open(NULL, db, T("2025-01-21T09:00:00Z"), "t-92", "c-ortega", LSS_TICKET_PRESALES,
                          LSS_CHANNEL_CHAT, LSS_PRIORITY_URGENT, "Volume pricing?", "d-5"));
    CHECK(lss_ticket_contact(db, T("2025-01-21T11:30:00Z"), "t-92", "m-cleo", 300, -1));
    CHECK(lss_ticket_resolve(db, T("2025-01-21T11:45:00Z"), "t-92", NULL));
    /* t-93: still open */
    CHECK(lss_ticket_open(NULL, db, T("2025-03-28T16:00:00Z"), "t-93", "c-novak", LSS_TICKET_QUESTION,
                          LSS_CHANNEL_WEB, LSS_PRIORITY_LOW, "Training dates", NULL));

    return LSS_OK;
}

/* What the database holds, as people read it. */
static int show(lss_db *db)
{
    /* The rules are enforced: this one is refused and changes nothing. */
    lss_status st = lss_deal_win(db, T("2025-03-20"), "d-5", -1);
    printf("refused as expected: %s: %s\n\n", lss_status_name(st), lss_db_errmsg(db));

    printf("%-6s %-22s %-6s %10s  %s\n", "deal", "customer", "owner", lss_db_currency(db), "path");
    lss_money won = 0, lost = 0, open = 0, weighted = 0;
    uint32_t nwon = 0, nlost = 0, nopen = 0;
    lss_time now = T("2025-03-31");
    for (uint32_t i = 0; i < lss_deal_count(db); i++) {
        const lss_deal *d;
        lss_deal_by_id(&d, db, i);
        print_path(d);
        switch (lss_deal_stage(d)) {
        case LSS_STAGE_WON: won += lss_deal_amount(d), nwon++; break;
        case LSS_STAGE_LOST: lost += lss_deal_amount(d), nlost++; break;
        default:
            open += lss_deal_amount(d), nopen++;
            weighted += lss_deal_amount(d) * lss_stage_probability_at(db, lss_deal_stage(d), now) / 100;
        }
    }
    char a[LSS_MONEY_BUFSIZE], b[LSS_MONEY_BUFSIZE], c[LSS_MONEY_BUFSIZE], e[LSS_MONEY_BUFSIZE];
    lss_money_format(a, sizeof a, won);
    lss_money_format(b, sizeof b, lost);
    lss_money_format(c, sizeof c, open);
    lss_money_format(e, sizeof e, weighted);
    printf("\ntotals: %u deals, %u won (%s %s), %u lost (%s %s), %u open (%s %s, weighted %s)\n",
           lss_deal_count(db), nwon, a, lss_db_currency(db), nlost, b, lss_db_currency(db), nopen, c,
           lss_db_currency(db), e);
    printf("win rate: %u of %u closed deals\n", nwon, nwon + nlost);

    printf("\n%-6s %-16s %-8s %-8s %-10s %-10s  %s\n", "ticket", "customer", "priority", "state", "response",
           "resolution", "path");
    for (uint32_t i = 0; i < lss_ticket_count(db); i++) {
        const lss_ticket *t;
        lss_sla_state sla;
        lss_ticket_by_id(&t, db, i);
        lss_ticket_sla(&sla, t, now);
        printf("%-6s %-16s %-8s %-8s %-10s %-10s  ", lss_ticket_key(t), lss_customer_name(lss_ticket_customer(t)),
               lss_priority_name(lss_ticket_priority(t)), lss_ticket_state_name(lss_ticket_state_of(t)),
               lss_sla_outcome_name(sla.first_response), lss_sla_outcome_name(sla.resolution));
        for (uint32_t k = 0; k < lss_ticket_history_count(t); k++) {
            lss_ticket_change ch;
            lss_ticket_history_get(&ch, t, k);
            if (k == 0 || ch.state != ch.from_state)
                printf("%s%s", k ? " -> " : "", lss_ticket_state_name(ch.state));
        }
        if (lss_ticket_score(t))
            printf("  (rated %d)", lss_ticket_score(t));
        printf("\n");
    }
    static const char *const who[] = { "c-kraus", "c-lind", "c-novak", "c-ortega" };
    printf("\ncustomers as of 2025-03-31:");
    for (size_t i = 0; i < sizeof who / sizeof *who; i++) {
        const lss_customer *cu;
        lss_customer_find(&cu, db, who[i]);
        printf(" %s %s%s", lss_customer_key(cu), lss_customer_state_name(lss_customer_state_at(cu, now)),
               i + 1 < sizeof who / sizeof *who ? "," : "\n");
    }

    /* The first quarter's report: every metric of the spec for [from, to). */
    lss_query q = LSS_QUERY_INIT;
    q.from = T("2025-01-01");
    q.to = T("2025-04-01");
    lss_report *rep = NULL;
    char *text = NULL;
    CHECK(lss_report_run(&rep, db, &q));
    CHECK(lss_report_render(&text, NULL, rep, LSS_REPORT_TEXT));
    printf("\n%s", text);
    lss_free(text);

    /* One metric alone, and the exact ratio behind it. */
    lss_ratio win_rate;
    char rate[LSS_RATIO_BUFSIZE];
    CHECK(lss_metric_win_rate(&win_rate, db, &q));
    CHECK(lss_ratio_format(rate, sizeof rate, win_rate, 4));
    printf("\nwin rate in Q1: %lld / %lld = %s\n", (long long)win_rate.num, (long long)win_rate.den, rate);
    lss_report_free(rep);
    return EXIT_SUCCESS;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "quickstart.lss";
    lss_db *db = NULL;
    lss_open_options opts = LSS_OPEN_OPTIONS_INIT; /* EUR, strict pipeline, full sync */
    if (lss_db_open(&db, path, &opts) != LSS_OK) {
        fprintf(stderr, "quickstart: %s\n", lss_errmsg());
        return EXIT_FAILURE;
    }
    if (lss_db_event_count(db) == 0) {
        /* one transaction: all of it reaches the file, or none of it */
        if (lss_tx_begin(db) != LSS_OK || record(db) != LSS_OK) {
            lss_db_close(db); /* rolls the transaction back */
            return EXIT_FAILURE;
        }
        if (lss_tx_commit(db) != LSS_OK) {
            fprintf(stderr, "quickstart: %s\n", lss_db_errmsg(db));
            lss_db_close(db);
            return EXIT_FAILURE;
        }
        printf("created %s: %llu events recorded\n\n", path, (unsigned long long)lss_db_event_count(db));
    } else {
        printf("reopened %s: %llu events, recorded by an earlier run\n\n", path,
               (unsigned long long)lss_db_event_count(db));
    }
    int rc = show(db);
    lss_db_close(db);
    return rc;
}
