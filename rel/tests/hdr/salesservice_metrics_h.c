#include <salesservice/metrics.h>
int lss_hdr_salesservice_metrics_h_c;
