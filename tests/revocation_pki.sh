#!/usr/bin/env bash
# A test PKI for revocation checking, on 127.0.0.1 only, shared by the Rust, C and Pester tests.
#
#   tests/revocation_pki.sh start DIR   builds the PKI in DIR (an empty folder) and starts nginx
#                                       (serving the CRLs), an `openssl ocsp` responder and a
#                                       "slow" server that accepts and never answers
#   tests/revocation_pki.sh stop DIR    stops all three (by the pids it recorded)
#
# Ports are chosen free at run time and written, with the servers' pids, to DIR/pki.env.
# Certificates (PEM and DER, with keys) are DIR/<name>.pem / .der; see the list below.
set -euo pipefail

cmd="${1:-}" dir="${2:-}"
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n '2,11p' "$0"; exit 2; }
dir="$(cd "$dir" && pwd)"

stop() {
  for name in ocsp slow; do
    if [ -f "$dir/$name.pid" ]; then
      kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
      rm -f "$dir/$name.pid"
    fi
  done
  if [ -f "$dir/nginx/nginx.pid" ]; then
    kill "$(cat "$dir/nginx/nginx.pid")" 2>/dev/null || true
    for _ in $(seq 1 100); do [ -f "$dir/nginx/nginx.pid" ] || break; sleep 0.05; done
  fi
}
if [ "$cmd" = stop ]; then stop; exit 0; fi
[ "$cmd" = start ] || { echo "revocation_pki: start or stop" >&2; exit 2; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
HTTP_PORT=$(free_port); OCSP_PORT=$(free_port); SLOW_PORT=$(free_port); DEAD_PORT=$(free_port)
while [ "$OCSP_PORT" = "$HTTP_PORT" ]; do OCSP_PORT=$(free_port); done
while [ "$SLOW_PORT" = "$HTTP_PORT" ] || [ "$SLOW_PORT" = "$OCSP_PORT" ]; do SLOW_PORT=$(free_port); done
H="http://127.0.0.1:$HTTP_PORT"

cd "$dir"
mkdir -p www nginx
chmod 755 "$dir" www
ossl() { openssl "$@" 2>>"$dir/openssl.log" >/dev/null; }

# One openssl CA database per issuing CA.
ca_conf() { # name
  mkdir -p "db-$1/new"; : >"db-$1/index.txt"; echo 1000 >"db-$1/serial"; echo 1000 >"db-$1/crlnumber"
  cat >"db-$1/ca.cnf" <<CNF
[ca]
default_ca = this
[this]
dir = $dir/db-$1
database = \$dir/index.txt
new_certs_dir = \$dir/new
serial = \$dir/serial
crlnumber = \$dir/crlnumber
default_md = sha256
default_days = 365
default_crl_days = 7
policy = any
unique_subject = no
copy_extensions = none
[any]
commonName = supplied
CNF
}

# issue NAME ISSUER CN EXTENSIONS...: a key, a request, and a certificate from ISSUER's database.
issue() {
  local name="$1" issuer="$2" cn="$3"; shift 3
  # CAs sign with RSA; the others get quick P-256 keys.
  local keytype=ec keyopt=ec_paramgen_curve:P-256
  case "$*" in *CA:TRUE*) keytype=rsa keyopt=rsa_keygen_bits:2048 ;; esac
  ossl req -new -newkey "$keytype" -pkeyopt "$keyopt" -nodes -keyout "$name.key" -subj "/CN=$cn" -out "$name.csr"
  printf '%s\n' "[ext]" "$@" >"$name.ext"
  ossl ca -batch -notext -config "db-$issuer/ca.cnf" -cert "$issuer.pem" -keyfile "$issuer.key" \
    -in "$name.csr" -out "$name.pem" -extfile "$name.ext" -extensions ext
  openssl x509 -in "$name.pem" -outform DER -out "$name.der"
}
CA_EXT=("basicConstraints = critical, CA:TRUE" "keyUsage = critical, keyCertSign, cRLSign" "subjectKeyIdentifier = hash" "authorityKeyIdentifier = keyid")
LEAF_EXT=("basicConstraints = CA:FALSE" "keyUsage = digitalSignature, keyEncipherment" "extendedKeyUsage = serverAuth" "subjectKeyIdentifier = hash" "authorityKeyIdentifier = keyid")

# The root (trust anchor, not checked).
ossl req -x509 -newkey rsa:2048 -nodes -keyout root.key -subj "/CN=Revocation Test Root" -days 3650 \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out root.pem
openssl x509 -in root.pem -outform DER -out root.der
ca_conf root
# Intermediates: inter (good), inter2 (revoked by the root), both checked against root.crl.
issue inter root "Revocation Test Issuing CA" "${CA_EXT[@]}" "crlDistributionPoints = URI:$H/root.crl"
issue inter2 root "Revocation Test Revoked CA" "${CA_EXT[@]}" "crlDistributionPoints = URI:$H/root.crl"
ca_conf inter; ca_conf inter2
# The OCSP responder inter authorised, and one the root made (not authorised for inter).
issue responder inter "Revocation Test OCSP" "basicConstraints = CA:FALSE" "keyUsage = digitalSignature" "extendedKeyUsage = OCSPSigning"
issue rogue-responder root "Revocation Test Rogue OCSP" "basicConstraints = CA:FALSE" "keyUsage = digitalSignature" "extendedKeyUsage = OCSPSigning"

CRL="crlDistributionPoints = URI:$H/inter.crl"
OCSP="authorityInfoAccess = OCSP;URI:http://127.0.0.1:$OCSP_PORT"
issue crl-good inter crl-good.contoso.com "${LEAF_EXT[@]}" "$CRL"
issue crl-revoked inter crl-revoked.contoso.com "${LEAF_EXT[@]}" "$CRL"
issue ocsp-good inter ocsp-good.contoso.com "${LEAF_EXT[@]}" "$OCSP" "$CRL"
issue ocsp-revoked inter ocsp-revoked.contoso.com "${LEAF_EXT[@]}" "$OCSP" "$CRL"
issue ocsp-only-revoked inter ocsp-only-revoked.contoso.com "${LEAF_EXT[@]}" "$OCSP"
issue ocsp-fallback inter ocsp-fallback.contoso.com "${LEAF_EXT[@]}" "authorityInfoAccess = OCSP;URI:http://127.0.0.1:$DEAD_PORT" "$CRL"
issue other-key inter other-key.contoso.com "${LEAF_EXT[@]}" "crlDistributionPoints = URI:$H/other-key.crl"
issue expired-crl inter expired-crl.contoso.com "${LEAF_EXT[@]}" "crlDistributionPoints = URI:$H/expired.crl"
issue garbage inter garbage.contoso.com "${LEAF_EXT[@]}" "crlDistributionPoints = URI:$H/garbage.crl"
issue slow inter slow.contoso.com "${LEAF_EXT[@]}" "crlDistributionPoints = URI:http://127.0.0.1:$SLOW_PORT/slow.crl"
issue dead inter dead.contoso.com "${LEAF_EXT[@]}" "crlDistributionPoints = URI:http://127.0.0.1:$DEAD_PORT/inter.crl"
issue no-cdp inter no-cdp.contoso.com "${LEAF_EXT[@]}"
issue ldap-only inter ldap-only.contoso.com "${LEAF_EXT[@]}" "crlDistributionPoints = URI:ldap://127.0.0.1/inter-cdp"
issue file-crl inter file-crl.contoso.com "${LEAF_EXT[@]}" "crlDistributionPoints = URI:file://$dir/www/inter.crl"
issue under-revoked-ca inter2 under-revoked-ca.contoso.com "${LEAF_EXT[@]}" "crlDistributionPoints = URI:$H/inter2.crl"

# Revocations, then the CRLs (DER, as CAs publish them).
ossl ca -config db-inter/ca.cnf -cert inter.pem -keyfile inter.key -revoke crl-revoked.pem -crl_reason keyCompromise
ossl ca -config db-inter/ca.cnf -cert inter.pem -keyfile inter.key -revoke ocsp-revoked.pem -crl_reason superseded
ossl ca -config db-inter/ca.cnf -cert inter.pem -keyfile inter.key -revoke ocsp-only-revoked.pem -crl_reason cessationOfOperation
ossl ca -config db-root/ca.cnf -cert root.pem -keyfile root.key -revoke inter2.pem -crl_reason cACompromise
gencrl() { # db cert key out [options]
  local db="$1" cert="$2" key="$3" out="$4"; shift 4
  ossl ca -gencrl -config "db-$db/ca.cnf" -cert "$cert.pem" -keyfile "$key.key" -out "$out.crl.pem" "$@"
  openssl crl -in "$out.crl.pem" -outform DER -out "www/$out.crl"
}
gencrl root root root root
gencrl inter inter inter inter
gencrl inter2 inter2 inter2 inter2
gencrl inter inter inter expired -crl_lastupdate 20200101000000Z -crl_nextupdate 20200108000000Z
# The same issuer name, signed by another key.
ossl req -x509 -newkey rsa:2048 -nodes -keyout fake.key -subj "/CN=Revocation Test Issuing CA" -days 30 -out fake.pem
ca_conf fake
gencrl fake fake fake other-key
head -c 700 /dev/urandom >www/garbage.crl
chmod 644 www/*

cat >nginx/nginx.conf <<CONF
daemon on;
pid $dir/nginx/nginx.pid;
error_log $dir/nginx/error.log notice;
worker_processes 1;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $dir/nginx/body;
    server {
        listen 127.0.0.1:$HTTP_PORT;
        root $dir/www;
    }
}
CONF
/usr/sbin/nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx/" </dev/null >"$dir/nginx/start.out" 2>&1

# The OCSP responder is `openssl ocsp` itself, one run per request. OpenSSL 3.0's own server
# mode (-port) takes a bare port and listens on every interface; a small front on 127.0.0.1
# hands each POSTed request to it instead.
python3 -c '
import http.server, subprocess, sys
port, d = int(sys.argv[1]), sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = min(int(self.headers.get("Content-Length", "0")), 65536)
        req = self.rfile.read(n)
        out = subprocess.run(["openssl", "ocsp", "-index", d + "/db-inter/index.txt", "-CA", d + "/inter.pem",
                              "-rsigner", d + "/responder.pem", "-rkey", d + "/responder.key", "-ndays", "1",
                              "-reqin", "/dev/stdin", "-respout", "/dev/stdout"],
                             input=req, capture_output=True).stdout
        self.send_response(200)
        self.send_header("Content-Type", "application/ocsp-response")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(("127.0.0.1", port), H).serve_forever()
' "$OCSP_PORT" "$dir" </dev/null >"$dir/ocsp.log" 2>&1 &
echo $! >ocsp.pid

python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(64)
held = []
while True:
    c, _ = s.accept(); held.append(c)   # accepted, never answered
' "$SLOW_PORT" </dev/null >/dev/null 2>&1 &
echo $! >slow.pid

cat >pki.env <<ENV
HTTP_PORT=$HTTP_PORT
OCSP_PORT=$OCSP_PORT
SLOW_PORT=$SLOW_PORT
DEAD_PORT=$DEAD_PORT
ENV

# Ready when all three accept connections (bounded: 10 s).
for _ in $(seq 1 200); do
  if python3 -c '
import socket, sys
for p in sys.argv[1:]:
    socket.create_connection(("127.0.0.1", int(p)), timeout=0.5).close()
' "$HTTP_PORT" "$OCSP_PORT" "$SLOW_PORT" 2>/dev/null; then exit 0; fi
  sleep 0.05
done
echo "revocation_pki: servers did not start; see $dir/nginx/error.log, $dir/ocsp.log" >&2
stop
exit 1
