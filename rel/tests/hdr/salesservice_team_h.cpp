#include <salesservice/team.h>
int lss_hdr_salesservice_team_h_cpp;
