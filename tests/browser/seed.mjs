// Certificates the tests start from, made through the C ABI (dates chosen, as no cmdlet can).
import { abi } from './harness.mjs';

const day = 86400000;
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function seed(store) {
  const now = Date.now();
  const make = (server, name, domain, from, to, extra = {}) => abi(store, 'new', {
    Server: server, FriendlyName: name, SubjectName: `CN=${domain}`, DomainName: [domain],
    KeyAlgorithm: 'ECDSA_P256', NotBefore: iso(from), NotAfter: iso(to), Services: 'None', ...extra,
  }).Certificate;
  return {
    mail: make('EX01', 'Contoso Mail', 'mail.contoso.com', now - day, now + 700 * day, { Services: 'IIS, SMTP', PrivateKeyExportable: true }),
    soon: make('EX02', 'Contoso Soon', 'soon.contoso.com', now - 300 * day, now + 10 * day, { PrivateKeyExportable: true }),
    old: make('EX02', 'Contoso Old', 'old.contoso.com', now - 400 * day, now - 5 * day, { PrivateKeyExportable: true }),
  };
}
