#include <salesservice/interchange.h>
int lss_hdr_salesservice_interchange_h_c;
