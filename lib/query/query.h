/* The query layer (lib/query/): work queues (list.c). */
#ifndef LSS_QUERY_H
#define LSS_QUERY_H

#include "domain/domain.h"

/* Tests set it: every list checks every entity of its kind (the scan a list
 * as of a past moment does), to compare with what the indexes find. */
extern bool lss__list_scan;

#endif
