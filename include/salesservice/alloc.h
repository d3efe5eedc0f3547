/**
 * @file salesservice/alloc.h
 * @brief The allocator hook: every allocation of the library goes through it.
 */
#ifndef SALESSERVICE_ALLOC_H
#define SALESSERVICE_ALLOC_H

#include "common.h"
#include "errors.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Version of #lss_allocator this header describes. */
#define LSS_ALLOCATOR_VERSION 1

/**
 * Allocation functions, like sqlite3_config(SQLITE_CONFIG_MALLOC).
 * They must behave like malloc/realloc/free (realloc(NULL, n) allocates,
 * free(NULL) does nothing), may return NULL on failure (the library then
 * fails the call with #LSS_NOMEM and changes nothing), and must be safe to
 * call from every thread that uses the library. `ctx` is passed back as is.
 */
typedef struct lss_allocator {
    unsigned int version;                               /**< #LSS_ALLOCATOR_VERSION */
    void *(*malloc_fn)(size_t size, void *ctx);
    void *(*realloc_fn)(void *ptr, size_t size, void *ctx);
    void (*free_fn)(void *ptr, void *ctx);
    void *ctx;
} lss_allocator;

/**
 * Install @p allocator for the whole process (uthash's tables included), or
 * restore the C library's malloc/realloc/free when @p allocator is NULL.
 *
 * Call it before opening any database and never while one is open: memory
 * must be freed by the allocator that allocated it. Not thread-safe with
 * respect to other library calls.
 *
 * @return #LSS_OK; #LSS_VERSION for an unknown version; #LSS_INVALID when a
 *         function pointer is NULL; #LSS_MISUSE while a database is open.
 */
LSS_API lss_status lss_set_allocator(const lss_allocator *allocator);

/**
 * Free memory that the library handed to the caller and documented as
 * "free with lss_free()". Uses the installed allocator. NULL is a no-op.
 */
LSS_API void lss_free(void *ptr);

#ifdef __cplusplus
}
#endif

#endif /* SALESSERVICE_ALLOC_H */
