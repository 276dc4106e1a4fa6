/* One operation per process through the C ABI, for whole-process comparisons with openssl
 * (bench/compare runs it):
 *   one_shot new STORE rsa|ec       a self-signed certificate as `openssl req -x509 -newkey`
 *                                   makes it (same subject and SAN), stored with its key
 *   one_shot pfx STORE THUMB SERVER exports THUMB as a PFX (Modern profile, password) and
 *                                   imports that PFX into SERVER, as `openssl pkcs12 -export`
 *                                   followed by `openssl pkcs12 -in`
 *   one_shot abi                    loads the library and checks its ABI version, nothing
 *                                   else: process start + library load, the floor under both */
#include "excert.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int call_failed(int code, char *err) {
    if (code == 0) return 0;
    fprintf(stderr, "excert: %d %s\n", code, err ? err : "");
    excert_string_free(err);
    return 1;
}

/* The value of "FileData":"..." in an answer, copied (the caller frees it). */
static char *file_data(const char *json) {
    const char *key = "\"FileData\":\"";
    const char *start = strstr(json, key);
    if (!start) return NULL;
    start += strlen(key);
    const char *end = strchr(start, '"');
    if (!end) return NULL;
    char *copy = malloc((size_t)(end - start) + 1);
    if (!copy) return NULL;
    memcpy(copy, start, (size_t)(end - start));
    copy[end - start] = '\0';
    return copy;
}

int main(int argc, char **argv) {
    char *out = NULL, *err = NULL;
    if (argc == 2 && strcmp(argv[1], "abi") == 0) return excert_abi_version() == EXCERT_ABI_VERSION ? 0 : 1;
    if (argc == 4 && strcmp(argv[1], "new") == 0) {
        const char *alg = strcmp(argv[3], "ec") == 0 ? "ECDSA_P256" : "RSA";
        char req[1024];
        snprintf(req, sizeof req,
                 "{\"StoreRoot\":\"%s\",\"Server\":\"EX00\",\"KeyAlgorithm\":\"%s\","
                 "\"SubjectName\":\"CN=mail.contoso.com\",\"Services\":\"None\","
                 "\"PrivateKeyExportable\":true,\"DomainName\":[\"mail.contoso.com\"]}",
                 argv[2], alg);
        if (call_failed(excert_certificate_new(req, &out, &err), err)) return 1;
        if (getenv("ONE_SHOT_PRINT")) puts(out);
        excert_string_free(out);
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "pfx") == 0) {
        static const uint8_t password[] = "bench-password";
        char req[1024];
        snprintf(req, sizeof req, "{\"StoreRoot\":\"%s\",\"Server\":\"EX00\",\"Thumbprint\":\"%s\"}",
                 argv[2], argv[3]);
        if (call_failed(excert_certificate_export(req, password, sizeof password - 1, &out, &err), err))
            return 1;
        char *pfx = file_data(out);
        excert_string_free(out);
        if (!pfx) { fprintf(stderr, "no FileData in the export answer\n"); return 1; }
        size_t size = strlen(pfx) + 1024;
        char *import = malloc(size);
        if (!import) return 1;
        snprintf(import, size, "{\"StoreRoot\":\"%s\",\"Server\":\"%s\",\"FileData\":\"%s\"}",
                 argv[2], argv[4], pfx);
        free(pfx);
        out = NULL;
        int code = excert_certificate_import(import, password, sizeof password - 1, &out, &err);
        free(import);
        if (call_failed(code, err)) return 1;
        excert_string_free(out);
        return 0;
    }
    fprintf(stderr, "usage: one_shot new STORE rsa|ec | one_shot pfx STORE THUMB SERVER | one_shot abi\n");
    return 2;
}
