/**
 * @file salesservice.h
 * @brief libsalesservice: an embeddable sales-and-service engine.
 *
 * Include this one header. It pulls in the module headers under
 * `salesservice/`, each of which also compiles on its own (C99 and C++).
 * See docs/api.md for the conventions every function follows.
 */
#ifndef SALESSERVICE_H
#define SALESSERVICE_H

#include "salesservice/common.h"
#include "salesservice/version.h"
#include "salesservice/errors.h"
#include "salesservice/values.h"
#include "salesservice/alloc.h"
#include "salesservice/db.h"
#include "salesservice/team.h"
#include "salesservice/customer.h"
#include "salesservice/pipeline.h"
#include "salesservice/ticket.h"
#include "salesservice/task.h"
#include "salesservice/calendar.h"
#include "salesservice/metrics.h"
#include "salesservice/list.h"
#include "salesservice/interchange.h"
#include "salesservice/generate.h"

#endif /* SALESSERVICE_H */
