/* A program outside the tree, built against an installed libsalesservice. */
#include <salesservice.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    lss_db *db = NULL;
    const lss_deal *d = NULL;
    if (lss_db_open(&db, NULL, NULL) != LSS_OK)
        return 1;
    if (lss_member_add(NULL, db, 0, "m", "M", LSS_ROLE_SALES, NULL) != LSS_OK ||
        lss_customer_add(NULL, db, 0, "c", "C", NULL, NULL, NULL, LSS_SOURCE_WEB, NULL) != LSS_OK ||
        lss_deal_open(&d, db, 10, "d", "c", "m", 100, NULL, LSS_TIME_NONE) != LSS_OK ||
        lss_deal_win(db, 20, "d", -1) != LSS_TRANSITION) {
        lss_db_close(db);
        return 1;
    }
    printf("salesservice %s: deal %s is %s; %s\n", lss_version(), lss_deal_key(d),
           lss_stage_name(lss_deal_stage(d)), lss_db_errmsg(db));
    int ok = strcmp(lss_version(), LSS_VERSION_STRING) == 0;
    lss_db_close(db);
    return ok ? 0 : 1;
}
