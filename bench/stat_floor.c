#define _GNU_SOURCE
/* The floor of a listing's per-file checks (issue 23), without excert: for every entry of every
 * server of a store, the calls a listing makes to judge what its answer came from (fstatat of
 * the entry's folder, `entry`, `certificate.der` and, when present, `key.p8`, relative to the
 * server's `certs/`), plus reading each server's index, on one thread and on two (every other
 * server each, as the listing does). The same calls are also made as `statx` asking only for
 * the type, mode and owner, without syncing (AT_STATX_DONT_SYNC): the same facts, to see
 * whether asking for less costs the kernel less. Usage:
 *   stat_floor STORE RUNS
 * Prints "stat_calls N", then "name median_ms min_ms max_ms" for one_thread, two_threads and
 * statx_two_threads (the rounds alternate, so the load falls on each alike). */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { MAX_SERVERS = 1024 };
static char servers[MAX_SERVERS][512];
static int n_servers;
static const char *store;
/* 0: fstatat, as the listing; 1: statx with the smallest mask. */
static int use_statx;

static int judge(int dir, const char *name) {
    if (use_statx) {
        struct statx sx;
        return statx(dir, name, AT_SYMLINK_NOFOLLOW | AT_STATX_DONT_SYNC,
                     STATX_TYPE | STATX_MODE | STATX_UID, &sx);
    }
    struct stat st;
    return fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW);
}

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Judges one server's entries as the listing does; returns the number of stat calls. */
static long one_server(const char *name) {
    char path[1024], rel[512];
    long calls = 0;
    snprintf(path, sizeof path, "%s/servers/%s/index", store, name);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        static __thread char buf[1 << 16];
        while (read(fd, buf, sizeof buf) > 0) {}
        close(fd);
    }
    snprintf(path, sizeof path, "%s/servers/%s/certs", store, name);
    int certs = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (certs < 0) return 0;
    DIR *d = fdopendir(dup(certs));
    struct dirent *e;
    static const char *files[] = {"entry", "certificate.der", "key.p8"};
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        calls++;
        if (judge(certs, e->d_name) != 0) continue;
        for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
            snprintf(rel, sizeof rel, "%s/%s", e->d_name, files[i]);
            calls++;
            (void)judge(certs, rel);
        }
    }
    if (d) closedir(d);
    close(certs);
    return calls;
}

static void *half(void *arg) {
    long first = (long)arg, calls = 0;
    for (int i = (int)first; i < n_servers; i += 2) calls += one_server(servers[i]);
    return (void *)calls;
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: stat_floor STORE RUNS\n"); return 2; }
    store = argv[1];
    int runs = atoi(argv[2]);
    if (runs < 1 || runs > 1000) { fprintf(stderr, "RUNS must be 1 to 1000\n"); return 2; }
    char path[1024];
    snprintf(path, sizeof path, "%s/servers", store);
    DIR *d = opendir(path);
    if (!d) { perror(path); return 1; }
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n_servers < MAX_SERVERS)
        if (e->d_name[0] != '.') snprintf(servers[n_servers++], sizeof servers[0], "%s", e->d_name);
    closedir(d);
    double *one = calloc((size_t)runs, sizeof *one), *two = calloc((size_t)runs, sizeof *two);
    double *sx = calloc((size_t)runs, sizeof *sx);
    long calls = 0;
    for (int r = 0; r < runs; r++) {
        double a = now_ms();
        calls = (long)half((void *)0) + (long)half((void *)1);
        one[r] = now_ms() - a;
        a = now_ms();
        pthread_t t;
        void *other;
        pthread_create(&t, NULL, half, (void *)1);
        (void)half((void *)0);
        pthread_join(t, &other);
        two[r] = now_ms() - a;
        use_statx = 1;
        a = now_ms();
        pthread_create(&t, NULL, half, (void *)1);
        (void)half((void *)0);
        pthread_join(t, &other);
        sx[r] = now_ms() - a;
        use_statx = 0;
    }
    qsort(one, (size_t)runs, sizeof *one, cmp);
    qsort(two, (size_t)runs, sizeof *two, cmp);
    qsort(sx, (size_t)runs, sizeof *sx, cmp);
    printf("stat_calls %ld\n", calls);
    printf("one_thread %.2f %.2f %.2f\n", one[runs / 2], one[0], one[runs - 1]);
    printf("two_threads %.2f %.2f %.2f\n", two[runs / 2], two[0], two[runs - 1]);
    printf("statx_two_threads %.2f %.2f %.2f\n", sx[runs / 2], sx[0], sx[runs - 1]);
    free(sx);
    free(one);
    free(two);
    return 0;
}
