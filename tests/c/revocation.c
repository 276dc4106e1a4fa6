/*
 * Revocation through the C ABI against the test PKI of tests/revocation_pki.sh (127.0.0.1:
 * openssl CA, CRLs served by nginx, `openssl ocsp` answering): Status, RevocationReason,
 * RevocationDate and RevocationSource; RefreshRevocation and OfflineRevocation in the request;
 * RevocationCheckFailure with a warning naming the URL.
 * Usage: revocation STORE_DIR   (an empty folder; run-tests passes a fresh one, from the
 * repository root). Needs openssl, nginx and python3.
 */
#include "check.h"

static char pki[600];

/* The text of <pki>/<name>.<ext>, malloc'd; NULL when it cannot be read. */
static char *read_text(const char *name, const char *ext) {
    char path[800];
    size_t n;
    snprintf(path, sizeof path, "%s/%s.%s", pki, name, ext);
    return (char *)read_file(path, &n);
}

/* Imports name.pem + issuer.pem (or, with trusted, name.der as a trusted root); the first
 * Thumbprint of the answer goes to thumb. */
static int import(const char *name, const char *issuer, int trusted, char *thumb, size_t n) {
    char *leaf = read_text(name, "pem"), *ca = issuer ? read_text(issuer, "pem") : NULL;
    char *bundle, *data, *prefix, *req, *out = NULL, *err = NULL;
    const char *suffix = trusted ? "\",\"TrustedRoot\":true}" : "\",\"Server\":\"EX01\"}";
    int32_t rc;
    if (!leaf || (issuer && !ca)) return 0;
    bundle = (char *)malloc(strlen(leaf) + (ca ? strlen(ca) : 0) + 1);
    strcpy(bundle, leaf);
    if (ca) strcat(bundle, ca);
    data = b64_encode((const unsigned char *)bundle, strlen(bundle));
    prefix = json_wrap("{\"StoreRoot\":\"", store, "\",\"FileData\":\"");
    req = (char *)malloc(strlen(prefix) + strlen(data) + strlen(suffix) + 1);
    strcpy(req, prefix);
    strcat(req, data);
    strcat(req, suffix);
    rc = excert_certificate_import(req, NULL, 0, &out, &err);
    if (thumb) {
        thumb[0] = '\0';
        if (rc == 0) json_string(out, "Thumbprint", thumb, n);
    }
    if (rc != 0) printf("# import %s: %d %s\n", name, (int)rc, or_null(err));
    excert_string_free(out);
    excert_string_free(err);
    free(leaf);
    free(ca);
    free(bundle);
    free(data);
    free(prefix);
    free(req);
    return rc == 0;
}

/* excert_certificate_get for thumb with extra request members; the answer (caller frees). */
static char *get(const char *thumb, const char *extra) {
    char rest[512], *req, *out = NULL, *err = NULL;
    int32_t rc;
    snprintf(rest, sizeof rest, "\",\"Server\":\"EX01\",\"Thumbprint\":\"%s\"%s}", thumb, extra);
    req = json_wrap("{\"StoreRoot\":\"", store, rest);
    rc = excert_certificate_get(req, &out, &err);
    free(req);
    if (rc != 0) printf("# get %s: %d %s\n", thumb, (int)rc, or_null(err));
    excert_string_free(err);
    return out;
}

static void expect(const char *answer, const char *key, const char *want, const char *what) {
    char got[400] = "";
    json_string(answer, key, got, sizeof got);
    check(strcmp(got, want) == 0, what, "%s is '%s', expected '%s'", key, got, want);
}

static void expect_prefix(const char *answer, const char *key, const char *want, const char *what) {
    char got[400] = "";
    json_string(answer, key, got, sizeof got);
    check(strncmp(got, want, strlen(want)) == 0, what, "%s is '%s', expected it to start with '%s'", key,
          got, want);
}

/* The port of a server of the PKI, from pki.env. */
static int port_of(const char *name) {
    char *env = read_text("pki", "env"), *p;
    int port = 0;
    if (!env) return 0;
    p = strstr(env, name);
    if (p) port = atoi(p + strlen(name) + 1);
    free(env);
    return port;
}

int main(int argc, char **argv) {
    char cmd[2000], url[200], good[64], revoked[64], by_ocsp[64], under[64], garbage[64];
    char *a;
    int http;
    if (take_store(argc, argv, 0) != 0) return 2;
    snprintf(pki, sizeof pki, "%s-pki", store);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && tests/revocation_pki.sh start '%s' >'%s.log' 2>&1", pki, pki, pki);
    if (!check(system(cmd) == 0, "the test PKI starts", "see %s.log", pki)) return check_done();
    http = port_of("HTTP_PORT");

    check(import("root", NULL, 1, NULL, 0), "the root is trusted", "import failed");
    check(import("crl-good", "inter", 0, good, sizeof good), "crl-good imports", "import failed");
    check(import("crl-revoked", "inter", 0, revoked, sizeof revoked), "crl-revoked imports", "import failed");
    check(import("ocsp-only-revoked", "inter", 0, by_ocsp, sizeof by_ocsp), "ocsp-only-revoked imports",
          "import failed");
    check(import("under-revoked-ca", "inter2", 0, under, sizeof under), "under-revoked-ca imports",
          "import failed");
    check(import("garbage", "inter", 0, garbage, sizeof garbage), "garbage imports", "import failed");

    a = get(good, "");
    expect(a, "Status", "Valid", "a certificate the CRL does not list is Valid");
    check(strstr(a ? a : "", "\"RevocationReason\":null") != NULL, "and has no RevocationReason", "%s",
          or_null(a));
    excert_string_free(a);

    a = get(revoked, "");
    snprintf(url, sizeof url, "CRL http://127.0.0.1:%d/inter.crl", http);
    expect(a, "Status", "Revoked", "a certificate on the CRL is Revoked");
    expect(a, "RevocationReason", "KeyCompromise", "with the CRL's reason");
    expect(a, "RevocationSource", url, "and the CRL as its source");
    expect_prefix(a, "RevocationDate", "20", "and a revocation date");
    excert_string_free(a);

    a = get(by_ocsp, "");
    expect(a, "Status", "Revoked", "a certificate the OCSP responder says is revoked is Revoked");
    expect(a, "RevocationReason", "CessationOfOperation", "with the responder's reason");
    expect_prefix(a, "RevocationSource", "OCSP http://127.0.0.1:", "and the responder as its source");
    excert_string_free(a);

    a = get(under, "");
    expect(a, "Status", "Revoked", "a leaf of a revoked intermediate is Revoked");
    expect(a, "RevocationReason", "CACompromise", "with the intermediate's reason");
    excert_string_free(a);

    a = get(garbage, "");
    snprintf(url, sizeof url, "http://127.0.0.1:%d/garbage.crl", http);
    expect(a, "Status", "RevocationCheckFailure", "a garbage CRL gives RevocationCheckFailure");
    check(a && strstr(a, url) && strstr(a, "malformed"), "with a warning naming the URL and the cause", "%s",
          or_null(a));
    excert_string_free(a);

    a = get(good, ",\"OfflineRevocation\":true");
    expect(a, "Status", "Valid", "offline, the cached CRL answers");
    excert_string_free(a);
    a = get(good, ",\"RefreshRevocation\":true,\"OfflineRevocation\":true");
    check(a == NULL, "RefreshRevocation with OfflineRevocation is refused", "%s", or_null(a));
    excert_string_free(a);

    snprintf(cmd, sizeof cmd, "tests/revocation_pki.sh stop '%s' && rm -rf '%s' '%s.log'", pki, pki, pki);
    check(system(cmd) == 0, "the test PKI stops", "%s", cmd);
    return check_done();
}
