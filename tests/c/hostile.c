/*
 * Hostile input through the C ABI: NULL, invalid UTF-8, malformed JSON, unknown fields, wrong
 * types, unacceptable values and 10 MB inputs. Each must give its documented code, an error JSON
 * naming it, no answer, and no change to the store.
 * Usage: hostile STORE_DIR   (an empty folder; run-tests passes a fresh one)
 */
#include "check.h"

/* Some address that is not a string the library returned: outputs must stay as they were or
 * become NULL when the call fails. */
static char sentinel_byte;
#define SENTINEL (&sentinel_byte)

static const char *name_of(int32_t code) { return excert_result_name(code); }

/* Calls op with a request and checks the failure contract for the expected code. */
static void expect_failure(op_fn op, const char *op_name, const char *req, int32_t want, const char *what,
                           const char *message_mentions) {
    char *out = SENTINEL, *err = NULL, label[200], name[64] = "";
    long code = -1;
    int32_t rc = op(req, &out, &err);
    snprintf(label, sizeof label, "%s: %s gives %d %s", op_name, what, (int)want, name_of(want));
    check(rc == want, label, "got %d (%s) error %.300s", (int)rc, name_of(rc), or_null(err));
    snprintf(label, sizeof label, "%s: %s leaves out_json unset", op_name, what);
    check(out == SENTINEL || out == NULL, label, "out_json was set to %.80s", out);
    snprintf(label, sizeof label, "%s: %s error JSON carries Code and Name", op_name, what);
    check(err && json_int(err, "Code", &code) && code == want && json_string(err, "Name", name, sizeof name) &&
              strcmp(name, name_of(want)) == 0,
          label, "got %.300s", or_null(err));
    if (message_mentions) {
        char msg[2048] = "";
        json_string(err, "Message", msg, sizeof msg);
        snprintf(label, sizeof label, "%s: %s message names '%s'", op_name, what, message_mentions);
        check(strstr(msg, message_mentions) != NULL, label, "message: %s", msg);
    }
    if (out != SENTINEL) excert_string_free(out);
    excert_string_free(err);
    /* The same call without out-pointers returns the same code and leaks nothing. */
    rc = op(req, NULL, NULL);
    snprintf(label, sizeof label, "%s: %s with NULL out-pointers gives %d", op_name, what, (int)want);
    check(rc == want, label, "got %d", (int)rc);
}

/* The operations that take a secret, called without one, in the shape of the others. */
static int32_t import_no_secret(const char *req, char **out, char **err) {
    return excert_certificate_import(req, NULL, 0, out, err);
}
static int32_t export_no_secret(const char *req, char **out, char **err) {
    return excert_certificate_export(req, NULL, 0, out, err);
}

/* A request with one 10 MB string value: prefix + n copies of c + suffix. */
static char *huge(const char *prefix, char c, size_t n, const char *suffix) {
    size_t lp = strlen(prefix), ls = strlen(suffix);
    char *s = (char *)malloc(lp + n + ls + 1);
    if (!s) {
        fprintf(stderr, "out of memory\n");
        exit(2);
    }
    memcpy(s, prefix, lp);
    memset(s + lp, c, n);
    memcpy(s + lp + n, suffix, ls + 1);
    return s;
}

int main(int argc, char **argv) {
    static const size_t ten_mb = 10u * 1024u * 1024u;
    char *req, *prefix;
    char *out = NULL, *err = NULL;
    int32_t rc;

    if (take_store(argc, argv, 0) != 0) return 2;

    /* NULL request (1) on every operation. */
    expect_failure(excert_certificate_new, "new", NULL, 1, "a NULL request", NULL);
    expect_failure(excert_certificate_list, "list", NULL, 1, "a NULL request", NULL);
    expect_failure(excert_certificate_get, "get", NULL, 1, "a NULL request", NULL);

    /* Invalid UTF-8 (2): a lone continuation byte, a truncated sequence, an overlong NUL. */
    expect_failure(excert_certificate_get, "get", "{\"Thumbprint\":\"\xff\xfe\"}", 2, "0xFF 0xFE", NULL);
    expect_failure(excert_certificate_new, "new", "{\"FriendlyName\":\"\xc3\"}", 2, "a truncated sequence",
                   NULL);
    expect_failure(excert_certificate_list, "list", "{\"Server\":\"\xc0\x80\"}", 2, "an overlong NUL", NULL);

    /* Malformed JSON (3). */
    expect_failure(excert_certificate_get, "get", "{\"Thumbprint\":", 3, "truncated JSON", NULL);
    expect_failure(excert_certificate_get, "get", "", 3, "an empty string", NULL);
    expect_failure(excert_certificate_list, "list", "[]", 3, "an array instead of an object", NULL);
    expect_failure(excert_certificate_new, "new", "null", 3, "JSON null", NULL);
    expect_failure(excert_certificate_list, "list", "{} trailing", 3, "trailing garbage", NULL);

    /* Unknown fields (3), named in the message. */
    req = request("\",\"Thumbprint\":\"0000000000000000000000000000000000000000\",\"Bogus\":1}");
    expect_failure(excert_certificate_get, "get", req, 3, "an unknown field", "Bogus");
    free(req);
    req = request("\",\"SubjectName\":\"CN=a\",\"KeySise\":2048}");
    expect_failure(excert_certificate_new, "new", req, 3, "a misspelt field", "KeySise");
    free(req);

    /* Wrong types (3). */
    req = request("\",\"Thumbprint\":5}");
    expect_failure(excert_certificate_get, "get", req, 3, "a number for Thumbprint", NULL);
    free(req);
    req = request("\",\"SubjectName\":\"CN=a\",\"KeySize\":\"big\"}");
    expect_failure(excert_certificate_new, "new", req, 3, "a string for KeySize", NULL);
    free(req);
    req = request("\",\"SubjectName\":\"CN=a\",\"PrivateKeyExportable\":\"yes\"}");
    expect_failure(excert_certificate_new, "new", req, 3, "a string for PrivateKeyExportable", NULL);
    free(req);
    req = request("\",\"ExpiryWarningDays\":[1]}");
    expect_failure(excert_certificate_list, "list", req, 3, "an array for ExpiryWarningDays", NULL);
    free(req);

    /* Values the operation cannot accept (4). */
    req = request("\",\"SubjectName\":\"CN=mail.contoso.com\",\"KeySize\":1000}");
    expect_failure(excert_certificate_new, "new", req, 4, "KeySize 1000", NULL);
    free(req);
    req = request("\",\"SubjectName\":\"CN=mail.contoso.com\",\"FriendlyName\":"
                  "\"0123456789012345678901234567890123456789012345678901234567890123\"}");
    expect_failure(excert_certificate_new, "new", req, 4, "a 64-character FriendlyName", NULL);
    free(req);
    req = request("\",\"SubjectName\":\"CN=mail.contoso.com\",\"Services\":\"IIS, Telnet\"}");
    expect_failure(excert_certificate_new, "new", req, 4, "an unknown service", "Telnet");
    free(req);
    req = request("\",\"SubjectName\":\"CN=mail.contoso.com\",\"KeyAlgorithm\":\"DSA\"}");
    expect_failure(excert_certificate_new, "new", req, 4, "KeyAlgorithm DSA", NULL);
    free(req);
    req = request("\",\"Thumbprint\":\"not-a-thumbprint\"}");
    expect_failure(excert_certificate_get, "get", req, 4, "a thumbprint that is not hex", NULL);
    free(req);

    /* 10 MB inputs: a value far too long (4), a string that never ends (3), nesting far too
     * deep for any request (3). None may crash or take the host down. */
    prefix = request("\",\"SubjectName\":\"CN=mail.contoso.com\",\"FriendlyName\":\"");
    req = huge(prefix, 'x', ten_mb, "\"}");
    expect_failure(excert_certificate_new, "new", req, 4, "a 10 MB FriendlyName", NULL);
    free(req);
    free(prefix);
    prefix = request("\",\"Thumbprint\":\"");
    req = huge(prefix, 'A', ten_mb, "\"}");
    expect_failure(excert_certificate_get, "get", req, 4, "a 10 MB thumbprint", NULL);
    free(req);
    free(prefix);
    req = huge("{\"Server\":\"", 'a', ten_mb, "");
    expect_failure(excert_certificate_list, "list", req, 3, "a 10 MB unterminated string", NULL);
    free(req);
    req = huge("{\"DomainName\":", '[', ten_mb, "");
    expect_failure(excert_certificate_list, "list", req, 3, "10 MB of nested arrays", NULL);
    free(req);

    /* The same rules hold for every other operation. */
    {
        static const struct {
            op_fn op;
            const char *name;
        } ops[] = {{excert_request_new, "request_new"},         {excert_certificate_renew, "renew"},
                   {excert_certificate_enable, "enable"},       {excert_certificate_remove, "remove"},
                   {import_no_secret, "import"},                {export_no_secret, "export"}};
        size_t i;
        req = request("\",\"Bogus\":true}");
        for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
            expect_failure(ops[i].op, ops[i].name, NULL, 1, "a NULL request", NULL);
            expect_failure(ops[i].op, ops[i].name, "{\"Thumbprint\":\"\xff\"}", 2, "invalid UTF-8", NULL);
            expect_failure(ops[i].op, ops[i].name, "{\"Thumbprint\"", 3, "truncated JSON", NULL);
            expect_failure(ops[i].op, ops[i].name, req, 3, "an unknown field", "Bogus");
        }
        free(req);
    }

    /* Nothing above created anything. */
    req = request("\",\"Server\":\"*\"}");
    rc = excert_certificate_list(req, &out, &err);
    free(req);
    check(rc == 0 && out && strstr(out, "\"Certificates\":[]") != NULL && err == NULL,
          "after all that, the store holds no certificate", "rc %d out %.300s err %.300s", (int)rc,
          or_null(out), or_null(err));
    excert_string_free(out);
    excert_string_free(err);

    return check_done();
}
