/*
 * A store others can write, through the C ABI (docs/security.md): a reload file
 * others can write is not run and its refusal reaches the answer's Warnings with the fix; a
 * `live` folder replaced by a symlink is refused (the error names it and the fix) and the
 * folder it points at is left as it was.
 * Usage: hostile_store STORE_DIR   (an empty folder; run-tests passes a fresh one)
 */
#define _POSIX_C_SOURCE 200809L
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"

static char canary[256]; /* a folder outside the store, next to it */

/* A certificate on EX01 holding services; its thumbprint goes to thumb. */
static int new_cert(const char *services, char *thumb, size_t n) {
    char rest[256];
    snprintf(rest, sizeof rest,
             "\",\"Server\":\"EX01\",\"SubjectName\":\"CN=mail.contoso.com\",\"KeyAlgorithm\":\"ECDSA_P256\","
             "\"Services\":\"%s\",\"Force\":true}",
             services);
    return new_certificate(rest, services, thumb, n);
}

static int32_t enable_iis(const char *thumb, char **out, char **err) {
    char rest[256];
    snprintf(rest, sizeof rest, "\",\"Server\":\"EX01\",\"Thumbprint\":\"%s\",\"Services\":\"IIS\",\"Force\":true}",
             thumb);
    return call(excert_certificate_enable, rest, out, err);
}

/* The canary folder holds exactly one file, "keep", with its first content and mode 0644. */
static int canary_unchanged(void) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "test \"$(ls -A '%s')\" = keep && test \"$(cat '%s/keep')\" = canary && test \"$(stat -c %%a '%s/keep')\" = 644",
             canary, canary, canary);
    return system(cmd) == 0;
}

int main(int argc, char **argv) {
    char cmd[2048], first[64], second[64], *out = NULL, *err = NULL, *warnings, msg[2048] = "", ran[300];
    int32_t rc;
    if (take_store(argc, argv, 1) != 0) return 2;
    snprintf(canary, sizeof canary, "%s.canary", store);
    snprintf(ran, sizeof ran, "%s/ran", canary);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -m 755 '%s' && printf canary > '%s/keep' && chmod 644 '%s/keep'",
             canary, canary, canary, canary);
    check(run_cmd(cmd), "a canary folder outside the store", "%s", canary);
    check(new_cert("IIS", first, sizeof first) && new_cert("None", second, sizeof second),
          "two certificates, the first holding IIS", "see above");

    /* 1. A reload file others can write: not run; the warning names it and the fix. */
    snprintf(cmd, sizeof cmd, "printf 'IIS=touch %s\\n' > '%s/servers/EX01/reload' && chmod 666 '%s/servers/EX01/reload'",
             ran, store, store);
    check(run_cmd(cmd), "a world-writable reload file is planted", "%s", cmd);
    rc = enable_iis(second, &out, &err);
    check(rc == 0, "enable succeeds: the assignment stands", "rc %d %s", (int)rc, or_null(err));
    warnings = json_raw(out, "Warnings");
    check(warnings && strstr(warnings, "IIS live files changed") && strstr(warnings, "/servers/EX01/reload") &&
              strstr(warnings, "chmod go-w"),
          "the answer's Warnings name the reload file and the fix", "got %s", or_null(warnings));
    free(warnings);
    release(&out, &err);
    check(access(ran, F_OK) != 0, "the refused reload command did not run", "%s exists", ran);

    /* The same file made 0644: it runs, and no warning about it. */
    snprintf(cmd, sizeof cmd, "chmod 644 '%s/servers/EX01/reload'", store);
    run_cmd(cmd);
    rc = enable_iis(first, &out, &err);
    check(rc == 0 && out && !strstr(out, "reload"), "enable with a trusted reload file gives no reload warning",
          "rc %d %s %s", (int)rc, or_null(out), or_null(err));
    release(&out, &err);
    check(access(ran, F_OK) == 0, "the trusted reload command ran", "%s is missing", ran);
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s/servers/EX01/reload'", ran, store);
    run_cmd(cmd);

    /* 2. `live` replaced by a symlink to the canary folder: refused, the canary untouched. */
    snprintf(cmd, sizeof cmd, "rm -rf '%s/servers/EX01/live' && ln -s '%s' '%s/servers/EX01/live'", store, canary,
             store);
    check(run_cmd(cmd), "live is replaced by a symlink to a folder outside", "%s", cmd);
    rc = enable_iis(second, &out, &err);
    json_string(err, "Message", msg, sizeof msg);
    check(rc == EXCERT_RESULT_STORE_PERMISSIONS, "enable through a symlinked live is refused (StorePermissions)",
          "rc %d %s", (int)rc, or_null(err));
    check(strstr(msg, "/servers/EX01/live") && strstr(msg, "rm '"), "the error names live and the fix", "got %s", msg);
    release(&out, &err);
    check(canary_unchanged(), "the folder outside the store is unchanged", "%s", canary);

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", canary);
    run_cmd(cmd);
    return check_done();
}
