#include <salesservice/generate.h>
int lss_hdr_salesservice_generate_h_cpp;
