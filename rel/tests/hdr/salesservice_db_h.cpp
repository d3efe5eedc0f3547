#include <salesservice/db.h>
int lss_hdr_salesservice_db_h_cpp;
