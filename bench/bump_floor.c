/* What moving the store's generation costs on this disk (the seqlock bump around each change).
 *
 *   cc -O2 bench/bump_floor.c -o bump_floor && ./bump_floor DIR [RUNS]
 *
 * DIR must be on the file system the store lives on. Each run does two bumps in a row, as a
 * create does, and times them together (medians and minimums of RUNS, default 31, the
 * patterns interleaved):
 *   replace    a new temporary file written, renamed over `generation` (the store before:
 *              on ext4, renaming a file with unwritten data over another starts that data's
 *              write-back inside rename(2), the `auto_da_alloc` heuristic)
 *   exchange   the same file swapped with `generation` (renameat2 RENAME_EXCHANGE), the old
 *              one then unlinked: nothing is replaced, so nothing is written back
 *   fresh      a new temporary file renamed to a name that does not exist (no replace at all)
 *   in place   `generation` opened and rewritten (no new file)
 *   size       the count as the file's size, no data: a new file given its size
 *              (ftruncate) and renamed over `generation`. The store now grows `generation` in
 *              place with ftruncate, which costs about what `in place` does. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { PATTERNS = 5, MAX_RUNS = 1001 };
static const char *names[PATTERNS] = {"replace", "exchange", "fresh", "in place", "size"};
static unsigned long counter;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void write_tmp(const char *path) {
    char text[32];
    int n = snprintf(text, sizeof text, "%lu", ++counter);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
    if (fd < 0 || write(fd, text, (size_t)n) != n || close(fd) != 0) die(path);
}

static void bump(int pattern, const char *dir, int i) {
    char gen[4096], tmp[4096];
    snprintf(gen, sizeof gen, "%s/generation", dir);
    snprintf(tmp, sizeof tmp, "%s/.tmp-generation-%d", dir, i);
    switch (pattern) {
    case 0:
        write_tmp(tmp);
        if (rename(tmp, gen) != 0) die("rename");
        break;
    case 1:
        write_tmp(tmp);
        if (renameat2(AT_FDCWD, tmp, AT_FDCWD, gen, RENAME_EXCHANGE) != 0) die("renameat2");
        if (unlink(tmp) != 0) die("unlink");
        break;
    case 2:
        snprintf(gen, sizeof gen, "%s/fresh-%lu", dir, counter + 1);
        write_tmp(tmp);
        if (rename(tmp, gen) != 0) die("rename");
        break;
    case 3: {
        char text[32];
        int n = snprintf(text, sizeof text, "%020lu", ++counter);
        int fd = open(gen, O_WRONLY | O_NOFOLLOW);
        if (fd < 0 || pwrite(fd, text, (size_t)n, 0) != n || close(fd) != 0) die(gen);
        break;
    }
    case 4: {
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
        if (fd < 0 || ftruncate(fd, (off_t)++counter) != 0 || close(fd) != 0) die(tmp);
        if (rename(tmp, gen) != 0) die("rename");
        break;
    }
    }
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: bump_floor DIR [RUNS]\n");
        return 2;
    }
    int runs = argc > 2 ? atoi(argv[2]) : 31;
    if (runs < 1 || runs > MAX_RUNS) runs = 31;
    static double took[PATTERNS][MAX_RUNS];
    for (int i = 0; i < runs; i++) {
        for (int k = 0; k < PATTERNS; k++) {
            int p = (i + k) % PATTERNS;
            char dir[2048], gen[4096];
            snprintf(dir, sizeof dir, "%.1900s/bump-%d-%d", argv[1], p, i);
            if (mkdir(dir, 0700) != 0) die(dir);
            /* A generation already there, its data written back as after an earlier change. */
            snprintf(gen, sizeof gen, "%s/generation", dir);
            int fd = open(gen, O_WRONLY | O_CREAT | O_EXCL, 0644);
            if (fd < 0) die(gen);
            if (p == 4 ? ftruncate(fd, 20) != 0 || fsync(fd) != 0
                       : write(fd, "00000000000000000000", 20) != 20 || fsync(fd) != 0)
                die(gen);
            close(fd);
            double t = now();
            bump(p, dir, 0);
            bump(p, dir, 1);
            took[p][i] = (now() - t) * 1e3;
        }
    }
    printf("| two bumps of `generation` | median | min |\n|---|---|---|\n");
    for (int p = 0; p < PATTERNS; p++) {
        qsort(took[p], (size_t)runs, sizeof took[p][0], by_value);
        printf("| %s | %.3f ms | %.3f ms |\n", names[p], took[p][runs / 2], took[p][0]);
    }
    return 0;
}
