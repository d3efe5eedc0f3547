#include <salesservice/values.h>
int lss_hdr_salesservice_values_h_c;
