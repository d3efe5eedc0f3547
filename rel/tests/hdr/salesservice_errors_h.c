#include <salesservice/errors.h>
int lss_hdr_salesservice_errors_h_c;
