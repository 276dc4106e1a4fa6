/*
 * The C ABI used as a C program would: library identity, then the issue's certificate created,
 * listed, fetched by its lower-case thumbprint and compared, and a thumbprint that is not there.
 * Usage: certificate STORE_DIR   (an empty folder; run-tests passes a fresh one)
 */
#include "check.h"

#ifndef EXCERT_EXPECTED_VERSION
#error "build with -DEXCERT_EXPECTED_VERSION=\"x.y.z\" (the version in Cargo.toml)"
#endif

static void library_identity(void) {
    const char *v = excert_version();
    check(v != NULL && strcmp(v, EXCERT_EXPECTED_VERSION) == 0, "excert_version is Cargo.toml's version",
          "got %s, want %s", or_null(v), EXCERT_EXPECTED_VERSION);
    check(v == excert_version(), "excert_version returns one static string", "two calls differ");
    check(excert_abi_version() == EXCERT_ABI_VERSION && EXCERT_ABI_VERSION == 1,
          "excert_abi_version matches EXCERT_ABI_VERSION (1)", "library %u, header %u",
          (unsigned)excert_abi_version(), (unsigned)EXCERT_ABI_VERSION);
    check(strcmp(excert_result_name(0), "Ok") == 0, "result_name(0) is Ok", "got %s", excert_result_name(0));
    check(strcmp(excert_result_name(300), "NotFound") == 0, "result_name(300) is NotFound", "got %s",
          excert_result_name(300));
    check(strcmp(excert_result_name(3), "InvalidJson") == 0, "result_name(3) is InvalidJson", "got %s",
          excert_result_name(3));
    check(strcmp(excert_result_name(999), "Panic") == 0, "result_name(999) is Panic", "got %s",
          excert_result_name(999));
    check(strcmp(excert_result_name(12345), "Unknown") == 0 && strcmp(excert_result_name(-1), "Unknown") == 0,
          "result_name of an unknown number is Unknown", "got %s / %s", excert_result_name(12345),
          excert_result_name(-1));
    excert_string_free(NULL); /* must be a no-op */
    check(1, "excert_string_free(NULL) returns", "");
}

/* Checks one ExchangeCertificate object against what the issue's New-ExchangeCertificate asks. */
static void expect_issue_certificate(const char *cert, const char *thumb, const char *where) {
    char buf[512], what[160];
    long n = -1;
#define EXPECT_STR(key, want)                                                                      \
    do {                                                                                           \
        int found = json_string(cert, key, buf, sizeof buf);                                       \
        snprintf(what, sizeof what, "%s: %s is %s", where, key, want);                             \
        check(found && strcmp(buf, want) == 0, what, "got %s", found ? buf : "(missing)");         \
    } while (0)
#define EXPECT_INT(key, want)                                                                      \
    do {                                                                                           \
        int found = json_int(cert, key, &n);                                                       \
        snprintf(what, sizeof what, "%s: %s is %ld", where, key, (long)(want));                    \
        check(found && n == (want), what, "got %ld (found %d)", n, found);                         \
    } while (0)
    EXPECT_STR("Thumbprint", thumb);
    {
        char want[80];
        snprintf(want, sizeof want, "EXCH1\\%s", thumb);
        EXPECT_STR("Identity", want);
    }
    EXPECT_STR("Server", "EXCH1");
    EXPECT_STR("Subject", "CN=mail.contoso.com, O=Contoso, C=US");
    EXPECT_STR("Issuer", "CN=mail.contoso.com, O=Contoso, C=US");
    EXPECT_STR("Services", "IIS, SMTP");
    EXPECT_STR("ServicesStringForm", "...WS..");
    EXPECT_STR("FriendlyName", "Microsoft Exchange");
    EXPECT_STR("SignatureAlgorithm", "sha256RSA");
    EXPECT_STR("Status", "Valid");
    EXPECT_STR("RootCAType", "None");
    EXPECT_INT("PublicKeySize", 2048);
    EXPECT_INT("Version", 3);
    EXPECT_INT("HasPrivateKey", 1);
    EXPECT_INT("PrivateKeyExportable", 1);
    EXPECT_INT("IsSelfSigned", 1);
    {
        char *domains = json_raw(cert, "CertificateDomains");
        snprintf(what, sizeof what, "%s: CertificateDomains are the CN then the other name", where);
        check(domains && strcmp(domains, "[\"mail.contoso.com\",\"autodiscover.contoso.com\"]") == 0, what,
              "got %s", or_null(domains));
        free(domains);
    }
    {
        char *eku = json_raw(cert, "EnhancedKeyUsageList");
        snprintf(what, sizeof what, "%s: EnhancedKeyUsageList is Server Authentication", where);
        check(eku && strcmp(eku, "[\"Server Authentication (1.3.6.1.5.5.7.3.1)\"]") == 0, what, "got %s",
              or_null(eku));
        free(eku);
    }
    {
        /* 60 months: the same month five years on. */
        char nb[40], na[40];
        int ok = json_string(cert, "NotBefore", nb, sizeof nb) && json_string(cert, "NotAfter", na, sizeof na);
        snprintf(what, sizeof what, "%s: NotAfter is 60 months after NotBefore (RFC 3339 UTC)", where);
        check(ok && strlen(nb) == 20 && strlen(na) == 20 && nb[19] == 'Z' && na[19] == 'Z' &&
                  atoi(na) == atoi(nb) + 5 && strncmp(na + 4, nb + 4, 3) == 0,
              what, "NotBefore %s NotAfter %s", ok ? nb : "?", ok ? na : "?");
        json_int(cert, "DaysUntilExpiry", &n);
        snprintf(what, sizeof what, "%s: DaysUntilExpiry is about five years", where);
        check(n >= 1824 && n <= 1827, what, "got %ld", n);
    }
    {
        char sn[128];
        size_t i, len = 0;
        int hex = json_string(cert, "SerialNumber", sn, sizeof sn);
        if (hex) {
            len = strlen(sn);
            for (i = 0; i < len; i++)
                if (!((sn[i] >= '0' && sn[i] <= '9') || (sn[i] >= 'A' && sn[i] <= 'F'))) hex = 0;
        }
        snprintf(what, sizeof what, "%s: SerialNumber is upper hex of at most 20 octets", where);
        check(hex && len >= 2 && len <= 40 && len % 2 == 0, what, "got %s", hex ? sn : "(bad)");
    }
#undef EXPECT_STR
#undef EXPECT_INT
}

static int is_upper_hex40(const char *s) {
    size_t i;
    if (strlen(s) != 40) return 0;
    for (i = 0; i < 40; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F'))) return 0;
    return 1;
}

int main(int argc, char **argv) {
    char *req, *out = NULL, *err = NULL, *out2 = NULL, *err2 = NULL;
    char *created = NULL, *fetched = NULL, *listed = NULL;
    char thumb[64] = "", lower[64], raw_new[4096] = "", raw_get[4096] = "";
    int32_t rc;
    size_t i;

    if (take_store(argc, argv, 0) != 0) return 2;
    library_identity();

    /* The issue's certificate, as New-ExchangeCertificate would ask for it. */
    req = request("\",\"Server\":\"EXCH1\",\"SubjectName\":\"C=US,O=Contoso,CN=mail.contoso.com\","
                  "\"DomainName\":[\"mail.contoso.com\",\"autodiscover.contoso.com\"],"
                  "\"Services\":\"IIS, SMTP\",\"PrivateKeyExportable\":true,\"Force\":true}");
    rc = excert_certificate_new(req, &out, &err);
    free(req);
    check(rc == 0 && out != NULL && err == NULL, "certificate_new succeeds; only out_json is set",
          "rc %d err %s", (int)rc, or_null(err));
    check(out && strncmp(out, "{\"Schema\":1,", 12) == 0, "the answer starts with Schema 1", "got %.60s",
          or_null(out));
    created = json_raw(out, "Certificate");
    check(created != NULL, "the answer has a Certificate object", "got %.200s", or_null(out));
    check(json_string(created, "Thumbprint", thumb, sizeof thumb) && is_upper_hex40(thumb),
          "Thumbprint is 40 upper-case hex digits", "got %s", thumb);
    if (created) expect_issue_certificate(created, thumb, "new");
    json_string(created, "RawData", raw_new, sizeof raw_new);
    check(strncmp(raw_new, "MII", 3) == 0, "RawData is base64 DER (a SEQUENCE)", "got %.20s", raw_new);
    excert_string_free(out);
    excert_string_free(err);
    out = err = NULL;

    /* The list holds it, once; filters by server and domain. */
    req = request("\",\"Server\":\"EXCH1\"}");
    rc = excert_certificate_list(req, &out, &err);
    free(req);
    check(rc == 0 && out && !err, "certificate_list succeeds", "rc %d err %s", (int)rc, or_null(err));
    listed = json_raw(out, "Certificates");
    check(listed && count_of(listed, "\"Thumbprint\":") == 1 && strstr(listed, thumb) != NULL,
          "the list holds exactly the new certificate", "got %.300s", or_null(listed));
    free(listed);
    excert_string_free(out);
    out = NULL;

    req = request("\",\"Server\":\"EXCH1\",\"DomainName\":[\"*.contoso.com\"]}");
    rc = excert_certificate_list(req, &out, &err);
    free(req);
    check(rc == 0 && out && strstr(out, thumb), "DomainName *.contoso.com matches it", "rc %d out %.200s",
          (int)rc, or_null(out));
    excert_string_free(out);
    out = NULL;

    req = request("\",\"Server\":\"EXCH1\",\"DomainName\":[\"*.fabrikam.com\"]}");
    rc = excert_certificate_list(req, &out, &err);
    free(req);
    check(rc == 0 && out && strstr(out, "\"Certificates\":[]"), "DomainName *.fabrikam.com matches nothing",
          "rc %d out %.200s", (int)rc, or_null(out));
    excert_string_free(out);
    out = NULL;

    /* Properties: only what is asked for, in the usual order; an unknown name is refused. */
    req = request("\",\"Server\":\"EXCH1\",\"Properties\":[\"status\",\"Identity\"]}");
    rc = excert_certificate_list(req, &out, &err);
    free(req);
    check(rc == 0 && out && strstr(out, "[{\"Identity\":\"EXCH1\\\\") && strstr(out, thumb) &&
              strstr(out, "\",\"Status\":\"Valid\"}]") && !strstr(out, "RawData") && !strstr(out, "Subject"),
          "Properties answers Identity and Status only", "rc %d out %.300s", (int)rc, or_null(out));
    excert_string_free(out);
    out = NULL;

    /* The raw certificates of a listing and nothing else: Thumbprint and RawData only, and
     * openssl reads the DER (Base64-decoded by openssl itself) as the same certificate. */
    req = request("\",\"Server\":\"EXCH1\",\"Properties\":[\"RawData\",\"Thumbprint\"]}");
    rc = excert_certificate_list(req, &out, &err);
    free(req);
    {
        char *listed_raw = rc == 0 && out ? json_text(out, "RawData") : NULL;
        char path[1024], cmd[2600];
        check(rc == 0 && out && strstr(out, "[{\"Thumbprint\":\"") && strstr(out, thumb) &&
                  strstr(out, "\",\"RawData\":\"MII") && !strstr(out, "Identity") && !strstr(out, "Subject"),
              "Properties Thumbprint and RawData answers those two only", "rc %d out %.300s", (int)rc, or_null(out));
        snprintf(path, sizeof path, "%s.raw", store);
        check(listed_raw && write_file(path, listed_raw, strlen(listed_raw)), "the listed RawData written out", "%s",
              path);
        snprintf(cmd, sizeof cmd,
                 "openssl base64 -d -A -in '%s' | openssl x509 -inform DER -noout -fingerprint -sha1 | tr -d : | "
                 "grep -qi '%s'",
                 path, thumb);
        check(run_cmd(cmd), "openssl reads the listed DER: the same thumbprint", "see above");
        remove(path);
        free(listed_raw);
    }
    excert_string_free(out);
    out = NULL;

    req = request("\",\"Server\":\"EXCH1\",\"Properties\":[\"Thumb\"]}");
    rc = excert_certificate_list(req, &out, &err);
    free(req);
    check(rc == EXCERT_RESULT_INVALID_ARGUMENT && !out && err && strstr(err, "'Thumb'"),
          "an unknown property is refused, named", "rc %d err %.200s", (int)rc, or_null(err));
    excert_string_free(err);
    err = NULL;

    req = request("\",\"Server\":\"EXCH2\"}");
    rc = excert_certificate_list(req, &out, &err);
    free(req);
    check(rc == 0 && out && strstr(out, "\"Certificates\":[]"), "another server's list is empty",
          "rc %d out %.200s", (int)rc, or_null(out));
    excert_string_free(out);
    out = NULL;

    /* Get by the lower-case thumbprint gives the very same certificate. */
    for (i = 0; thumb[i]; i++) lower[i] = (char)((thumb[i] >= 'A' && thumb[i] <= 'F') ? thumb[i] + 32 : thumb[i]);
    lower[i] = '\0';
    {
        char rest[128];
        snprintf(rest, sizeof rest, "\",\"Server\":\"EXCH1\",\"Thumbprint\":\"%s\"}", lower);
        req = request(rest);
    }
    rc = excert_certificate_get(req, &out, &err);
    free(req);
    check(rc == 0 && out && !err, "certificate_get by lower-case thumbprint succeeds", "rc %d err %s",
          (int)rc, or_null(err));
    fetched = json_raw(out, "Certificate");
    if (fetched) expect_issue_certificate(fetched, thumb, "get");
    json_string(fetched, "RawData", raw_get, sizeof raw_get);
    check(raw_new[0] && strcmp(raw_new, raw_get) == 0, "get returns the DER that new returned", "differ");
    check(created && fetched && strcmp(created, fetched) == 0, "get's Certificate object equals new's",
          "new %.120s... get %.120s...", or_null(created), or_null(fetched));
    excert_string_free(out);
    out = NULL;

    /* A thumbprint that is not there: code 300, error JSON, no answer. */
    req = request("\",\"Server\":\"EXCH1\",\"Thumbprint\":\"0000000000000000000000000000000000000000\"}");
    rc = excert_certificate_get(req, &out2, &err2);
    check(rc == 300 && rc == EXCERT_RESULT_NOT_FOUND, "get of an unknown thumbprint returns 300", "rc %d",
          (int)rc);
    check(out2 == NULL, "no answer on failure", "out_json %.80s", or_null(out2));
    {
        char name[64] = "", cat[64] = "", msg[1024] = "";
        long code = -1;
        check(err2 && strncmp(err2, "{", 1) == 0 && json_int(err2, "Code", &code) && code == 300,
              "error JSON has Code 300", "got %s", or_null(err2));
        check(json_string(err2, "Name", name, sizeof name) && strcmp(name, "NotFound") == 0,
              "error JSON has Name NotFound", "got %s", name);
        check(json_string(err2, "Category", cat, sizeof cat) && strcmp(cat, "ObjectNotFound") == 0,
              "error JSON has Category ObjectNotFound", "got %s", cat);
        check(json_string(err2, "Message", msg, sizeof msg) && strlen(msg) > 10,
              "error JSON has a Message", "got %s", msg);
    }
    excert_string_free(err2);

    /* Identity: SERVER\THUMBPRINT names the certificate in one field; a malformed one is
       InvalidArgument; a listing by identity that finds nothing is NotFound itself. */
    {
        char rest[200];
        char *id_req;
        snprintf(rest, sizeof rest, "\",\"Identity\":\"EXCH1\\\\%s\"}", thumb);
        id_req = request(rest);
        rc = excert_certificate_get(id_req, &out, &err);
        check(rc == 0 && out && strstr(out, thumb) != NULL && strstr(out, "\"Server\":\"EXCH1\"") != NULL,
              "certificate_get by Identity EXCH1\\THUMBPRINT finds it", "rc %d err %s", (int)rc, or_null(err));
        excert_string_free(out);
        out = NULL;
        rc = excert_certificate_list(id_req, &out, &err);
        check(rc == 0 && out && strstr(out, thumb) != NULL, "certificate_list by Identity lists it", "rc %d",
              (int)rc);
        excert_string_free(out);
        out = NULL;
        free(id_req);

        id_req = request("\",\"Identity\":\"EXCH1\\\\\"}");
        rc = excert_certificate_get(id_req, &out2, &err2);
        check(rc == EXCERT_RESULT_INVALID_ARGUMENT && err2 && strstr(err2, "names no thumbprint"),
              "an Identity without a thumbprint is InvalidArgument, said so", "rc %d err %s", (int)rc,
              or_null(err2));
        excert_string_free(err2);
        err2 = NULL;
        free(id_req);

        id_req = request("\",\"Identity\":\"EXCH1\\\\0000000000000000000000000000000000000000\"}");
        rc = excert_certificate_list(id_req, &out2, &err2);
        check(rc == EXCERT_RESULT_NOT_FOUND && out2 == NULL && err2,
              "certificate_list of an unknown Identity answers NotFound", "rc %d", (int)rc);
        excert_string_free(err2);
        err2 = NULL;
        free(id_req);
    }

    /* Both out-pointers NULL: the code alone, nothing leaked (valgrind checks). */
    rc = excert_certificate_get(req, NULL, NULL);
    check(rc == 300, "get with NULL out-pointers still returns 300", "rc %d", (int)rc);
    free(req);
    req = request("\",\"Server\":\"EXCH1\"}");
    rc = excert_certificate_list(req, NULL, NULL);
    check(rc == 0, "list with NULL out-pointers returns 0", "rc %d", (int)rc);
    free(req);

    free(created);
    free(fetched);
    return check_done();
}
