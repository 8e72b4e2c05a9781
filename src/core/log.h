/*
 * log.h - JSON-lines logging to standard error.
 *
 * One line per event: {"ts":"2026-11-22T10:00:00.123Z","level":"info",
 * "msg":"...", ...fields}. Each line is written with a single write(2) so
 * lines from several Kore workers never interleave. Values are escaped by
 * the JSON writer; secrets must never be passed in.
 */
#ifndef BEACON_CORE_LOG_H
#define BEACON_CORE_LOG_H

#include "json.h"

enum log_level { LOG_LVL_DEBUG = 0, LOG_LVL_INFO, LOG_LVL_WARN, LOG_LVL_ERROR };

/* Set the lowest level written. */
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* Parse "debug" | "info" | "warn" | "error"; -1 when unknown. */
int log_parse_level(const char *s);

/*
 * Begin a log line at level with message msg. Returns NULL when the level is
 * filtered out; otherwise a writer positioned inside the line's object so the
 * caller can add fields with json_kv_* and must call log_end().
 */
struct json_writer *log_begin(enum log_level level, const char *msg);
/* Finish and write the line begun by log_begin (NULL is fine). */
void log_end(struct json_writer *w);

/* One-call forms with a printf-style message (no extra fields). */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
