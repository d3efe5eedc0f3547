#include <salesservice/common.h>
int lss_hdr_salesservice_common_h_cpp;
