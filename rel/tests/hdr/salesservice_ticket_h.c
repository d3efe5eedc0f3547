#include <salesservice/ticket.h>
int lss_hdr_salesservice_ticket_h_c;
