/* lss dashboard (dashboard.c): the page's writer. */
#ifndef LSS_TOOL_DASHBOARD_H
#define LSS_TOOL_DASHBOARD_H

#include <salesservice.h>

#include <stdio.h>

/* Write the dashboard of the window and filters of q, by step, to f. A
 * failure of the library is returned (its message: lss_db_errmsg(db));
 * write errors are the caller's to find with ferror(f). */
lss_status lss_dashboard_write(FILE *f, lss_db *db, const lss_query *q, lss_step step, const char *title);

#endif
