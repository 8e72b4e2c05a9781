/*
 * clientaddr.h - the key that limits count a client by.
 *
 * An IPv4 address stands for itself. An IPv6 address is cut to its /64: one
 * subscriber usually gets a whole /64 and can pick any address in it, so
 * counting single IPv6 addresses would let one client multiply its budget.
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) count as the IPv4 address.
 */
#ifndef BEACON_CORE_CLIENTADDR_H
#define BEACON_CORE_CLIENTADDR_H

#include <stdbool.h>

#define CLIENT_KEY_LEN 17  /* family byte + 16 address bytes */
#define CLIENT_TEXT_LEN 56 /* "ffff:ffff:ffff:ffff::/64" or dotted quad, + NUL, with room gcc can prove */

struct client_key {
	unsigned char b[CLIENT_KEY_LEN]; /* b[0] = 4 or 6; unused bytes are zero */
};

/*
 * The key of an address in network byte order: family AF_INET (4 bytes) or
 * AF_INET6 (16 bytes). False for other families.
 */
bool client_key_from_addr(int family, const void *addr, struct client_key *out);
/* The key of an address written as text ("203.0.113.9", "2001:db8::1"). False if not an address. */
bool client_key_parse(const char *text, struct client_key *out);
/* The key as text: "203.0.113.9" or "2001:db8:1:2::/64". */
void client_key_text(const struct client_key *k, char out[CLIENT_TEXT_LEN]);

#endif
