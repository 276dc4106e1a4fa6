#define _POSIX_C_SOURCE 200809L
/* Times excert_certificate_list over a whole store (the whole answer, then only a table's
 * columns), excert_certificate_get by thumbprint, through the C ABI, and reports the process's
 * peak RSS. Usage:
 *   list_bench STORE RUNS [THUMBPRINT SERVER]
 * Prints one line per measurement: "name median_ms min_ms max_ms". */
#include "excert.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void report(const char *name, double *v, int n) {
    qsort(v, (size_t)n, sizeof *v, cmp);
    printf("%s %.2f %.2f %.2f\n", name, v[n / 2], v[0], v[n - 1]);
}

/* Calls `f` with `req` `n` times, keeping each call's time in `t`; the last answer's count of
 * certificates goes to `count` when it is not NULL. Exits on a failed call. */
typedef int32_t (*excert_fn)(const char *, char **, char **);
static void time_calls(excert_fn f, const char *what, const char *req, double *t, int n, size_t *count) {
    for (int i = 0; i < n; i++) {
        char *out = NULL, *err = NULL;
        double a = now_ms();
        int32_t rc = f(req, &out, &err);
        t[i] = now_ms() - a;
        if (rc != 0) { fprintf(stderr, "%s failed: %s\n", what, err); exit(1); }
        if (count) {
            *count = 0;
            for (const char *p = out; (p = strstr(p, "\"Thumbprint\":")) != NULL; p++) (*count)++;
        }
        excert_string_free(out);
    }
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: list_bench STORE RUNS [THUMBPRINT SERVER]\n"); return 2; }
    int runs = atoi(argv[2]);
    if (runs < 1 || runs > 1000) { fprintf(stderr, "RUNS must be 1 to 1000\n"); return 2; }
    double *t = calloc((size_t)runs, sizeof *t);
    char req[4096];
    size_t count = 0;
    snprintf(req, sizeof req, "{\"StoreRoot\":\"%s\",\"Server\":\"*\"}", argv[1]);
    time_calls(excert_certificate_list, "list", req, t, runs, &count);
    printf("certificates %zu\n", count);
    report("c_list_ms", t, runs);
    /* The same listing asking only for a table's columns ("Properties"). */
    snprintf(req, sizeof req,
             "{\"StoreRoot\":\"%s\",\"Server\":\"*\",\"Properties\":[\"Identity\",\"FriendlyName\",\"Status\",\"NotAfter\",\"Services\"]}",
             argv[1]);
    time_calls(excert_certificate_list, "list", req, t, runs, NULL);
    report("c_list_fields_ms", t, runs);
    if (argc >= 5) {
        snprintf(req, sizeof req, "{\"StoreRoot\":\"%s\",\"Server\":\"%s\",\"Thumbprint\":\"%s\"}", argv[1], argv[4], argv[3]);
        enum { GETS_PER_RUN = 20 };
        static double g[1000 * GETS_PER_RUN];
        int gets = runs * GETS_PER_RUN;
        time_calls(excert_certificate_get, "get", req, g, gets, NULL);
        report("c_get_ms", g, gets);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak_rss_mib %.1f\n", ru.ru_maxrss / 1024.0);
    free(t);
    return 0;
}
