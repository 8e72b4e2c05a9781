#include "secrets.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"

#define SECRETS_FILE_MAX (64 * 1024) /* a few keys; anything bigger is not a secrets file */

static struct secrets *global;

void
secrets_sodium_init(void)
{
	if (sodium_init() < 0) {
		fputs("beacon: libsodium cannot initialise\n", stderr);
		abort();
	}
}

const struct secrets *
secrets_get(void)
{
	return global;
}

void
secrets_set_global(struct secrets *s)
{
	global = s;
}

void
secrets_free(struct secrets *s)
{
	if (s->field_keys != NULL) {
		sodium_memzero(s->field_keys, s->nfield_keys * sizeof(*s->field_keys));
		free(s->field_keys);
	}
	if (s->smtp_password != NULL) {
		sodium_memzero(s->smtp_password, strlen(s->smtp_password));
		free(s->smtp_password);
	}
	sodium_memzero(s, sizeof(*s));
}

const unsigned char *
secrets_field_key(const struct secrets *s, unsigned id)
{
	for (size_t i = 0; i < s->nfield_keys; i++) {
		if (s->field_keys[i].id == id)
			return s->field_keys[i].key;
	}
	return NULL;
}

void
secrets_subkey(const char *purpose, unsigned char out[SECRETS_SUBKEY_BYTES])
{
	static const char domain[] = "beacon.subkey.v1:";
	const struct secrets *s = global;
	crypto_generichash_state st;

	if (s == NULL || s->jwt_key_len < SECRETS_JWT_KEY_MIN) {
		fputs("beacon: secrets_subkey before the secrets were loaded\n", stderr);
		abort();
	}
	/* The domain prefix keeps these inputs apart from any other keyed BLAKE2b use. */
	crypto_generichash_init(&st, s->jwt_key, s->jwt_key_len, SECRETS_SUBKEY_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)domain, sizeof(domain) - 1);
	crypto_generichash_update(&st, (const unsigned char *)purpose, strlen(purpose));
	crypto_generichash_final(&st, out, SECRETS_SUBKEY_BYTES);
	sodium_memzero(&st, sizeof(st));
}

/* Decode standard base64 (padded) of exactly the whole of b64[0..n). */
static int
b64_decode(const char *b64, size_t n, unsigned char *bin, size_t max, size_t *len)
{
	const char *end = NULL;

	if (n == 0)
		return -1;
	/* libsodium 1.0.18 reads any byte >= 0x80 as '/': check the alphabet first. */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)b64[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '/' || c == '='))
			return -1;
	}
	if (sodium_base642bin(bin, max, b64, n, NULL, len, &end, sodium_base64_VARIANT_ORIGINAL) !=
	        0 ||
	    end != b64 + n)
		return -1;
	return 0;
}

/*
 * A key number 1..65535 written without leading zeros (so "field_key.01"
 * cannot sneak in as a second key 1); 0 when s[0..n) is anything else.
 */
static unsigned
key_number(const char *s, size_t n)
{
	unsigned long v = 0;

	if (n == 0 || n > 5 || s[0] == '0')
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	return v <= 65535 ? (unsigned)v : 0;
}

/* The N of "field_key.N"; 0 when name is not one. */
static unsigned
field_key_number(const char *name, size_t n)
{
	static const char prefix[] = "field_key.";
	size_t plen = sizeof(prefix) - 1;

	if (n <= plen || memcmp(name, prefix, plen) != 0)
		return 0;
	return key_number(name + plen, n - plen);
}

static bool
name_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(name, want, n) == 0;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

struct parse_state {
	const char *path;
	struct secrets *s;
	bool have_jwt;
	long current; /* -1 until field_key_current is seen */
	char *err;
	size_t errlen;
};

static int
line_error(struct parse_state *ps, int lineno, const char *what)
{
	snprintf(ps->err, ps->errlen, "BEACON_SECRETS_FILE: %s: line %d: %s", ps->path, lineno,
	         what);
	return -1;
}

/* One "name = value" line, already trimmed; value may be empty. */
static int
parse_entry(struct parse_state *ps, int lineno, const char *name, size_t nlen, const char *val,
            size_t vlen)
{
	struct secrets *s = ps->s;
	unsigned id;

	if (name_is(name, nlen, "jwt_key")) {
		if (ps->have_jwt)
			return line_error(ps, lineno, "jwt_key is repeated");
		if (b64_decode(val, vlen, s->jwt_key, sizeof(s->jwt_key), &s->jwt_key_len) != 0 ||
		    s->jwt_key_len < SECRETS_JWT_KEY_MIN)
			return line_error(ps, lineno,
			                  "jwt_key must be base64 of 32 to 64 random bytes");
		ps->have_jwt = true;
	} else if (name_is(name, nlen, "field_key_current")) {
		if (ps->current >= 0)
			return line_error(ps, lineno, "field_key_current is repeated");
		id = key_number(val, vlen);
		if (id == 0)
			return line_error(ps, lineno,
			                  "field_key_current must be a key number from 1 to 65535");
		ps->current = id;
	} else if (name_is(name, nlen, "smtp_password")) {
		if (s->smtp_password != NULL)
			return line_error(ps, lineno, "smtp_password is repeated");
		s->smtp_password = xstrndup(val, vlen);
	} else if ((id = field_key_number(name, nlen)) != 0) {
		unsigned char key[SECRETS_FIELD_KEY_BYTES + 1];
		size_t klen = 0;
		if (secrets_field_key(s, id) != NULL)
			return line_error(ps, lineno, "field key is repeated");
		if (b64_decode(val, vlen, key, sizeof(key), &klen) != 0 ||
		    klen != SECRETS_FIELD_KEY_BYTES) {
			sodium_memzero(key, sizeof(key));
			return line_error(ps, lineno,
			                  "field keys must be base64 of 32 random bytes");
		}
		s->field_keys =
		    xrealloc(s->field_keys, (s->nfield_keys + 1) * sizeof(*s->field_keys));
		s->field_keys[s->nfield_keys].id = (uint16_t)id;
		memcpy(s->field_keys[s->nfield_keys].key, key, SECRETS_FIELD_KEY_BYTES);
		s->nfield_keys++;
		sodium_memzero(key, sizeof(key));
	} else {
		/*
		 * Echo the name only when it looks like one: a key line written
		 * without " = " would otherwise print the key itself.
		 */
		char what[96];
		bool plain = nlen <= 40;
		for (size_t i = 0; plain && i < nlen; i++)
			plain = (name[i] >= 'a' && name[i] <= 'z') || name[i] == '_' || name[i] == '.' ||
			        (name[i] >= '0' && name[i] <= '9' && i > 0 && name[i - 1] == '.');
		if (plain)
			snprintf(what, sizeof(what), "unknown name \"%.*s\"", (int)nlen, name);
		else
			snprintf(what, sizeof(what), "not a \"name = value\" line");
		for (char *p = what; *p; p++) {
			if ((unsigned char)*p < 0x20 || (unsigned char)*p >= 0x7F)
				*p = '?';
		}
		return line_error(ps, lineno, what);
	}
	return 0;
}

static int
parse_text(struct parse_state *ps, const char *text, size_t n)
{
	int lineno = 0;
	size_t i = 0;

	while (i < n) {
		size_t start = i, end;
		lineno++;
		while (i < n && text[i] != '\n')
			i++;
		end = i;
		if (i < n)
			i++;
		while (start < end && is_blank(text[start]))
			start++;
		while (end > start && is_blank(text[end - 1]))
			end--;
		if (start == end || text[start] == '#')
			continue;
		const char *eq = memchr(text + start, '=', end - start);
		if (eq == NULL)
			return line_error(ps, lineno, "expected name = value");
		if (memchr(text + start, '\0', end - start) != NULL)
			return line_error(ps, lineno, "NUL byte");
		size_t nend = (size_t)(eq - text), vstart = nend + 1;
		while (nend > start && is_blank(text[nend - 1]))
			nend--;
		while (vstart < end && is_blank(text[vstart]))
			vstart++;
		if (parse_entry(ps, lineno, text + start, nend - start, text + vstart,
		                end - vstart) != 0)
			return -1;
	}
	return 0;
}

/* Read the whole file after checking it is a private regular file. */
static char *
read_private_file(const char *path, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	char *data = NULL;
	size_t got = 0;

	if (fd < 0) {
		snprintf(err, errlen, "BEACON_SECRETS_FILE: cannot open %s: %s", path,
		         strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "BEACON_SECRETS_FILE: %s is not a regular file", path);
		goto fail;
	}
	if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		snprintf(
		    err, errlen,
		    "BEACON_SECRETS_FILE: %s is open to group or others (mode %03o); run chmod "
		    "600 on it",
		    path, (unsigned)(st.st_mode & 0777));
		goto fail;
	}
	if (st.st_size > SECRETS_FILE_MAX) {
		snprintf(err, errlen, "BEACON_SECRETS_FILE: %s is larger than %d bytes", path,
		         SECRETS_FILE_MAX);
		goto fail;
	}
	data = xmalloc((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, data + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			snprintf(err, errlen, "BEACON_SECRETS_FILE: cannot read %s: %s", path,
			         r < 0 ? strerror(errno) : "file shrank while reading");
			sodium_memzero(data, got);
			free(data);
			data = NULL;
			goto fail;
		}
		got += (size_t)r;
	}
	data[got] = '\0';
	*len = got;
fail:
	close(fd);
	return data;
}

int
secrets_load(const struct config *cfg, struct secrets *s, char *err, size_t errlen)
{
	const char *path = cfg->secrets_file;
	struct parse_state ps = {path, s, false, -1, err, errlen};
	size_t len = 0;
	char *text;
	int rc = -1;

	secrets_sodium_init();
	memset(s, 0, sizeof(*s));
	text = read_private_file(path, &len, err, errlen);
	if (text == NULL)
		return -1;
	if (parse_text(&ps, text, len) != 0)
		goto out;

	const char *env = getenv("BEACON_JWT_KEY");
	if (env != NULL && *env != '\0') {
		if (b64_decode(env, strlen(env), s->jwt_key, sizeof(s->jwt_key), &s->jwt_key_len) !=
		        0 ||
		    s->jwt_key_len < SECRETS_JWT_KEY_MIN) {
			snprintf(err, errlen,
			         "BEACON_JWT_KEY: must be base64 of 32 to 64 random bytes");
			goto out;
		}
		ps.have_jwt = true;
	}
	if (!ps.have_jwt) {
		snprintf(err, errlen, "BEACON_SECRETS_FILE: %s: jwt_key is missing", path);
		goto out;
	}
	if (s->nfield_keys == 0) {
		snprintf(err, errlen, "BEACON_SECRETS_FILE: %s: no field_key.N", path);
		goto out;
	}
	if (ps.current < 0) {
		snprintf(err, errlen, "BEACON_SECRETS_FILE: %s: field_key_current is missing",
		         path);
		goto out;
	}
	if (secrets_field_key(s, (unsigned)ps.current) == NULL) {
		snprintf(err, errlen,
		         "BEACON_SECRETS_FILE: %s: field_key_current = %ld but there is no "
		         "field_key.%ld",
		         path, ps.current, ps.current);
		goto out;
	}
	s->field_key_current = (uint16_t)ps.current;
	rc = 0;
out:
	sodium_memzero(text, len);
	free(text);
	if (rc != 0)
		secrets_free(s);
	return rc;
}

/* Append "name = base64(n random bytes)\n" to out (size cap, used so far *used). */
static void
put_random_key(char *out, size_t cap, size_t *used, const char *name, size_t n)
{
	unsigned char key[SECRETS_JWT_KEY_MAX];
	char b64[sodium_base64_ENCODED_LEN(SECRETS_JWT_KEY_MAX, sodium_base64_VARIANT_ORIGINAL)];

	randombytes_buf(key, n);
	sodium_bin2base64(b64, sizeof(b64), key, n, sodium_base64_VARIANT_ORIGINAL);
	*used += (size_t)snprintf(out + *used, cap - *used, "%s = %s\n", name, b64);
	sodium_memzero(key, sizeof(key));
	sodium_memzero(b64, sizeof(b64));
}

int
secrets_generate(const char *path, char *err, size_t errlen)
{
	char text[512];
	size_t used = 0, off = 0;
	int fd, rc = -1;

	secrets_sodium_init();
	used +=
	    (size_t)snprintf(text, sizeof(text),
	                     "# Beacon secrets (docs/configuration.md, \"Secrets\").\n"
	                     "# Keep this file private (mode 0600) and out of version control.\n");
	put_random_key(text, sizeof(text), &used, "jwt_key", SECRETS_JWT_KEY_MIN);
	put_random_key(text, sizeof(text), &used, "field_key.1", SECRETS_FIELD_KEY_BYTES);
	used += (size_t)snprintf(text + used, sizeof(text) - used, "field_key_current = 1\n");

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "BEACON_SECRETS_FILE: cannot create %s: %s", path,
		         strerror(errno));
		goto out;
	}
	while (off < used) {
		ssize_t w = write(fd, text + off, used - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	/* A umask never widens the mode, but the mode we mean is 0600 exactly. */
	if (off != used || fchmod(fd, 0600) != 0 || fsync(fd) != 0) {
		snprintf(err, errlen, "BEACON_SECRETS_FILE: cannot write %s: %s", path,
		         strerror(errno));
		close(fd);
		unlink(path);
		goto out;
	}
	if (close(fd) != 0) {
		snprintf(err, errlen, "BEACON_SECRETS_FILE: cannot write %s: %s", path,
		         strerror(errno));
		unlink(path);
		goto out;
	}
	rc = 0;
out:
	sodium_memzero(text, sizeof(text));
	return rc;
}
