// SPDX-License-Identifier: GPL-2.0
/* Requests as trees, their bytes, and their mutations (see msg.h). */
#include <errno.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/sluice.h>

#include "msg.h"

uint64_t gf_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

static int get_leaf(struct gf_leaf *l, const struct nlattr *na)
{
	int dlen = na->nla_len - NLA_HDRLEN;

	if (dlen < 0 || dlen > GF_DATA)
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	l->type = na->nla_type;
	l->dlen = dlen;
	memcpy(l->data, (const uint8_t *)na + NLA_HDRLEN, dlen);
	return 0;
}

/* Walk the attributes in @p[0..@len): call @fn on each well-formed one. */
#define for_each_attr(na, p, len, off)                                  \
	for (off = 0;                                                   \
	     off + NLA_HDRLEN <= (len) &&                               \
	     (na = (const void *)((p) + off))->nla_len >= NLA_HDRLEN && \
	     off + na->nla_len <= (len);                                \
	     off += NLA_ALIGN(na->nla_len))

int gf_msg_parse(struct gf_msg *m, const void *buf, size_t len,
		 const struct gf_policies *pol)
{
	const struct nlmsghdr *h = buf;
	const struct genlmsghdr *g =
		(const void *)((const uint8_t *)buf + NLMSG_HDRLEN);
	const uint8_t *attrs = (const uint8_t *)g + GENL_HDRLEN;
	size_t alen, off, koff;
	const struct nlattr *na, *ka;

	memset(m, 0, sizeof(*m));
	if (len < NLMSG_HDRLEN + GENL_HDRLEN || h->nlmsg_len > len)
		return -EINVAL;
	alen = h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	m->nlflags = h->nlmsg_flags;
	m->cmd = g->cmd;
	m->version = g->version;
	for_each_attr(na, attrs, alen, off)
	{
		struct gf_top *t = &m->top[m->ntop];
		int type = na->nla_type & NLA_TYPE_MASK;
		const struct gf_attr_policy *ap =
			type < GF_MAX_ATTRS ? &pol->p[0].a[type] : NULL;

		if (m->ntop == GF_TOPS)
			return -EINVAL;
		t->nested = ap && ap->type == NL_ATTR_TYPE_NESTED ? ap->nested :
								    -1;
		if (t->nested < 0) {
			if (get_leaf(&t->a, na))
				return -EINVAL;
		} else {
			const uint8_t *kids = (const uint8_t *)na + NLA_HDRLEN;

			t->a.type = na->nla_type;
			for_each_attr(ka, kids,
				      (size_t)na->nla_len - NLA_HDRLEN, koff)
			{
				if (t->nkids == GF_KIDS ||
				    get_leaf(&t->kids[t->nkids++], ka))
					return -EINVAL;
			}
		}
		m->ntop++;
	}
	return 0;
}

static size_t put_leaf(uint8_t *b, const struct gf_leaf *l)
{
	struct nlattr *na = (void *)b;
	int len = NLA_HDRLEN + l->dlen + l->len_delta;

	na->nla_len = len < 0 ? 0 : len > 0xffff ? 0xffff : len;
	na->nla_type = l->type;
	memcpy(b + NLA_HDRLEN, l->data, l->dlen);
	memset(b + NLA_HDRLEN + l->dlen, 0, NLA_ALIGN(l->dlen) - l->dlen);
	return NLA_HDRLEN + NLA_ALIGN(l->dlen);
}

size_t gf_msg_write(const struct gf_msg *m, uint8_t *buf, int family,
		    uint32_t seq)
{
	struct nlmsghdr *h = (void *)buf;
	struct genlmsghdr *g = (void *)(buf + NLMSG_HDRLEN);
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	int i, k;

	memset(buf, 0, off);
	h->nlmsg_type = family;
	h->nlmsg_flags = m->nlflags;
	h->nlmsg_seq = seq;
	g->cmd = m->cmd;
	g->version = m->version;
	for (i = 0; i < m->ntop; i++) {
		const struct gf_top *t = &m->top[i];

		if (t->nested < 0) {
			off += put_leaf(buf + off, &t->a);
		} else {
			struct nlattr *na = (void *)(buf + off);
			size_t start = off;
			int len;

			off += NLA_HDRLEN;
			for (k = 0; k < t->nkids; k++)
				off += put_leaf(buf + off, &t->kids[k]);
			len = (int)(off - start) + t->a.len_delta;
			na->nla_len = len < 0 ? 0 : len > 0xffff ? 0xffff : len;
			na->nla_type = t->a.type;
		}
	}
	if (m->trunc > 0)
		off = off - NLMSG_HDRLEN > (size_t)m->trunc ? off - m->trunc :
							      NLMSG_HDRLEN;
	h->nlmsg_len = off;
	return off;
}

/* ---- mutations ---- */

struct pick {
	struct gf_leaf *leaf;
	const struct gf_attr_policy *ap; /* NULL: unknown to the policy */
};

static const struct gf_attr_policy *policy_of(const struct gf_policies *pol,
					      int idx, uint16_t type)
{
	type &= NLA_TYPE_MASK;
	if (idx < 0 || idx >= pol->n || type >= GF_MAX_ATTRS ||
	    !pol->p[idx].a[type].type)
		return NULL;
	return &pol->p[idx].a[type];
}

/* Every leaf (top-level or in a nest), with its policy. */
static int leaves(struct gf_msg *m, const struct gf_policies *pol,
		  struct pick *out)
{
	int i, k, n = 0;

	for (i = 0; i < m->ntop; i++) {
		struct gf_top *t = &m->top[i];

		if (t->nested < 0) {
			out[n].leaf = &t->a;
			out[n++].ap = policy_of(pol, 0, t->a.type);
			continue;
		}
		for (k = 0; k < t->nkids; k++) {
			out[n].leaf = &t->kids[k];
			out[n++].ap =
				policy_of(pol, t->nested, t->kids[k].type);
		}
	}
	return n;
}

static uint64_t type_max(int size)
{
	return size == 8 ? ~0ULL : (1ULL << (size * 8)) - 1;
}

/* A value syzkaller would try for this attribute. */
static uint64_t special(const struct gf_attr_policy *ap, int size,
			uint64_t *rng)
{
	uint64_t max = type_max(size);
	int n = gf_below(rng, size * 8);

	switch (gf_below(rng, 10)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return max;
	case 3:
		return (1ULL << n) - 1;
	case 4:
		return (1ULL << n) + 1;
	case 5:
		return 1ULL << n;
	case 6:
		return ap && ap->has_range ? (uint64_t)ap->min - 1 : max - 1;
	case 7:
		return ap && ap->has_range ? (uint64_t)ap->max + 1 : max >> 1;
	case 8:
		return ap && ap->mask ? ~ap->mask & max : gf_rand(rng) & max;
	default:
		return gf_rand(rng) & max;
	}
}

/* A value the policy accepts (range, mask), for changes that take effect. */
static uint64_t in_range(const struct gf_attr_policy *ap, int size,
			 uint64_t *rng)
{
	uint64_t max = type_max(size);

	if (ap->mask)
		return gf_rand(rng) & ap->mask;
	if (ap->has_range && (uint64_t)ap->max >= (uint64_t)ap->min) {
		uint64_t span = (uint64_t)ap->max - (uint64_t)ap->min;

		if (gf_below(rng, 4) == 0)
			return gf_below(rng, 2) ? (uint64_t)ap->min :
						  (uint64_t)ap->max;
		return (uint64_t)ap->min + (span == ~0ULL ?
						    gf_rand(rng) :
						    gf_rand(rng) % (span + 1));
	}
	return gf_rand(rng) & max;
}

static void set_int(struct gf_leaf *l, uint64_t v, int size)
{
	l->dlen = size;
	memcpy(l->data, &v, size); /* little-endian host */
}

/* A new attribute of @idx's policy (or one it does not know), valued per policy. */
static void random_leaf(struct gf_leaf *l, const struct gf_policies *pol,
			int idx, uint64_t *rng)
{
	int max = idx >= 0 && idx < pol->n ? pol->p[idx].maxattr : SLUICE_A_MAX;
	const struct gf_attr_policy *ap;
	int size, i;

	memset(l, 0, sizeof(*l));
	l->type = gf_below(rng, max + 3);
	ap = policy_of(pol, idx, l->type);
	size = ap ? gf_int_size(ap->type) : 0;
	if (size) {
		set_int(l,
			gf_below(rng, 2) ? in_range(ap, size, rng) :
					   special(ap, size, rng),
			size);
		return;
	}
	l->dlen = ap && ap->max_len && ap->max_len <= GF_DATA &&
				  gf_below(rng, 2) ?
			  ap->max_len :
			  gf_below(rng, GF_DATA + 1);
	for (i = 0; i < l->dlen; i++)
		l->data[i] = gf_rand(rng);
	if (ap && ap->type == NL_ATTR_TYPE_NUL_STRING && l->dlen)
		l->data[l->dlen - 1] = 0;
}

/* Remove element @i of an array of @n elements of @size bytes. */
static void drop_at(void *base, int *n, int i, size_t size)
{
	uint8_t *b = base;

	memmove(b + i * size, b + (i + 1) * size, (*n - i - 1) * size);
	(*n)--;
}

static void swap(void *a, void *b, size_t size)
{
	uint8_t tmp[sizeof(struct gf_top)];

	memcpy(tmp, a, size);
	memcpy(a, b, size);
	memcpy(b, tmp, size);
}

const char *gf_mutate(struct gf_msg *m, const struct gf_policies *pol,
		      uint64_t *rng, int body_only)
{
	struct pick p[GF_TOPS * GF_KIDS];
	int n = leaves(m, pol, p), kinds = body_only ? 10 : 14;
	struct gf_top *t = m->ntop ? &m->top[gf_below(rng, m->ntop)] : NULL;
	struct pick *x = n ? &p[gf_below(rng, n)] : NULL;
	int size, i;

	switch (gf_below(rng, kinds)) {
	case 0:
		if (!x || !x->ap || !(size = gf_int_size(x->ap->type)))
			break;
		set_int(x->leaf, special(x->ap, size, rng), size);
		return "special integer";
	case 1:
		if (!x || !x->ap || !(size = gf_int_size(x->ap->type)))
			break;
		set_int(x->leaf, in_range(x->ap, size, rng), size);
		return "integer in range";
	case 2:
		if (!x)
			break;
		x->leaf->len_delta = gf_below(rng, 4) ?
					     (int)gf_below(rng, 17) - 8 :
					     (int16_t)gf_rand(rng);
		return "attribute length off";
	case 3:
		if (!t)
			break;
		t->a.len_delta = (int)gf_below(rng, 17) - 8;
		return "nest length off";
	case 4:
		if (!x)
			break;
		x->leaf->dlen = gf_below(rng, GF_DATA + 1);
		for (i = 0; i < x->leaf->dlen; i++)
			if (gf_below(rng, 2))
				x->leaf->data[i] = gf_rand(rng);
		return "payload resized";
	case 5:
		if (!t)
			break;
		if (t->nested >= 0 && t->nkids && gf_below(rng, 2))
			t->kids[gf_below(rng, t->nkids)].type ^= NLA_F_NESTED;
		else
			t->a.type ^= gf_below(rng, 4) ? NLA_F_NESTED :
							NLA_F_NET_BYTEORDER;
		return "nesting flag flipped";
	case 6:
		if (!t)
			break;
		if (t->nested >= 0 && t->nkids && gf_below(rng, 3))
			drop_at(t->kids, &t->nkids, gf_below(rng, t->nkids),
				sizeof(t->kids[0]));
		else
			drop_at(m->top, &m->ntop, t - m->top, sizeof(*t));
		return "attribute dropped";
	case 7:
		if (!t)
			break;
		if (t->nested >= 0 && t->nkids && t->nkids < GF_KIDS) {
			i = gf_below(rng, t->nkids);
			t->kids[t->nkids] = t->kids[i];
			if (gf_below(rng, 2))
				random_leaf(&t->kids[t->nkids], pol, t->nested,
					    rng);
			t->nkids++;
		} else if (m->ntop < GF_TOPS) {
			m->top[m->ntop++] = *t;
		}
		return "attribute duplicated";
	case 8:
		if (!t)
			break;
		if (t->nested >= 0 && t->nkids > 1)
			swap(&t->kids[gf_below(rng, t->nkids)],
			     &t->kids[gf_below(rng, t->nkids)],
			     sizeof(t->kids[0]));
		else
			swap(t, &m->top[gf_below(rng, m->ntop)], sizeof(*t));
		return "attributes reordered";
	case 9:
		if (t && t->nested >= 0 && t->nkids < GF_KIDS &&
		    gf_below(rng, 3)) {
			random_leaf(&t->kids[t->nkids++], pol, t->nested, rng);
		} else if (m->ntop < GF_TOPS) {
			t = &m->top[m->ntop++];
			memset(t, 0, sizeof(*t));
			t->nested = -1;
			random_leaf(&t->a, pol, 0, rng);
		}
		return "attribute added";
	case 10:
		m->trunc = 1 + gf_below(rng, 64);
		return "message truncated";
	case 11:
		m->cmd = gf_below(rng, SLUICE_CMD_MAX + 3);
		return "command changed";
	case 12:
		m->nlflags ^= NLM_F_DUMP;
		return "dump flag flipped";
	case 13:
		if (!x || !x->leaf->dlen)
			break;
		x->leaf->data[gf_below(rng, x->leaf->dlen)] ^=
			1 << gf_below(rng, 8);
		return "bit flipped";
	}
	return NULL;
}
