#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static enum log_level min_level = LOG_LVL_INFO;
static struct buf line;
static struct json_writer writer;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void
log_set_level(enum log_level level)
{
	min_level = level;
}

enum log_level
log_get_level(void)
{
	return min_level;
}

int
log_parse_level(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, level_names[i]) == 0)
			return i;
	return -1;
}

struct json_writer *
log_begin(enum log_level level, const char *msg)
{
	if (level < min_level)
		return NULL;
	struct timeval tv;
	struct tm tm;
	char ts[96];
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	snprintf(ts, sizeof(ts), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
	         tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
	         (int)(tv.tv_usec / 1000));
	buf_reset(&line);
	jw_init(&writer, &line);
	jw_obj_begin(&writer);
	jw_kv_str(&writer, "ts", ts);
	jw_kv_str(&writer, "level", level_names[level]);
	jw_kv_int(&writer, "pid", (int64_t)getpid());
	jw_kv_str(&writer, "msg", msg);
	return &writer;
}

void
log_end(struct json_writer *w)
{
	if (w == NULL)
		return;
	jw_obj_end(w);
	buf_putc(w->out, '\n');
	(void)!write(STDERR_FILENO, w->out->data, w->out->len);
}

static void
log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	if (level < min_level)
		return;
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_end(log_begin(level, msg));
}

void
log_info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(LOG_LVL_INFO, fmt, ap);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(LOG_LVL_WARN, fmt, ap);
	va_end(ap);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_vmsg(LOG_LVL_ERROR, fmt, ap);
	va_end(ap);
}
