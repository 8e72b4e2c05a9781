/*
 * libFuzzer driver for secrets_load. The input after a mode byte is written
 * to a private temporary file that a struct config names:
 *
 *   mode bit 0   the first line of the rest becomes BEACON_JWT_KEY (else unset)
 *   mode bits 1-2  file mode 0600, 0400, 0640 or 0604
 *
 * A reference reader written from secrets.h decides accept or refuse. A
 * refusal is one printable line that begins with the variable's name and
 * does not show the refused key's value; an accepted file has a jwt key of
 * 32..64 bytes, field keys of 32 bytes with distinct ids, a current key
 * that exists, and exactly the keys the file (or BEACON_JWT_KEY) spells.
 */
#include <fcntl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/config.h"
#include "core/secrets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
static int fd = -1;

struct ref {
	bool either;      /* the header leaves this input's verdict open */
	bool refused;     /* the reference refuses */
	const char *text; /* the file */
	size_t len;
	unsigned char jwt[SECRETS_JWT_KEY_MAX];
	size_t jwt_len;
	bool have_jwt;
	uint16_t ids[64];
	unsigned char keys[64][SECRETS_FIELD_KEY_BYTES];
	size_t nkeys;
	long current;
	const char *smtp;
	size_t smtp_len;
	bool have_smtp;
};

static void
cleanup(void)
{
	if (path[0] != '\0')
		unlink(path);
}

static bool
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/*
 * Standard padded base64 of all of s[0..n) into at most max bytes. The
 * alphabet and padding are checked here: libsodium 1.0.18 reads every byte
 * from 0x80 up as '/' and must not be the judge of what base64 is.
 */
static int
b64(const char *s, size_t n, unsigned char *bin, size_t max, size_t *len)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *end = NULL;
	size_t k = 0, pad = 0;

	while (k < n && s[k] != '\0' && strchr(alphabet, s[k]) != NULL)
		k++;
	while (k + pad < n && s[k + pad] == '=')
		pad++;
	if (n == 0 || k + pad != n || n % 4 != 0 || pad > 2)
		return -1;
	if (sodium_base642bin(bin, max, s, n, NULL, len, &end, sodium_base64_VARIANT_ORIGINAL) !=
	        0 ||
	    end != s + n)
		return -1;
	return 0;
}

/* 1..65535 in canonical decimal; 0 otherwise. */
static long
number(const char *s, size_t n)
{
	long v = 0;

	if (n == 0 || n > 5 || s[0] < '1' || s[0] > '9')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	return v <= 65535 ? v : 0;
}

static bool
is(const char *name, size_t n, const char *want)
{
	return n == strlen(want) && memcmp(name, want, n) == 0;
}

/* One "name = value" line; returns false when it refuses the file. */
static bool
ref_entry(struct ref *r, const char *name, size_t nn, const char *val, size_t vn)
{
	unsigned char key[SECRETS_JWT_KEY_MAX + 1];
	size_t len = 0;
	long id;

	if (is(name, nn, "jwt_key")) {
		if (r->have_jwt || b64(val, vn, key, sizeof(key), &len) != 0 ||
		    len < SECRETS_JWT_KEY_MIN || len > SECRETS_JWT_KEY_MAX)
			return false;
		memcpy(r->jwt, key, len);
		r->jwt_len = len;
		r->have_jwt = true;
	} else if (is(name, nn, "field_key_current")) {
		if (r->current >= 0 || (r->current = number(val, vn)) == 0)
			return false;
	} else if (is(name, nn, "smtp_password")) {
		if (r->have_smtp)
			return false;
		r->have_smtp = true;
		r->smtp = val;
		r->smtp_len = vn;
	} else if (nn > 10 && memcmp(name, "field_key.", 10) == 0 &&
	           (id = number(name + 10, nn - 10)) != 0) {
		for (size_t i = 0; i < r->nkeys; i++) {
			if (r->ids[i] == id)
				return false;
		}
		if (b64(val, vn, key, sizeof(key), &len) != 0 || len != SECRETS_FIELD_KEY_BYTES)
			return false;
		if (r->nkeys == 64) {
			r->either = true; /* more keys than the reference keeps */
			return false;
		}
		r->ids[r->nkeys] = (uint16_t)id;
		memcpy(r->keys[r->nkeys++], key, SECRETS_FIELD_KEY_BYTES);
	} else {
		return false;
	}
	return true;
}

static void
ref_read(struct ref *r, const char *text, size_t n, const char *env)
{
	size_t i = 0;

	memset(r, 0, sizeof(*r));
	r->current = -1;
	r->text = text;
	r->len = n;
	while (i < n) {
		size_t a = i, b;
		while (i < n && text[i] != '\n')
			i++;
		b = i;
		if (i < n)
			i++;
		while (a < b && blank(text[a]))
			a++;
		while (b > a && blank(text[b - 1]))
			b--;
		if (a == b || text[a] == '#')
			continue;
		const char *eq = memchr(text + a, '=', b - a);
		if (eq == NULL) {
			r->refused = true;
			return;
		}
		if (memchr(text + a, '\0', b - a) != NULL) {
			/* secrets.h does not say; a NUL is no part of a name or a key. */
			r->either = true;
			return;
		}
		size_t ne = (size_t)(eq - text), vs = ne + 1;
		while (ne > a && blank(text[ne - 1]))
			ne--;
		while (vs < b && blank(text[vs]))
			vs++;
		if (!ref_entry(r, text + a, ne - a, text + vs, b - vs)) {
			r->refused = true;
			return;
		}
	}
	if (env != NULL && *env != '\0') {
		unsigned char key[SECRETS_JWT_KEY_MAX + 1];
		size_t len = 0;
		if (b64(env, strlen(env), key, sizeof(key), &len) != 0 ||
		    len < SECRETS_JWT_KEY_MIN || len > SECRETS_JWT_KEY_MAX) {
			r->refused = true;
			return;
		}
		memcpy(r->jwt, key, len);
		r->jwt_len = len;
		r->have_jwt = true;
	}
	if (!r->have_jwt || r->nkeys == 0 || r->current < 0) {
		r->refused = true;
		return;
	}
	for (size_t k = 0; k < r->nkeys; k++) {
		if (r->ids[k] == r->current)
			return;
	}
	r->refused = true;
}

#define B64_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="

/* Like strspn on s[0..n), which may hold NUL bytes. */
static size_t
strspn_n(const char *s, size_t n, const char *set)
{
	size_t i = 0;

	while (i < n && s[i] != '\0' && strchr(set, s[i]) != NULL)
		i++;
	return i;
}

/*
 * True when err shows 16 or more characters of a base64 run that follows
 * "jwt_key" or "field_key" on some line of the file: key material, even
 * when the line is malformed ("jwt_key AAAA...=" without the " = ").
 */
static bool
shows_key_text(const char *err, size_t n, const char *text, size_t len)
{
	enum { WINDOW = 16 };

	for (size_t i = 0; i < len;) {
		size_t a = i, b;
		while (i < len && text[i] != '\n')
			i++;
		b = i++;
		while (a < b && blank(text[a]))
			a++;
		if (b - a >= 9 && memcmp(text + a, "jwt_key", 7) == 0)
			a += 7;
		else if (b - a >= 11 && memcmp(text + a, "field_key", 9) == 0)
			a += 9;
		else
			continue;
		for (size_t k = a; k + WINDOW <= b; k++) {
			if (strspn_n(text + k, WINDOW, B64_CHARS) == WINDOW &&
			    memmem(err, n, text + k, WINDOW) != NULL &&
			    memmem(path, strlen(path), text + k, WINDOW) == NULL)
				return true;
		}
	}
	return false;
}

static void
check_refused(const char *err, size_t errlen, const struct ref *r, bool env_set)
{
	size_t n = strnlen(err, errlen);

	if (n == errlen)
		abort(); /* not terminated */
	if (strncmp(err, "BEACON_SECRETS_FILE: ", 21) != 0 &&
	    !(env_set && strncmp(err, "BEACON_JWT_KEY: ", 16) == 0))
		abort();
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)err[i] < 0x20 || (unsigned char)err[i] > 0x7E)
			abort();
	}
	/*
	 * Key material is never shown. 16 base64 characters in a row cannot
	 * come from the message's own words, only from the file (or from the
	 * path, which is excluded).
	 */
	if (shows_key_text(err, n, r->text, r->len))
		abort();
}

static void
check_accepted(const struct secrets *s, const struct ref *r)
{
	if (s->jwt_key_len < SECRETS_JWT_KEY_MIN || s->jwt_key_len > SECRETS_JWT_KEY_MAX ||
	    s->nfield_keys == 0 || secrets_field_key(s, s->field_key_current) == NULL)
		abort();
	for (size_t i = 0; i < s->nfield_keys; i++) {
		if (s->field_keys[i].id == 0)
			abort();
		for (size_t j = 0; j < i; j++) {
			if (s->field_keys[i].id == s->field_keys[j].id)
				abort();
		}
	}
	if (r->either)
		return;
	if (s->jwt_key_len != r->jwt_len || memcmp(s->jwt_key, r->jwt, r->jwt_len) != 0 ||
	    s->nfield_keys != r->nkeys || s->field_key_current != r->current)
		abort();
	for (size_t i = 0; i < r->nkeys; i++) {
		if (s->field_keys[i].id != r->ids[i] ||
		    memcmp(s->field_keys[i].key, r->keys[i], SECRETS_FIELD_KEY_BYTES) != 0)
			abort();
	}
	if (r->have_smtp != (s->smtp_password != NULL))
		abort();
	if (r->have_smtp && (strlen(s->smtp_password) != r->smtp_len ||
	                     memcmp(s->smtp_password, r->smtp, r->smtp_len) != 0))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const mode_t modes[4] = {0600, 0400, 0640, 0604};
	struct config cfg = {0};
	struct secrets s, empty = {0};
	struct ref r;
	char err[512], env[256], small[8];
	const char *text;
	size_t n, envlen = 0;
	bool env_set;
	mode_t mode;
	int rc;

	if (size == 0)
		return 0;
	if (fd < 0) {
		const char *tmp = getenv("TMPDIR");
		snprintf(path, sizeof(path), "%s/beacon-fuzz-secrets-XXXXXX",
		         tmp != NULL && strlen(tmp) < 30 ? tmp : "/tmp");
		fd = mkstemp(path);
		if (fd < 0)
			abort();
		atexit(cleanup);
	}
	env_set = (data[0] & 1) != 0;
	mode = modes[(data[0] >> 1) & 3];
	text = (const char *)data + 1;
	n = size - 1;
	if (env_set) {
		const char *nl = memchr(text, '\n', n);
		envlen = nl != NULL ? (size_t)(nl - text) : n;
		if (envlen >= sizeof(env))
			envlen = sizeof(env) - 1;
		memcpy(env, text, envlen);
		env[envlen] = '\0';
		envlen = strlen(env);
		text += nl != NULL ? (size_t)(nl - text) + 1 : n;
		n = (size_t)((const char *)data + size - text);
		setenv("BEACON_JWT_KEY", env, 1);
	} else {
		unsetenv("BEACON_JWT_KEY");
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, text, n, 0) != (ssize_t)n || fchmod(fd, mode) != 0)
		abort();
	cfg.secrets_file = path;

	ref_read(&r, text, n, env_set ? env : NULL);
	if ((mode & 077) != 0) {
		r.refused = true;
		r.either = false;
	}
	memset(err, 'x', sizeof(err));
	rc = secrets_load(&cfg, &s, err, sizeof(err));
	if (rc != 0 && rc != -1)
		abort();
	if (!r.either && (rc == 0) == r.refused)
		abort();
	if (rc == 0) {
		check_accepted(&s, &r);
		secrets_free(&s);
	} else {
		check_refused(err, sizeof(err), &r, env_set && envlen > 0);
	}
	/* Refused or freed, nothing is left behind. */
	if (memcmp(&s, &empty, sizeof(s)) != 0)
		abort();
	/* A short error buffer gives the same verdict, still terminated. */
	memset(small, 'x', sizeof(small));
	if (secrets_load(&cfg, &s, small, sizeof(small)) != rc)
		abort();
	if (rc == 0)
		secrets_free(&s);
	else if (memchr(small, '\0', sizeof(small)) == NULL)
		abort();
	return 0;
}
