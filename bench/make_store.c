/* Fills a store through the C ABI: make_store STORE COUNT SERVERS [FIRST]
 * ECDSA P-256 keys (RSA key generation would dominate and measure nothing about listing). */
#include "excert.h"
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: make_store STORE COUNT SERVERS [FIRST]\n"); return 2; }
    int count = atoi(argv[2]), servers = atoi(argv[3]), first = argc > 4 ? atoi(argv[4]) : 0;
    char req[4096];
    for (int i = first; i < first + count; i++) {
        snprintf(req, sizeof req,
                 "{\"StoreRoot\":\"%s\",\"Server\":\"EX%02d\",\"KeyAlgorithm\":\"ECDSA_P256\","
                 "\"Services\":\"None\",\"DomainName\":[\"host%d.contoso.com\",\"mail.contoso.com\"]}",
                 argv[1], i % servers, i);
        char *out = NULL, *err = NULL;
        if (excert_certificate_new(req, &out, &err) != 0) { fprintf(stderr, "%s\n", err); return 1; }
        excert_string_free(out);
    }
    return 0;
}
