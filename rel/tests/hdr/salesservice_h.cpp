#include <salesservice.h>
int lss_hdr_salesservice_h_cpp;
