#include <salesservice/customer.h>
int lss_hdr_salesservice_customer_h_cpp;
