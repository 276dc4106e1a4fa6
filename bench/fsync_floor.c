/* What a durable create costs on this disk, without excert: the floor under the store's writes.
 *
 *   cc -O2 -pthread bench/fsync_floor.c -o fsync_floor && ./fsync_floor DIR [RUNS]
 *
 * DIR must be on the file system the store lives on. Each run makes a fresh entry folder the
 * way the store does (a temporary folder, its files, one rename that publishes it) and times,
 * as medians of RUNS (default 31, the patterns interleaved):
 *   unsynced      the files and the rename, no fsync (what `openssl req` does)
 *   floor         one file: write, fsync, rename, fsync the folder (2 fsyncs, one after the
 *                 other: the least a create that survives a power cut needs)
 *   sequential    3 files each fsynced in turn, the temporary folder fsynced, rename, the
 *                 parent fsynced (5 fsyncs one after the other: the store before)
 *   concurrent    3 files written, then they and the temporary folder fsynced from 4 threads
 *                 at once, rename, the parent fsynced (2 waits: the store now)
 *   fsync alone   write + fsync of one existing file (one journal commit and cache flush)
 *   one wait      3 files written, the folder renamed into place unsynced, then the files,
 *                 the folder and its parent fsynced from 5 threads at once (1 wait: what an
 *                 entry that checks itself, a digest of its files in `entry`, would allow) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { PATTERNS = 6, MAX_RUNS = 1001 };
static const char *names[PATTERNS] = {"unsynced", "floor", "sequential", "concurrent", "fsync alone",
                                      "one wait"};
static char payload[512];

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static int write_file(const char *path) {
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0 || write(fd, payload, sizeof payload) != (ssize_t)sizeof payload) die(path);
    return fd;
}

static void sync_path(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0 || fsync(fd) != 0) die(path);
    close(fd);
}

static void *sync_fd(void *arg) {
    if (fsync(*(int *)arg) != 0) die("fsync");
    return NULL;
}

/* One entry: DIR/.tmp-N holding `files` files, renamed to DIR/eN. */
static double create(const char *dir, int n, int pattern) {
    char tmp[4096], final[4096], file[4200];
    snprintf(tmp, sizeof tmp, "%s/.tmp-%d", dir, n);
    snprintf(final, sizeof final, "%s/e%d", dir, n);
    double start = now();
    if (pattern == 4) {
        snprintf(file, sizeof file, "%s/alone", dir);
        int fd = open(file, O_WRONLY | O_CREAT, 0600);
        if (fd < 0 || pwrite(fd, payload, sizeof payload, 0) != (ssize_t)sizeof payload || fsync(fd) != 0)
            die(file);
        close(fd);
        return now() - start;
    }
    if (mkdir(tmp, 0700) != 0) die(tmp);
    int files = pattern == 1 ? 1 : 3, fds[4];
    for (int i = 0; i < files; i++) {
        snprintf(file, sizeof file, "%s/f%d", tmp, i);
        fds[i] = write_file(file);
        if (pattern == 1 || pattern == 2) {
            if (fsync(fds[i]) != 0) die("fsync");
        }
    }
    if (pattern == 2) sync_path(tmp);
    if (pattern == 3) {
        fds[3] = open(tmp, O_RDONLY);
        pthread_t threads[4];
        for (int i = 0; i < 4; i++) pthread_create(&threads[i], NULL, sync_fd, &fds[i]);
        for (int i = 0; i < 4; i++) pthread_join(threads[i], NULL);
        close(fds[3]);
    }
    if (pattern == 5) {
        if (rename(tmp, final) != 0) die(final);
        int all[5] = {fds[0], fds[1], fds[2], open(final, O_RDONLY), open(dir, O_RDONLY)};
        if (all[3] < 0 || all[4] < 0) die(final);
        pthread_t threads[5];
        for (int i = 0; i < 5; i++) pthread_create(&threads[i], NULL, sync_fd, &all[i]);
        for (int i = 0; i < 5; i++) pthread_join(threads[i], NULL);
        for (int i = 0; i < 5; i++) close(all[i]);
        return now() - start;
    }
    for (int i = 0; i < files; i++) close(fds[i]);
    if (rename(tmp, final) != 0) die(final);
    if (pattern != 0) sync_path(dir);
    return now() - start;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: fsync_floor DIR [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 31;
    if (runs < 1 || runs > MAX_RUNS) runs = 31;
    memset(payload, 'x', sizeof payload);
    static double times[PATTERNS][MAX_RUNS];
    for (int r = 0; r < runs; r++)
        for (int k = 0; k < PATTERNS; k++) {
            int p = (k + r) % PATTERNS; /* the order turns, so no pattern always goes first */
            times[p][r] = create(argv[1], r * PATTERNS + p, p);
        }
    printf("| pattern | median | min | max |\n|---|---|---|---|\n");
    for (int p = 0; p < PATTERNS; p++) {
        qsort(times[p], runs, sizeof(double), by_value);
        printf("| %s | %.2f ms | %.2f ms | %.2f ms |\n", names[p], times[p][runs / 2] * 1e3,
               times[p][0] * 1e3, times[p][runs - 1] * 1e3);
    }
    return 0;
}
