/*
 * The files the library reads and writes for a caller: an export's "FileName" (a PFX born 0600,
 * read back by openssl), a request's "RequestFile", a symbolic link at the destination refused
 * with its target untouched, a missing folder, and an import's "FileName" (a link refused, the
 * store unchanged).
 */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <sys/stat.h>
#include <unistd.h>

static char work[256];

static const char secret[] = "Fi1e-secret-never-in-errors";

static int mode_of(const char *path) {
    struct stat st;
    if (lstat(path, &st) != 0) return -1;
    return (int)(st.st_mode & 0777);
}

static void export_to_files(const char *thumb) {
    char rest[1024], path[512], cmd[1200], link_target[512];
    char *text;
    char *out, *err;
    int32_t rc;
    size_t n = 0;
    unsigned char *written;

    snprintf(path, sizeof path, "%s/mail.pfx", work);
    snprintf(rest, sizeof rest, "\",\"Thumbprint\":\"%s\",\"FileName\":\"%s\",\"BinaryEncoded\":true}", thumb, path);
    rc = call_secret(excert_certificate_export, rest, secret, strlen(secret), &out, &err);
    check(rc == 0, "export with FileName writes a PFX", "rc %d %s", (int)rc, or_null(err));
    release(&out, &err);
    check(mode_of(path) == 0600, "the PFX file is 0600", "mode %o", mode_of(path));
    snprintf(cmd, sizeof cmd, "openssl pkcs12 -in '%s' -passin 'pass:%s' -noout >/dev/null 2>&1", path, secret);
    check(run_cmd(cmd), "openssl opens the written PFX with the password", "see above");

    snprintf(path, sizeof path, "%s/mail.cer", work);
    snprintf(rest, sizeof rest, "\",\"Thumbprint\":\"%s\",\"FileName\":\"%s\"}", thumb, path);
    rc = call_secret(excert_certificate_export, rest, NULL, 0, &out, &err);
    check(rc == 0, "export with FileName writes the certificate's PEM", "rc %d %s", (int)rc, or_null(err));
    text = json_text(out, "Text");
    release(&out, &err);
    written = read_file(path, &n);
    check(written && text && strcmp((const char *)written, text) == 0 && strncmp(text, "-----BEGIN CERTIFICATE-----", 27) == 0,
          "the written file is the answer's Text, the certificate's PEM", "%s", written ? (const char *)written : "(none)");
    free(written);
    free(text);
    snprintf(cmd, sizeof cmd, "openssl x509 -in '%s' -noout -fingerprint -sha1 | tr -d : | grep -qi '%s'", path, thumb);
    check(run_cmd(cmd), "openssl reads the written certificate, same thumbprint", "see above");

    /* A link at the destination: refused, its target kept, no secret in the error. */
    snprintf(link_target, sizeof link_target, "%s/precious.txt", work);
    check(write_file(link_target, (const unsigned char *)"keep", 4), "a file a link points to", "%s", link_target);
    snprintf(path, sizeof path, "%s/link.pfx", work);
    check(symlink(link_target, path) == 0, "a symbolic link at the destination", "%s", path);
    snprintf(rest, sizeof rest, "\",\"Thumbprint\":\"%s\",\"FileName\":\"%s\",\"BinaryEncoded\":true}", thumb, path);
    rc = call_secret(excert_certificate_export, rest, secret, strlen(secret), &out, &err);
    check(rc == EXCERT_RESULT_FILE_NOT_WRITTEN, "a link at the destination is refused", "rc %d", (int)rc);
    check(err && strstr(err, "link.pfx") && strstr(err, "symbolic link"), "the error names the path and the link",
          "%s", or_null(err));
    check(err && !strstr(err, secret), "the error holds no password", "%s", or_null(err));
    release(&out, &err);
    written = read_file(link_target, &n);
    check(written && n == 4 && memcmp(written, "keep", 4) == 0, "the link's target is untouched", "%lu bytes",
          (unsigned long)n);
    free(written);

    snprintf(path, sizeof path, "%s/no-such-folder/mail.cer", work);
    snprintf(rest, sizeof rest, "\",\"Thumbprint\":\"%s\",\"FileName\":\"%s\"}", thumb, path);
    rc = call_secret(excert_certificate_export, rest, NULL, 0, &out, &err);
    check(rc == EXCERT_RESULT_FILE_NOT_WRITTEN && err && strstr(err, "does not exist"),
          "a missing folder is refused, said plainly", "rc %d %s", (int)rc, or_null(err));
    release(&out, &err);
}

static void request_and_import_files(void) {
    char rest[1024], path[512], cmd[1200], link[512];
    char *out, *err;
    int32_t rc;

    snprintf(path, sizeof path, "%s/mail.req", work);
    snprintf(rest, sizeof rest, "\",\"SubjectName\":\"CN=req.contoso.com\",\"KeyAlgorithm\":\"ECDSA_P256\",\"RequestFile\":\"%s\"}", path);
    rc = call(excert_request_new, rest, &out, &err);
    check(rc == 0, "a request with RequestFile", "rc %d %s", (int)rc, or_null(err));
    release(&out, &err);
    snprintf(cmd, sizeof cmd, "openssl req -in '%s' -noout -verify >/dev/null 2>&1", path);
    check(run_cmd(cmd), "openssl verifies the written request", "see above");

    /* The import reads a file the library opens itself; through a link it refuses. */
    snprintf(path, sizeof path, "%s/self.pem", work);
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout '%s/self.key' -out '%s' "
             "-days 30 -subj /CN=file.contoso.com >/dev/null 2>&1", work, path);
    check(run_cmd(cmd), "openssl makes a certificate to import", "see above");
    snprintf(link, sizeof link, "%s/self-link.pem", work);
    check(symlink(path, link) == 0, "a link to it", "%s", link);
    snprintf(rest, sizeof rest, "\",\"Server\":\"FILES\",\"FileName\":\"%s\"}", link);
    rc = call_secret(excert_certificate_import, rest, NULL, 0, &out, &err);
    check(rc == EXCERT_RESULT_FILE_NOT_READABLE && err && strstr(err, "symbolic link"),
          "an import through a link is refused", "rc %d %s", (int)rc, or_null(err));
    release(&out, &err);
    snprintf(rest, sizeof rest, "\",\"Server\":\"FILES\",\"FileName\":\"%s\"}", path);
    rc = call_secret(excert_certificate_import, rest, NULL, 0, &out, &err);
    check(rc == 0 && out && strstr(out, "\"Identity\":\"FILES\\\\"), "an import with FileName reads the file",
          "rc %d %s", (int)rc, or_null(err));
    release(&out, &err);
}

int main(int argc, char **argv) {
    char cmd[1024], thumb[64];
    if (take_store(argc, argv, 1) != 0) return 2;
    snprintf(work, sizeof work, "%s.files", store);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -m 700 '%s'", work, work);
    check(run_cmd(cmd), "a scratch folder", "%s", work);
    if (check(new_certificate("\",\"SubjectName\":\"CN=files.contoso.com\",\"KeyAlgorithm\":\"ECDSA_P256\","
                              "\"PrivateKeyExportable\":true,\"Services\":\"None\"}",
                              "exportable", thumb, sizeof thumb),
              "an exportable certificate", "see above"))
        export_to_files(thumb);
    request_and_import_files();
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    run_cmd(cmd);
    return check_done();
}
