#include <salesservice/version.h>
int lss_hdr_salesservice_version_h_cpp;
