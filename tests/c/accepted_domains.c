/*
 * The organization's accepted domains through the C ABI (New-/Get-/Remove-AcceptedDomain), and
 * a certificate made with IncludeAcceptedDomains and IncludeAutoDiscover from them.
 * Usage: accepted_domains STORE_DIR   (an empty folder; run-tests passes a fresh one)
 */
#include "check.h"

/* Calls op with the request; returns the code, with the answer or the error in *out. */
static int32_t call_into(op_fn op, const char *rest, char **out) {
    char *req = request(rest), *json = NULL, *error = NULL;
    int32_t rc = op(req, &json, &error);
    free(req);
    *out = rc == EXCERT_RESULT_OK ? json : error;
    if (rc == EXCERT_RESULT_OK) excert_string_free(error);
    else excert_string_free(json);
    return rc;
}

int main(int argc, char **argv) {
    char *out = NULL, buf[256];
    int32_t rc;
    if (take_store(argc, argv, 0) != 0) return 2;

    rc = call_into(excert_accepted_domain_new,
              "\",\"Name\":\"Contoso\",\"DomainName\":\"Contoso.com\",\"DomainType\":\"Authoritative\"}", &out);
    check(rc == EXCERT_RESULT_OK, "new Contoso", "rc %d: %s", rc, or_null(out));
    check(json_string(out, "DomainName", buf, sizeof buf) && strcmp(buf, "Contoso.com") == 0,
          "its DomainName is Contoso.com", "%s", or_null(out));
    check(strstr(or_null(out), "\"Default\":true") != NULL, "the first one is the default", "%s", or_null(out));
    excert_string_free(out);

    rc = call_into(excert_accepted_domain_new, "\",\"Name\":\"Fabrikam\",\"DomainName\":\"fabrikam.com\"}", &out);
    check(rc == EXCERT_RESULT_OK && json_string(out, "DomainType", buf, sizeof buf) && strcmp(buf, "Authoritative") == 0,
          "new Fabrikam, Authoritative by default", "rc %d: %s", rc, or_null(out));
    excert_string_free(out);

    rc = call_into(excert_accepted_domain_new, "\",\"Name\":\"contoso\",\"DomainName\":\"x.com\"}", &out);
    check(rc == EXCERT_RESULT_ALREADY_EXISTS, "a Name already there is AlreadyExists", "rc %d: %s", rc, or_null(out));
    excert_string_free(out);

    rc = call_into(excert_accepted_domain_new, "\",\"Name\":\"Bad\",\"DomainName\":\"a b.com\"}", &out);
    check(rc == EXCERT_RESULT_INVALID_ARGUMENT, "a DomainName with a space is InvalidArgument", "rc %d: %s", rc,
          or_null(out));
    excert_string_free(out);

    rc = call_into(excert_accepted_domain_list, "\"}", &out);
    check(rc == EXCERT_RESULT_OK && count_of(out, "\"Name\":") == 2, "list has both", "rc %d: %s", rc, or_null(out));
    check(out && strstr(out, "Contoso") < strstr(out, "Fabrikam"), "in the order added", "%s", or_null(out));
    excert_string_free(out);

    rc = call_into(excert_certificate_new,
              "\",\"SubjectName\":\"CN=mail.contoso.com\",\"IncludeAcceptedDomains\":true,\"IncludeAutoDiscover\":true,"
              "\"Force\":true}",
              &out);
    check(rc == EXCERT_RESULT_OK, "a certificate with IncludeAcceptedDomains and IncludeAutoDiscover", "rc %d: %s", rc,
          or_null(out));
    check(out && strstr(out, "\"CertificateDomains\":[\"mail.contoso.com\",\"Contoso.com\",\"autodiscover.Contoso.com\","
                             "\"fabrikam.com\",\"autodiscover.fabrikam.com\"]") != NULL,
          "its names are the CN, each accepted domain and its autodiscover name", "%s", or_null(out));
    check(json_string(out, "Services", buf, sizeof buf) && strcmp(buf, "SMTP") == 0,
          "without Services it is assigned to SMTP only", "got %s", buf);
    excert_string_free(out);

    rc = call_into(excert_accepted_domain_remove, "\",\"Identity\":\"CONTOSO.COM\"}", &out);
    check(rc == EXCERT_RESULT_OK && json_string(out, "Name", buf, sizeof buf) && strcmp(buf, "Contoso") == 0,
          "remove by DomainName, any case", "rc %d: %s", rc, or_null(out));
    excert_string_free(out);

    rc = call_into(excert_accepted_domain_list, "\",\"Identity\":\"Contoso\"}", &out);
    check(rc == EXCERT_RESULT_NOT_FOUND, "it is gone: NotFound", "rc %d: %s", rc, or_null(out));
    excert_string_free(out);

    rc = call_into(excert_accepted_domain_remove, "\"}", &out);
    check(rc == EXCERT_RESULT_INVALID_ARGUMENT, "remove without Identity is InvalidArgument", "rc %d: %s", rc,
          or_null(out));
    excert_string_free(out);

    return check_done();
}
