#include <salesservice/pipeline.h>
int lss_hdr_salesservice_pipeline_h_c;
