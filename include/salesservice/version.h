/**
 * @file salesservice/version.h
 * @brief Compile-time and run-time version of libsalesservice.
 */
#ifndef SALESSERVICE_VERSION_H
#define SALESSERVICE_VERSION_H

#include "common.h"

#define LSS_VERSION_MAJOR 0
#define LSS_VERSION_MINOR 1
#define LSS_VERSION_PATCH 0
/** "MAJOR.MINOR.PATCH" of the headers. */
#define LSS_VERSION_STRING "0.1.0"
/** MAJOR * 10000 + MINOR * 100 + PATCH of the headers. */
#define LSS_VERSION_NUMBER (LSS_VERSION_MAJOR * 10000 + LSS_VERSION_MINOR * 100 + LSS_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/** @return the version of the linked library, "MAJOR.MINOR.PATCH" (static). */
LSS_API const char *lss_version(void);

/** @return the version of the linked library as #LSS_VERSION_NUMBER computes it. */
LSS_API int lss_version_number(void);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_VERSION_H */
