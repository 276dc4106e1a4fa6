/* abi.c: the browser tests' window on the store through the C ABI. Usage:
 *   abi FUNCTION 'REQUEST_JSON' [PASSWORD]
 * FUNCTION is list, get, new, request, enable, remove, import or export; prints the answer
 * JSON and exits 0, or prints the error JSON to stdout and exits 1. */
#include "excert.h"
#include <stdio.h>
#include <string.h>

typedef int32_t (*plain_fn)(const char *, char **, char **);
typedef int32_t (*secret_fn)(const char *, const uint8_t *, size_t, char **, char **);

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: abi FUNCTION REQUEST_JSON [PASSWORD]\n");
        return 2;
    }
    const char *name = argv[1], *request = argv[2];
    const char *password = argc > 3 ? argv[3] : NULL;
    char *answer = NULL, *error = NULL;
    int32_t rc;
    static const struct { const char *name; plain_fn fn; } plain[] = {
        {"list", excert_certificate_list}, {"get", excert_certificate_get},
        {"new", excert_certificate_new}, {"request", excert_request_new},
        {"enable", excert_certificate_enable}, {"remove", excert_certificate_remove},
    };
    static const struct { const char *name; secret_fn fn; } secret[] = {
        {"import", excert_certificate_import}, {"export", excert_certificate_export},
    };
    if (excert_abi_version() != EXCERT_ABI_VERSION) {
        fprintf(stderr, "abi: the library's ABI version differs from the header's\n");
        return 2;
    }
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        if (strcmp(name, plain[i].name) == 0) {
            rc = plain[i].fn(request, &answer, &error);
            goto done;
        }
    }
    for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++) {
        if (strcmp(name, secret[i].name) == 0) {
            rc = secret[i].fn(request, (const uint8_t *)password, password ? strlen(password) : 0,
                              &answer, &error);
            goto done;
        }
    }
    fprintf(stderr, "abi: unknown function '%s'\n", name);
    return 2;
done:
    puts(rc == EXCERT_RESULT_OK ? answer : error);
    excert_string_free(answer);
    excert_string_free(error);
    return rc == EXCERT_RESULT_OK ? 0 : 1;
}
