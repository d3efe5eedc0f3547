#include <salesservice/alloc.h>
int lss_hdr_salesservice_alloc_h_c;
