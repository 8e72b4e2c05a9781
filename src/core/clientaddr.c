/*
 * clientaddr.c - client keys for limits: IPv4 addresses, IPv6 /64 prefixes.
 */
#include "core/clientaddr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static const unsigned char V4_MAPPED[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool
client_key_from_addr(int family, const void *addr, struct client_key *out)
{
	memset(out, 0, sizeof(*out));
	if (family == AF_INET) {
		out->b[0] = 4;
		memcpy(out->b + 1, addr, 4);
		return true;
	}
	if (family != AF_INET6)
		return false;
	const unsigned char *a = addr;
	if (memcmp(a, V4_MAPPED, sizeof(V4_MAPPED)) == 0) {
		out->b[0] = 4;
		memcpy(out->b + 1, a + 12, 4);
		return true;
	}
	out->b[0] = 6;
	memcpy(out->b + 1, a, 8);
	return true;
}

bool
client_key_parse(const char *text, struct client_key *out)
{
	unsigned char a[16];
	if (text == NULL)
		return false;
	if (inet_pton(AF_INET, text, a) == 1)
		return client_key_from_addr(AF_INET, a, out);
	if (inet_pton(AF_INET6, text, a) == 1)
		return client_key_from_addr(AF_INET6, a, out);
	return false;
}

void
client_key_text(const struct client_key *k, char out[CLIENT_TEXT_LEN])
{
	char tmp[INET6_ADDRSTRLEN] = "?";
	if (k->b[0] == 4) {
		inet_ntop(AF_INET, k->b + 1, tmp, sizeof(tmp));
		snprintf(out, CLIENT_TEXT_LEN, "%s", tmp);
		return;
	}
	unsigned char a[16] = {0};
	memcpy(a, k->b + 1, 8);
	inet_ntop(AF_INET6, a, tmp, sizeof(tmp));
	snprintf(out, CLIENT_TEXT_LEN, "%s/64", tmp);
}
