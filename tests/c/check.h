/*
 * Small helpers shared by the C tests: TAP-style checks, a minimal JSON reader, calling the
 * library with the store the program was given, files and Base64.
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

/* ---- The store and the calls every program makes. ---- */

/* The store folder the program was given (its only argument). */
static const char *store;

/* Sets store from the program's one argument. 0 when it can be used, else a message and 2 (the
 * exit status). With plain, the path must also be short and free of quotes and backslashes, so
 * that shell commands can quote it. */
static inline int take_store(int argc, char **argv, int plain) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s STORE_DIR\n", argv[0]);
        return 2;
    }
    store = argv[1];
    if (plain && (strlen(store) > 150 || strchr(store, '\'') || strchr(store, '"') || strchr(store, '\\'))) {
        fprintf(stderr, "%s: STORE_DIR must be a short plain path\n", argv[0]);
        return 2;
    }
    return 0;
}

typedef int32_t (*op_fn)(const char *, char **, char **);
typedef int32_t (*secret_fn)(const char *, const uint8_t *, size_t, char **, char **);

/* {"StoreRoot":"<store>"<rest>: rest is "}" or "\",..." to close the root and add fields. */
static inline char *request(const char *rest) { return json_wrap("{\"StoreRoot\":\"", store, rest); }

/* Calls fn with {"StoreRoot":...,<rest>; *out / *err receive the answer (caller frees). */
static inline int32_t call(op_fn fn, const char *rest, char **out, char **err) {
    char *req = request(rest);
    int32_t rc;
    *out = *err = NULL;
    rc = fn(req, out, err);
    free(req);
    return rc;
}

/* As call, for an operation that takes a secret (len bytes, not in the JSON). */
static inline int32_t call_secret(secret_fn fn, const char *rest, const char *secret, size_t len, char **out,
                                  char **err) {
    char *req = request(rest);
    int32_t rc;
    *out = *err = NULL;
    rc = fn(req, (const uint8_t *)secret, len, out, err);
    free(req);
    return rc;
}

/* Frees what a call returned and clears both pointers. */
static inline void release(char **out, char **err) {
    excert_string_free(*out);
    excert_string_free(*err);
    *out = *err = NULL;
}

/* Runs a shell command; 1 when it exited 0, else a "# command failed" line and 0. */
static inline int run_cmd(const char *cmd) {
    int rc = system(cmd);
    if (rc != 0) printf("# command failed (%d): %s\n", rc, cmd);
    return rc == 0;
}

/* Makes a certificate with excert_certificate_new and the request's rest; its thumbprint goes
 * to thumb. 1 on success; else a "# certificate_new" line naming what (the services asked). */
static inline int new_certificate(const char *rest, const char *what, char *thumb, size_t n) {
    char *out, *err;
    int32_t rc = call(excert_certificate_new, rest, &out, &err);
    thumb[0] = '\0';
    if (rc == 0) json_string(out, "Thumbprint", thumb, n);
    if (rc != 0) printf("# certificate_new %s: rc %d %s\n", what, (int)rc, or_null(err));
    release(&out, &err);
    return rc == 0 && thumb[0];
}

/* ---- Files and Base64. ---- */

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard Base64 with padding, malloc'd. */
static inline char *b64_encode(const unsigned char *data, size_t n) {
    char *out = (char *)malloc(4 * ((n + 2) / 3) + 1), *o = out;
    size_t i;
    if (!out) return NULL;
    for (i = 0; i + 2 < n; i += 3) {
        unsigned long v = ((unsigned long)data[i] << 16) | ((unsigned long)data[i + 1] << 8) | data[i + 2];
        *o++ = b64chars[(v >> 18) & 63];
        *o++ = b64chars[(v >> 12) & 63];
        *o++ = b64chars[(v >> 6) & 63];
        *o++ = b64chars[v & 63];
    }
    if (i < n) {
        unsigned long v = (unsigned long)data[i] << 16;
        if (i + 1 < n) v |= (unsigned long)data[i + 1] << 8;
        *o++ = b64chars[(v >> 18) & 63];
        *o++ = b64chars[(v >> 12) & 63];
        *o++ = (i + 1 < n) ? b64chars[(v >> 6) & 63] : '=';
        *o++ = '=';
    }
    *o = '\0';
    return out;
}

/* Whole file, malloc'd with a NUL after its end (so text can be used as a string); NULL on
 * failure. Its length goes to *n. */
static inline unsigned char *read_file(const char *path, size_t *n) {
    FILE *f = fopen(path, "rb");
    unsigned char *buf;
    long len;
    *n = 0;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = (unsigned char *)malloc((size_t)len + 1);
    if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[len] = '\0';
        *n = (size_t)len;
    }
    return buf;
}

/* Writes n bytes to path (replacing it); 1 when written. */
static inline int write_file(const char *path, const void *data, size_t n) {
    FILE *f = fopen(path, "wb");
    int ok;
    if (!f) return 0;
    ok = fwrite(data, 1, n, f) == n;
    return fclose(f) == 0 && ok;
}

/* The string value of "key", malloc'd, with \n \r \" \\ \/ unescaped; NULL when absent. */
static inline char *json_text(const char *json, const char *key) {
    const char *p = json_find(json, key);
    char *out;
    size_t i = 0;
    if (!p || *p != '"') return NULL;
    out = (char *)malloc(strlen(p) + 1);
    if (!out) return NULL;
    for (p++; *p && *p != '"'; p++) {
        char c = *p;
        if (c == '\\' && p[1]) {
            p++;
            c = *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p == 't' ? '\t' : *p;
        }
        out[i++] = c;
    }
    out[i] = '\0';
    return out;
}

#endif /* EXCERT_TEST_CHECK_H */
