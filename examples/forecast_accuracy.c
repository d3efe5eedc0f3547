/* Forecast accuracy: for each week of a quarter, what the commit forecast of
 * that quarter was as of that week, against the quarter's final revenue.
 * No CRM can say what its forecast was a month ago; here every figure is
 * computed as of any moment, so the table is one report per week.
 *
 *   forecast_accuracy [CUSTOMERS [QUARTER_START]]
 *
 * generates a company (lss_generate, seed 1, the year 2025) in memory and
 * prints the table for the quarter starting at QUARTER_START (default
 * 2025-07-01). */
#include <salesservice.h>

#include <stdio.h>
#include <stdlib.h>

static void die(lss_db *db, const char *what)
{
    fprintf(stderr, "forecast_accuracy: %s: %s\n", what, db ? lss_db_errmsg(db) : lss_errmsg());
    exit(1);
}

/* The money as text ("12345.67"). */
static const char *money(char *buf, size_t n, lss_money m)
{
    return lss_money_format(buf, n, m) == LSS_OK ? buf : "?";
}

int main(int argc, char **argv)
{
    lss_generate_options g = LSS_GENERATE_OPTIONS_INIT;
    g.customers = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 3000u;
    lss_time from;
    if (lss_time_parse(&from, argc > 2 ? argv[2] : "2025-07-01") != LSS_OK)
        die(NULL, "QUARTER_START");
    lss_time to = from + 91 * 86400;
    lss_db *db;
    if (lss_db_open(&db, NULL, NULL) != LSS_OK)
        die(NULL, "open");
    if (lss_generate(db, &g) != LSS_OK)
        die(db, "generate");

    /* the quarter's final revenue: as of its end */
    lss_query q = LSS_QUERY_INIT;
    q.from = from;
    q.to = to;
    lss_pipeline_metrics final;
    if (lss_pipeline_metrics_get(&final, db, &q) != LSS_OK)
        die(db, "report");
    char a[LSS_MONEY_BUFSIZE], b[LSS_MONEY_BUFSIZE], c[LSS_MONEY_BUFSIZE], d[LSS_MONEY_BUFSIZE], w[LSS_TIME_BUFSIZE];
    lss_time_format(w, sizeof w, from);
    printf("Quarter from %.10s: final revenue %s\n\n", w, money(a, sizeof a, final.forecast.closed));
    printf("%-10s %14s %14s %14s %14s %9s\n", "as of", "closed", "commit", "best case", "weighted", "commit %");
    /* the same quarter, as the database knew it at the start of each week (and a month before) */
    for (lss_time as_of = from - 28 * 86400; as_of <= to; as_of += 7 * 86400) {
        lss_pipeline_metrics p;
        q.as_of = as_of;
        if (lss_pipeline_metrics_get(&p, db, &q) != LSS_OK)
            die(db, "report as of");
        int64_t weighted;
        if (lss_ratio_round(&weighted, p.forecast.weighted, 1) != LSS_OK)
            weighted = 0;
        lss_ratio acc = { p.forecast.commit, final.forecast.closed };
        char pct[LSS_RATIO_BUFSIZE] = "-";
        if (acc.den != 0) {
            acc.num *= 100;
            lss_ratio_format(pct, sizeof pct, acc, 1);
        }
        lss_time_format(w, sizeof w, as_of);
        printf("%.10s %14s %14s %14s %14s %9s\n", w, money(a, sizeof a, p.forecast.closed),
               money(b, sizeof b, p.forecast.commit), money(c, sizeof c, p.forecast.best_case),
               money(d, sizeof d, weighted), pct);
    }
    lss_db_close(db);
    return 0;
}
