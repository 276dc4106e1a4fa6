/*
 * Small helpers shared by the C tests: TAP-style checks and a minimal JSON reader.
 * The JSON reader only understands what the library writes (serde_json's compact form); it is
 * enough to pull out one property, not a general parser.
 * Written to compile as C99 and as C++ (casts on malloc, no designated initialisers).
 */
#ifndef EXCERT_TEST_CHECK_H
#define EXCERT_TEST_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "excert.h"

static int check_count = 0;
static int check_failed = 0;

/* Records one check; prints "ok N - what" or "not ok N - what: detail". */
static inline int check(int cond, const char *what, const char *fmt, ...) {
    check_count++;
    if (cond) {
        printf("ok %d - %s\n", check_count, what);
    } else {
        va_list ap;
        check_failed++;
        printf("not ok %d - %s: ", check_count, what);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        printf("\n");
    }
    fflush(stdout);
    return cond;
}

/* The end of a test program: a summary and the exit status. */
static inline int check_done(void) {
    printf("# %d checks, %d failed\n", check_count, check_failed);
    return check_failed == 0 ? 0 : 1;
}

static inline const char *or_null(const char *s) { return s ? s : "(null)"; }

/* Finds the value of "key" (the first occurrence at any depth); returns a pointer to the value's
 * first character or NULL. */
static inline const char *json_find(const char *json, const char *key) {
    size_t klen = strlen(key);
    const char *p = json;
    if (!json) return NULL;
    while ((p = strstr(p, "\"")) != NULL) {
        if (strncmp(p + 1, key, klen) == 0 && p[1 + klen] == '"') {
            const char *q = p + 2 + klen;
            while (*q == ' ') q++;
            if (*q == ':') {
                q++;
                while (*q == ' ') q++;
                return q;
            }
        }
        p++;
    }
    return NULL;
}

/* Copies the string value of "key", unescaped (\" \\ \/ only; others kept as written), into
 * buf. Returns 1 when found and it fit. */
static inline int json_string(const char *json, const char *key, char *buf, size_t n) {
    const char *p = json_find(json, key);
    size_t i = 0;
    if (!p || *p != '"' || n == 0) return 0;
    p++;
    while (*p && *p != '"') {
        char c = *p++;
        if (c == '\\' && (*p == '"' || *p == '\\' || *p == '/')) c = *p++;
        if (i + 1 >= n) return 0;
        buf[i++] = c;
    }
    buf[i] = '\0';
    return *p == '"';
}

/* The integer (or true=1/false=0) value of "key"; returns 1 when found. */
static inline int json_int(const char *json, const char *key, long *out) {
    const char *p = json_find(json, key);
    char *end = NULL;
    if (!p) return 0;
    if (strncmp(p, "true", 4) == 0) { *out = 1; return 1; }
    if (strncmp(p, "false", 5) == 0) { *out = 0; return 1; }
    *out = strtol(p, &end, 10);
    return end != p;
}

/* The raw text of the object or array value of "key" (brackets included), malloc'd; NULL when
 * absent. Strings are skipped so brackets inside them do not count. */
static inline char *json_raw(const char *json, const char *key) {
    const char *p = json_find(json, key), *q;
    int depth = 0;
    char *out;
    if (!p || (*p != '{' && *p != '[')) return NULL;
    for (q = p; *q; q++) {
        if (*q == '"') {
            for (q++; *q && *q != '"'; q++)
                if (*q == '\\' && q[1]) q++;
            if (!*q) return NULL;
        } else if (*q == '{' || *q == '[') {
            depth++;
        } else if (*q == '}' || *q == ']') {
            if (--depth == 0) break;
        }
    }
    if (!*q) return NULL;
    out = (char *)malloc((size_t)(q - p) + 2);
    if (!out) return NULL;
    memcpy(out, p, (size_t)(q - p) + 1);
    out[q - p + 1] = '\0';
    return out;
}

/* Number of non-overlapping occurrences of needle in hay. */
static inline int count_of(const char *hay, const char *needle) {
    int n = 0;
    size_t len = strlen(needle);
    if (!hay) return 0;
    while ((hay = strstr(hay, needle)) != NULL) {
        n++;
        hay += len;
    }
    return n;
}

/* "prefix" + JSON-escaped s + "suffix", malloc'd. */
static inline char *json_wrap(const char *prefix, const char *s, const char *suffix) {
    size_t n = strlen(prefix) + 2 * strlen(s) + strlen(suffix) + 1, i = 0;
    char *out = (char *)malloc(n);
    if (!out) return NULL;
    memcpy(out, prefix, strlen(prefix));
    i = strlen(prefix);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') out[i++] = '\\';
        out[i++] = *s;
    }
    memcpy(out + i, suffix, strlen(suffix) + 1);
    return out;
}

#endif /* EXCERT_TEST_CHECK_H */
