/*
 * The C ABI beyond New/List/Get, with real values: a request signed by a throwaway CA (the
 * openssl CLI) and imported back; PFX export (Legacy and Modern) read by openssl and imported
 * on another server, wrong and NULL passwords; service assignment with and without Force;
 * removal of the default SMTP certificate; renewal.
 * Usage: flows STORE_DIR   (an empty folder; run-tests passes a fresh one). Needs openssl.
 */
#include "check.h"

static char work[200]; /* scratch folder for openssl, next to the store */

/* Decodes Base64 (padding and non-alphabet characters skipped); malloc'd, length in *n. */
static unsigned char *b64_decode(const char *s, size_t *n) {
    unsigned char *out = (unsigned char *)malloc(strlen(s) / 4 * 3 + 3);
    unsigned long v = 0;
    int bits = 0;
    *n = 0;
    if (!out) return NULL;
    for (; *s; s++) {
        const char *p = strchr(b64chars, *s);
        if (!p || *s == '\0') continue;
        v = (v << 6) | (unsigned long)(p - b64chars);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[(*n)++] = (unsigned char)((v >> bits) & 255);
        }
    }
    return out;
}

/* Creates a certificate on server with the given services; its thumbprint goes to thumb. */
static int new_cert(const char *server, const char *subject, const char *services, char *thumb, size_t n) {
    char rest[512];
    snprintf(rest, sizeof rest,
             "\",\"Server\":\"%s\",\"SubjectName\":\"%s\",\"DomainName\":[\"mail.contoso.com\"],"
             "\"Services\":\"%s\",\"PrivateKeyExportable\":true,\"Force\":true}",
             server, subject, services);
    return new_certificate(rest, services, thumb, n);
}

static int32_t get_cert(const char *server, const char *thumb) {
    char rest[256], *out, *err;
    int32_t rc;
    snprintf(rest, sizeof rest, "\",\"Server\":\"%s\",\"Thumbprint\":\"%s\"}", server, thumb);
    rc = call(excert_certificate_get, rest, &out, &err);
    release(&out, &err);
    return rc;
}

/* 1. A request, signed by a throwaway CA, completed by importing the CA's answer. */
static void request_and_complete(void) {
    char *out, *err, *pem = NULL, *domains = NULL, path[512], cmd[4096];
    char req_thumb[64] = "", status[64] = "";
    int32_t rc;

    rc = call(excert_request_new,
              "\",\"Server\":\"EXCH1\",\"SubjectName\":\"C=US,O=Contoso,CN=mail.contoso.com\","
              "\"DomainName\":[\"mail.contoso.com\",\"autodiscover.contoso.com\"],\"PrivateKeyExportable\":true}",
              &out, &err);
    check(rc == 0 && out && !err, "request_new succeeds", "rc %d err %s", (int)rc, or_null(err));
    json_string(out, "Status", status, sizeof status);
    check(strcmp(status, "PendingRequest") == 0, "the request's Status is PendingRequest", "got %s", status);
    check(json_string(out, "Thumbprint", req_thumb, sizeof req_thumb) && strlen(req_thumb) == 40,
          "the pending request has a thumbprint", "got %s", req_thumb);
    pem = json_text(out, "Request");
    check(pem && strncmp(pem, "-----BEGIN NEW CERTIFICATE REQUEST-----", 39) == 0,
          "Request is a PEM NEW CERTIFICATE REQUEST", "got %.60s", or_null(pem));
    domains = json_raw(out, "CertificateDomains");
    check(domains && strcmp(domains, "[\"mail.contoso.com\",\"autodiscover.contoso.com\"]") == 0,
          "the request's CertificateDomains are both names", "got %s", or_null(domains));
    release(&out, &err);

    if (pem) {
        /* Relabel "NEW CERTIFICATE REQUEST" to "CERTIFICATE REQUEST" (Base64 has no spaces). */
        char *r = pem, *w = pem;
        while (*r) {
            if (strncmp(r, "NEW ", 4) == 0) r += 4;
            else *w++ = *r++;
        }
        *w = '\0';
        snprintf(path, sizeof path, "%s/req.pem", work);
        check(write_file(path, pem, strlen(pem)), "the request is written to a file", "%s", path);
    }
    snprintf(cmd, sizeof cmd,
             "openssl req -x509 -newkey rsa:2048 -nodes -keyout '%s/ca.key' -out '%s/ca.pem' -days 30 "
             "-subj '/CN=Throwaway Test CA' -addext basicConstraints=critical,CA:TRUE "
             "-addext keyUsage=critical,keyCertSign >/dev/null 2>&1",
             work, work);
    check(run_cmd(cmd), "openssl makes a throwaway CA", "see command above");
    snprintf(cmd, sizeof cmd,
             "openssl x509 -req -in '%s/req.pem' -CA '%s/ca.pem' -CAkey '%s/ca.key' -CAcreateserial "
             "-days 30 -copy_extensions copy -outform DER -out '%s/cert.der' >/dev/null 2>&1",
             work, work, work, work);
    check(run_cmd(cmd), "openssl signs the request (DER)", "see command above");

    {
        size_t n = 0;
        unsigned char *der;
        char *b64, *req, *certs, *dom2;
        long has_key = -1;
        snprintf(path, sizeof path, "%s/cert.der", work);
        der = read_file(path, &n);
        check(der && n > 100 && der[0] == 0x30, "the signed certificate is DER", "%lu bytes", (unsigned long)n);
        b64 = der ? b64_encode(der, n) : NULL;
        req = json_wrap("\",\"Server\":\"EXCH1\",\"FileData\":\"", b64 ? b64 : "", "\"}");
        rc = call_secret(excert_certificate_import, req, NULL, 0, &out, &err);
        check(rc == 0 && out && !err, "certificate_import of the CA's answer succeeds", "rc %d err %s", (int)rc,
              or_null(err));
        certs = json_raw(out, "Certificates");
        check(certs && count_of(certs, "\"Thumbprint\":") == 1, "the import gives one certificate", "got %.300s",
              or_null(certs));
        check(json_int(certs, "HasPrivateKey", &has_key) && has_key == 1,
              "the imported certificate has the request's private key", "got %ld", has_key);
        dom2 = json_raw(certs, "CertificateDomains");
        check(dom2 && domains && strcmp(dom2, domains) == 0, "the imported certificate has the same domains",
              "got %s want %s", or_null(dom2), or_null(domains));
        {
            char issuer[256] = "";
            json_string(certs, "Issuer", issuer, sizeof issuer);
            check(strcmp(issuer, "CN=Throwaway Test CA") == 0, "its Issuer is the throwaway CA", "got %s", issuer);
        }
        free(dom2);
        free(certs);
        free(req);
        free(b64);
        free(der);
        release(&out, &err);
    }
    check(get_cert("EXCH1", req_thumb) == 300, "the pending request is gone (get gives 300)", "got another code");
    free(domains);
    free(pem);
}

/* 2. PFX export with a password, read by openssl, imported on another server; bad passwords. */
static void export_and_import(void) {
    static const char secret[] = "Tr0ub4dor-and-3";
    static const char wrong[] = "not-the-Passw0rd";
    static const char *enc[2] = {"Legacy", "Modern"};
    static const char *to[2] = {"EXCH2", "EXCH3"};
    char thumb[64], rest[256], path[512], cmd[4096], what[160];
    char *out, *err, *modern_data = NULL;
    int32_t rc;
    int i;

    check(new_cert("EXCH1", "CN=export.contoso.com", "None", thumb, sizeof thumb),
          "an exportable certificate to export", "see above");
    for (i = 0; i < 2; i++) {
        char format[32] = "", *data, *req;
        unsigned char *pfx;
        size_t n = 0;
        snprintf(rest, sizeof rest, "\",\"Server\":\"EXCH1\",\"Thumbprint\":\"%s\",\"Encryption\":\"%s\"}", thumb,
                 enc[i]);
        rc = call_secret(excert_certificate_export, rest, secret, strlen(secret), &out, &err);
        snprintf(what, sizeof what, "export with a password (%s) succeeds", enc[i]);
        check(rc == 0 && out && !err, what, "rc %d err %s", (int)rc, or_null(err));
        json_string(out, "Format", format, sizeof format);
        snprintf(what, sizeof what, "%s export: Format is Pkcs12", enc[i]);
        check(strcmp(format, "Pkcs12") == 0, what, "got %s", format);
        data = json_text(out, "FileData");
        snprintf(what, sizeof what, "%s export: the answer holds no password", enc[i]);
        check(out && !strstr(out, secret), what, "found it");
        release(&out, &err);
        pfx = data ? b64_decode(data, &n) : NULL;
        snprintf(path, sizeof path, "%s/%s.pfx", work, enc[i]);
        snprintf(what, sizeof what, "%s export: FileData decodes to a DER PFX", enc[i]);
        check(pfx && n > 500 && pfx[0] == 0x30 && write_file(path, pfx, n), what, "%lu bytes", (unsigned long)n);
        snprintf(cmd, sizeof cmd, "openssl pkcs12 %s -in '%s' -passin 'pass:%s' -noout >/dev/null 2>&1",
                 i == 0 ? "-legacy" : "", path, secret);
        snprintf(what, sizeof what, "openssl pkcs12%s reads the %s PFX with the password", i == 0 ? " -legacy" : "",
                 enc[i]);
        check(run_cmd(cmd), what, "see command above");
        snprintf(cmd, sizeof cmd, "openssl pkcs12 %s -in '%s' -passin 'pass:%s' -noout >/dev/null 2>&1",
                 i == 0 ? "-legacy" : "", path, wrong);
        snprintf(what, sizeof what, "openssl refuses the %s PFX with a wrong password", enc[i]);
        check(system(cmd) != 0, what, "it opened");
        free(pfx);

        /* The same FileData on another server, with the same secret. */
        {
            char back[64] = "";
            long has_key = -1;
            char head[160];
            snprintf(head, sizeof head, "\",\"Server\":\"%s\",\"PrivateKeyExportable\":true,\"FileData\":\"", to[i]);
            req = json_wrap(head, data ? data : "", "\"}");
            rc = call_secret(excert_certificate_import, req, secret, strlen(secret), &out, &err);
            free(req);
            snprintf(what, sizeof what, "the %s PFX imports on %s with the password", enc[i], to[i]);
            check(rc == 0 && out && !err, what, "rc %d err %s", (int)rc, or_null(err));
            json_string(out, "Thumbprint", back, sizeof back);
            snprintf(what, sizeof what, "%s PFX import: same Thumbprint", enc[i]);
            check(strcmp(back, thumb) == 0, what, "got %s want %s", back, thumb);
            json_int(out, "HasPrivateKey", &has_key);
            snprintf(what, sizeof what, "%s PFX import: HasPrivateKey", enc[i]);
            check(has_key == 1, what, "got %ld", has_key);
            release(&out, &err);
        }
        if (i == 1) modern_data = data;
        else free(data);
    }

    /* A wrong password: WrongPassword, and no password text in the error. */
    {
        char *req = json_wrap("\",\"Server\":\"EXCH4\",\"FileData\":\"", modern_data ? modern_data : "", "\"}");
        char name[64] = "";
        long code = -1;
        rc = call_secret(excert_certificate_import, req, wrong, strlen(wrong), &out, &err);
        check(rc == 103 && !out && err, "a wrong password gives 103", "rc %d", (int)rc);
        json_string(err, "Name", name, sizeof name);
        json_int(err, "Code", &code);
        check(strcmp(name, "WrongPassword") == 0 && code == 103, "the error is WrongPassword (103)",
              "got %s %ld", name, code);
        check(err && !strstr(err, wrong) && !strstr(err, secret), "the error holds no password text", "got %s",
              or_null(err));
        release(&out, &err);
        check(get_cert("EXCH4", thumb) == 300, "nothing was stored on EXCH4", "it is there");

        rc = call_secret(excert_certificate_import, req, NULL, 8, &out, &err);
        check(rc == 1 && !out, "a NULL secret with a nonzero length gives 1 (NullArgument)", "rc %d out %s",
              (int)rc, or_null(out));
        release(&out, &err);

        snprintf(rest, sizeof rest, "\",\"Server\":\"EXCH1\",\"Thumbprint\":\"%s\"}", thumb);
        rc = call_secret(excert_certificate_export, rest, NULL, 8, &out, &err);
        check(rc == 1 && !out, "export with a NULL secret and a nonzero length gives 1", "rc %d", (int)rc);
        release(&out, &err);
        free(req);
    }
    free(modern_data);
}

/* 3 and 4. Services with and without Force; removing the default SMTP certificate. */
static void services_and_remove(void) {
    char smtp_first[64], second[64], rest[256], services[64] = "", *out, *err, *live;
    int32_t rc;

    check(new_cert("EXCH5", "CN=smtp.contoso.com", "SMTP", smtp_first, sizeof smtp_first),
          "a first certificate holds SMTP on EXCH5", "see above");
    check(new_cert("EXCH5", "CN=web.contoso.com", "None", second, sizeof second),
          "a second certificate with no services", "see above");

    snprintf(rest, sizeof rest, "\",\"Server\":\"EXCH5\",\"Thumbprint\":\"%s\",\"Services\":\"IIS\"}", second);
    rc = call(excert_certificate_enable, rest, &out, &err);
    check(rc == 0 && out && !err, "enable IIS succeeds", "rc %d err %s", (int)rc, or_null(err));
    json_string(out, "Services", services, sizeof services);
    check(strcmp(services, "IIS") == 0, "the answer's Services is IIS", "got %s", services);
    live = json_raw(out, "LiveFiles");
    check(live && strstr(live, "\"IIS\":") != NULL, "LiveFiles has an IIS entry", "got %s", or_null(live));
    free(live);
    release(&out, &err);

    snprintf(rest, sizeof rest, "\",\"Server\":\"EXCH5\",\"Thumbprint\":\"%s\",\"Services\":\"SMTP\"}", second);
    rc = call(excert_certificate_enable, rest, &out, &err);
    check(rc == 403 && !out && err && strstr(err, "\"Name\":\"ConfirmationRequired\""),
          "enabling SMTP on a second certificate without Force gives 403", "rc %d err %s", (int)rc, or_null(err));
    release(&out, &err);

    snprintf(rest, sizeof rest, "\",\"Server\":\"EXCH5\",\"Thumbprint\":\"%s\",\"Services\":\"SMTP\",\"Force\":true}",
             second);
    rc = call(excert_certificate_enable, rest, &out, &err);
    check(rc == 0 && out && !err, "with Force it succeeds", "rc %d err %s", (int)rc, or_null(err));
    json_string(out, "Services", services, sizeof services);
    check(strcmp(services, "IIS, SMTP") == 0, "the answer's Services is IIS, SMTP", "got %s", services);
    release(&out, &err);

    /* The second certificate is now the default SMTP certificate. */
    snprintf(rest, sizeof rest, "\",\"Server\":\"EXCH5\",\"Thumbprint\":\"%s\"}", second);
    rc = call(excert_certificate_remove, rest, &out, &err);
    check(rc == 401 && !out && err && strstr(err, "\"Name\":\"InUse\""),
          "removing the default SMTP certificate without Force gives 401 InUse", "rc %d err %s", (int)rc,
          or_null(err));
    release(&out, &err);
    check(get_cert("EXCH5", second) == 0, "it is still there", "get failed");

    snprintf(rest, sizeof rest, "\",\"Server\":\"EXCH5\",\"Thumbprint\":\"%s\",\"Force\":true}", second);
    rc = call(excert_certificate_remove, rest, &out, &err);
    check(rc == 0 && out && !err, "with Force the removal succeeds", "rc %d err %s", (int)rc, or_null(err));
    {
        char identity[128] = "", want[128];
        snprintf(want, sizeof want, "EXCH5\\%s", second);
        json_string(out, "Identity", identity, sizeof identity);
        check(strcmp(identity, want) == 0, "the answer's Identity is the removed certificate", "got %s", identity);
    }
    release(&out, &err);
    check(get_cert("EXCH5", second) == 300, "then get gives 300", "another code");
    check(get_cert("EXCH5", smtp_first) == 0, "the other certificate stays", "get failed");
}

/* 5. Renewal: a new thumbprint, the same subject. */
static void renew(void) {
    char thumb[64], fresh[64] = "", subject[256] = "", old_subject[256] = "", rest[256], *out, *err;
    int32_t rc;

    check(new_cert("EXCH6", "C=US,O=Contoso,CN=mail.contoso.com", "IIS", thumb, sizeof thumb),
          "a certificate to renew", "see above");
    snprintf(rest, sizeof rest, "\",\"Server\":\"EXCH6\",\"Thumbprint\":\"%s\"}", thumb);
    rc = call(excert_certificate_get, rest, &out, &err);
    json_string(out, "Subject", old_subject, sizeof old_subject);
    release(&out, &err);

    snprintf(rest, sizeof rest, "\",\"Server\":\"EXCH6\",\"Thumbprint\":\"%s\",\"Force\":true}", thumb);
    rc = call(excert_certificate_renew, rest, &out, &err);
    check(rc == 0 && out && !err, "certificate_renew succeeds", "rc %d err %s", (int)rc, or_null(err));
    json_string(out, "Thumbprint", fresh, sizeof fresh);
    json_string(out, "Subject", subject, sizeof subject);
    check(strlen(fresh) == 40 && strcmp(fresh, thumb) != 0, "the renewal has a new Thumbprint", "got %s (old %s)",
          fresh, thumb);
    check(subject[0] && strcmp(subject, old_subject) == 0 &&
              strcmp(subject, "CN=mail.contoso.com, O=Contoso, C=US") == 0,
          "the renewal has the same Subject", "got %s want %s", subject, old_subject);
    release(&out, &err);
    check(get_cert("EXCH6", fresh) == 0, "the renewed certificate can be fetched", "get failed");
}

int main(int argc, char **argv) {
    char cmd[1024];
    if (take_store(argc, argv, 1) != 0) return 2;
    snprintf(work, sizeof work, "%s.work", store);
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -m 700 '%s'", work, work);
    check(run_cmd(cmd), "a scratch folder for openssl", "%s", work);

    request_and_complete();
    export_and_import();
    services_and_remove();
    renew();

    snprintf(cmd, sizeof cmd, "rm -rf '%s'", work);
    run_cmd(cmd);
    return check_done();
}
