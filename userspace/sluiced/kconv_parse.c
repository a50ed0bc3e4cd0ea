// SPDX-License-Identifier: GPL-2.0
/*
 * keepalived.conf's syntax (keepalived.conf(5)): statements of one line, a
 * keyword and its arguments, a statement may open a block with '{' (on its
 * line or the next one) closed by '}'; '!' and '#' start comments anywhere
 * outside a quoted string; "quoted strings" are one argument; `include
 * PATTERN` reads the files PATTERN matches (glob, brace expressions, sorted),
 * relative to the directory of the file that includes them.
 */
#include <errno.h>
#include <glob.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kconv_int.h"

#define KC_INCLUDE_DEPTH 16

struct kc_block {
	struct kc_block *next;
	max_align_t data[];
};

void *kc_alloc(struct kc_arena *a, size_t size)
{
	struct kc_block *b = calloc(1, sizeof(*b) + size);

	if (!b)
		return NULL;
	b->next = a->blocks;
	a->blocks = b;
	return b->data;
}

char *kc_strndup(struct kc_arena *a, const char *s, size_t n)
{
	char *d = kc_alloc(a, n + 1);

	if (d)
		memcpy(d, s, n);
	return d;
}

char *kc_strdup(struct kc_arena *a, const char *s)
{
	return kc_strndup(a, s, strlen(s));
}

char *kc_printf(struct kc_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	s = kc_alloc(a, n + 1);
	if (!s)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, n + 1, fmt, ap);
	va_end(ap);
	return s;
}

void kc_arena_free(struct kc_arena *a)
{
	struct kc_block *b, *next;

	for (b = a->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	a->blocks = NULL;
}

enum kc_tok_type { KC_WORD, KC_LBRACE, KC_RBRACE, KC_EOL, KC_EOF };

struct kc_tok {
	enum kc_tok_type type;
	const char *text;
	int line;
	struct kc_tok *next;
};

struct kc_parser {
	struct kc_arena *a;
	FILE *err;
	const char *file;
	int depth;
	int *seq;
	struct kc_tok *tok;
};

static int read_all(FILE *in, char **buf, size_t *len)
{
	size_t cap = 4096, n = 0, got;
	char *b = malloc(cap), *nb;

	if (!b)
		return -ENOMEM;
	while ((got = fread(b + n, 1, cap - n - 1, in)) > 0) {
		n += got;
		if (cap - n - 1 == 0) {
			nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				return -ENOMEM;
			}
			b = nb;
			cap *= 2;
		}
	}
	if (ferror(in)) {
		free(b);
		return -EIO;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

static struct kc_tok *add_tok(struct kc_arena *a, struct kc_tok ***tail,
			      enum kc_tok_type type, const char *text, int line)
{
	struct kc_tok *t = kc_alloc(a, sizeof(*t));

	if (!t)
		return NULL;
	t->type = type;
	t->text = text;
	t->line = line;
	**tail = t;
	*tail = &t->next;
	return t;
}

static bool word_char(char c)
{
	return c && !strchr(" \t\r\n\v\f{}\"!#", c);
}

/* Cut @buf into tokens; 0, 2 (message on err) or -ENOMEM. */
static int tokenize(struct kc_parser *p, const char *buf, size_t len)
{
	struct kc_tok *head = NULL, **tail = &head;
	const char *s = buf, *end = buf + len, *start;
	int line = 1;
	char *text;

	while (s < end) {
		if (*s == '\n') {
			if (!add_tok(p->a, &tail, KC_EOL, NULL, line))
				return -ENOMEM;
			line++;
			s++;
		} else if (strchr(" \t\r\v\f", *s)) {
			s++;
		} else if (*s == '!' || *s == '#') {
			while (s < end && *s != '\n')
				s++;
		} else if (*s == '{' || *s == '}') {
			if (!add_tok(p->a, &tail,
				     *s == '{' ? KC_LBRACE : KC_RBRACE, NULL,
				     line))
				return -ENOMEM;
			s++;
		} else if (*s == '"') {
			start = ++s;
			while (s < end && *s != '"' && *s != '\n')
				s++;
			if (s >= end || *s != '"') {
				fprintf(p->err,
					"%s:%d: unterminated quoted string\n",
					p->file, line);
				return 2;
			}
			text = kc_strndup(p->a, start, s - start);
			if (!text || !add_tok(p->a, &tail, KC_WORD, text, line))
				return -ENOMEM;
			s++;
		} else if (*s == '\0') {
			fprintf(p->err, "%s:%d: NUL byte: not a text file\n",
				p->file, line);
			return 2;
		} else {
			start = s;
			while (s < end && word_char(*s))
				s++;
			text = kc_strndup(p->a, start, s - start);
			if (!text || !add_tok(p->a, &tail, KC_WORD, text, line))
				return -ENOMEM;
		}
	}
	if (!add_tok(p->a, &tail, KC_EOF, NULL, line))
		return -ENOMEM;
	p->tok = head;
	return 0;
}

static int parse_file(struct kc_arena *a, FILE *in, const char *name, FILE *err,
		      int depth, int *seq, struct kc_node **out);

/*
 * `include PATTERN`: parse every file PATTERN matches and put their
 * statements at *@tail.
 */
static int include(struct kc_parser *p, struct kc_node *inc,
		   struct kc_node ***tail)
{
	const char *slash = strrchr(p->file, '/');
	const char *pattern;
	struct kc_node *list, *n;
	glob_t g;
	size_t i;
	FILE *f;
	int ret;

	if (inc->nargs != 1 || inc->block) {
		fprintf(p->err, "%s:%d: include takes one file name (a glob)\n",
			p->file, inc->line);
		return 2;
	}
	if (p->depth >= KC_INCLUDE_DEPTH) {
		fprintf(p->err,
			"%s:%d: include %s: more than %d levels of includes (a loop?)\n",
			p->file, inc->line, inc->args[0], KC_INCLUDE_DEPTH);
		return 2;
	}
	if (inc->args[0][0] == '/' || !slash)
		pattern = inc->args[0];
	else
		pattern = kc_printf(p->a, "%.*s/%s", (int)(slash - p->file),
				    p->file, inc->args[0]);
	if (!pattern)
		return -ENOMEM;
	ret = glob(pattern, GLOB_BRACE, NULL, &g);
	if (ret == GLOB_NOMATCH) {
		fprintf(p->err, "%s:%d: include %s: no file matches %s\n",
			p->file, inc->line, inc->args[0], pattern);
		return -ENOENT;
	}
	if (ret) {
		fprintf(p->err, "%s:%d: include %s: %s\n", p->file, inc->line,
			inc->args[0],
			ret == GLOB_NOSPACE ? "out of memory" : "read error");
		return ret == GLOB_NOSPACE ? -ENOMEM : -EIO;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		const char *path = kc_strdup(p->a, g.gl_pathv[i]);

		if (!path) {
			ret = -ENOMEM;
			break;
		}
		f = fopen(path, "r");
		if (!f) {
			ret = -errno;
			fprintf(p->err, "%s:%d: include %s: %s: %s\n", p->file,
				inc->line, inc->args[0], path, strerror(errno));
			break;
		}
		ret = parse_file(p->a, f, path, p->err, p->depth + 1, p->seq,
				 &list);
		fclose(f);
		if (ret)
			break;
		for (n = list; n; n = n->next) {
			**tail = n;
			*tail = &n->next;
		}
	}
	globfree(&g);
	return ret;
}

/*
 * Statements up to the '}' closing the block opened at @open_line (0: up to
 * the end of the file).
 */
static int parse_block(struct kc_parser *p, int open_line, struct kc_node **out)
{
	struct kc_node *head = NULL, **tail = &head, *n;
	struct kc_tok *t, *w;
	int ret, i;

	for (;;) {
		t = p->tok;
		if (t->type == KC_EOL) {
			p->tok = t->next;
			continue;
		}
		if (t->type == KC_EOF) {
			if (open_line) {
				fprintf(p->err,
					"%s:%d: unbalanced braces: the '{' of line %d is not closed\n",
					p->file, t->line, open_line);
				return 2;
			}
			break;
		}
		if (t->type == KC_RBRACE) {
			if (!open_line) {
				fprintf(p->err,
					"%s:%d: unbalanced braces: '}' closes no block\n",
					p->file, t->line);
				return 2;
			}
			p->tok = t->next;
			break;
		}
		if (t->type == KC_LBRACE) {
			fprintf(p->err,
				"%s:%d: '{' opens a block without a keyword\n",
				p->file, t->line);
			return 2;
		}
		n = kc_alloc(p->a, sizeof(*n));
		if (!n)
			return -ENOMEM;
		n->name = t->text;
		n->file = p->file;
		n->line = t->line;
		n->seq = (*p->seq)++;
		for (w = t->next; w->type == KC_WORD; w = w->next)
			n->nargs++;
		n->args = kc_alloc(p->a, (n->nargs + 1) * sizeof(*n->args));
		if (!n->args)
			return -ENOMEM;
		for (i = 0, w = t->next; i < n->nargs; i++, w = w->next)
			n->args[i] = w->text;
		p->tok = w;
		/* '{' on this line or alone at the start of the next one */
		if (w->type == KC_EOL && w->next->type == KC_LBRACE)
			p->tok = w = w->next;
		if (w->type == KC_LBRACE) {
			p->tok = w->next;
			n->block = true;
			ret = parse_block(p, w->line, &n->child);
			if (ret)
				return ret;
		}
		if (!strcmp(n->name, "include")) {
			ret = include(p, n, &tail);
			if (ret)
				return ret;
			continue;
		}
		*tail = n;
		tail = &n->next;
	}
	*out = head;
	return 0;
}

static int parse_file(struct kc_arena *a, FILE *in, const char *name, FILE *err,
		      int depth, int *seq, struct kc_node **out)
{
	struct kc_parser p = {
		.a = a,
		.err = err,
		.file = name,
		.depth = depth,
		.seq = seq,
	};
	size_t len;
	char *buf;
	int ret;

	ret = read_all(in, &buf, &len);
	if (ret == -EIO)
		fprintf(err, "%s: %s\n", name, strerror(EIO));
	if (ret)
		return ret;
	ret = tokenize(&p, buf, len);
	free(buf);
	if (ret)
		return ret;
	return parse_block(&p, 0, out);
}

int kc_parse(struct kc_arena *a, FILE *in, const char *name, FILE *err,
	     struct kc_node **out)
{
	const char *file = kc_strdup(a, name);
	int seq = 0;
	int ret = file ? parse_file(a, in, file, err, 0, &seq, out) : -ENOMEM;

	if (ret == -ENOMEM)
		fprintf(err, "%s: %s\n", name, strerror(ENOMEM));
	return ret;
}
