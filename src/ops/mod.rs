//! Operations: one function per cmdlet verb, over the store. Requests and answers are the
//! plain structs of `model`; the FFI layer turns them into JSON.

mod transfer;

pub use transfer::{export, import};

use crate::cert::build::{self, CertificateSpec};
use crate::cert::chain::{self, RootCaType, Status, TrustAnchors};
use crate::cert::host::HostNames;
use crate::cert::inspect::{CertificateInfo, RequestInfo};
use crate::cert::keys::{KeySpec, PrivateKey};
use crate::cert::names::{self, SanRequest, Subject};
use crate::cert::services::Services;
use crate::cert::{normalize_thumbprint, thumbprint};
use crate::model::{
    CertificateAnswer, EnableRequest, ExchangeCertificate, ListAnswer, ListRequest,
    NewCertificateRequest, RemoveAnswer, RemoveRequest, RenewRequest, RequestAnswer,
    ThumbprintRequest, SCHEMA,
};
use crate::store::{
    Assignments, Entry, Metadata, NewEntry, OrgCertificates, ServerStore, Source, Store,
};
use crate::{Code, Error, Result};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// Exchange's default friendly name.
pub const DEFAULT_FRIENDLY_NAME: &str = "Microsoft Exchange";
/// The longest friendly name Exchange accepts.
pub const MAX_FRIENDLY_NAME: usize = 63;
/// Days before expiry that raise a warning, as Exchange's EAC.
pub const DEFAULT_EXPIRY_WARNING_DAYS: u32 = 30;

/// What `New-ExchangeCertificate` resolved from its parameters, before any key exists.
struct Prepared {
    server: ServerStore,
    spec: CertificateSpec,
    key_spec: KeySpec,
    metadata: Metadata,
}

fn prepare(req: &NewCertificateRequest, source: Source) -> Result<Prepared> {
    let store = Store::open(req.store_root.as_deref())?;
    let server = store.server(req.server.as_deref())?;
    let host = HostNames::for_server(req.server.as_deref());
    let subject = match req.subject_name.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(s) => Subject::parse(s)?,
        None => Subject::common_name_only(&host.name),
    };
    let sans = names::san_list(
        &subject,
        &SanRequest {
            domain_names: &req.domain_name,
            include_server_fqdn: req.include_server_fqdn,
            include_server_netbios_name: req.include_server_netbios_name,
        },
        &host,
    )?;
    let metadata = Metadata {
        friendly_name: friendly_name(req.friendly_name.as_deref())?,
        private_key_exportable: req.private_key_exportable,
        created: OffsetDateTime::now_utc(),
        source,
    };
    let key_spec = KeySpec::new(req.key_algorithm.as_deref(), req.key_size)?;
    let (not_before, not_after) = validity(req.not_before.as_deref(), req.not_after.as_deref())?;
    let subject_key_identifier = req
        .subject_key_identifier
        .as_deref()
        .map(parse_hex)
        .transpose()?;
    Ok(Prepared {
        server,
        spec: CertificateSpec {
            subject,
            sans,
            not_before,
            not_after,
            subject_key_identifier,
        },
        key_spec,
        metadata,
    })
}

/// `New-ExchangeCertificate`: a self-signed certificate with Exchange's defaults, stored with
/// its key and assigned to its services.
pub fn new_certificate(req: &NewCertificateRequest) -> Result<CertificateAnswer> {
    let p = prepare(req, Source::SelfSigned)?;
    let services = match &req.services {
        Some(s) => Services::parse(s)?,
        None => Services::DEFAULT,
    };
    let key = PrivateKey::generate(p.key_spec)?;
    let der = build::self_signed(&p.spec, &key)?;
    let thumb = thumbprint(&der);

    let server = &p.server;
    let lock = server.lock()?;
    let mut assignments = server.assignments()?;
    // Checked before anything is written, so a refusal leaves the store as it was.
    let warnings = assign(&mut assignments, &thumb, services, req.force)?;
    lock.add(&NewEntry {
        thumbprint: &thumb,
        certificate: Some(&der),
        request: None,
        private_key: Some(&key),
        chain: &[],
        metadata: p.metadata,
    })?;
    let mut warnings = warnings;
    if services != Services::NONE {
        warnings.extend(lock.set_assignments(&assignments)?);
    }
    let certificate = describe_stored(server, &thumb, &assignments)?;
    Ok(CertificateAnswer {
        schema: SCHEMA,
        certificate,
        warnings,
    })
}

/// `New-ExchangeCertificate -GenerateRequest`: a PKCS#10 for a CA, kept as a pending entry
/// (with its key) until `Import-ExchangeCertificate` completes it.
pub fn new_request(req: &NewCertificateRequest) -> Result<RequestAnswer> {
    if req.services.is_some() {
        return Err(Error::invalid(
            "Services cannot be given with a request: complete the request with Import-ExchangeCertificate, then assign services with Enable-ExchangeCertificate",
        ));
    }
    if req.not_before.is_some() || req.not_after.is_some() {
        return Err(Error::invalid(
            "NotBefore and NotAfter are chosen by the CA for a request: leave them out",
        ));
    }
    let p = prepare(req, Source::Request)?;
    let key = PrivateKey::generate(p.key_spec)?;
    let der = build::request(&p.spec, &key)?;
    let id = thumbprint(&der);
    let lock = p.server.lock()?;
    lock.add(&NewEntry {
        thumbprint: &id,
        certificate: None,
        request: Some(&der),
        private_key: Some(&key),
        chain: &[],
        metadata: p.metadata,
    })?;
    let certificate = describe_stored(&p.server, &id, &p.server.assignments()?)?;
    let request = crate::formats::pem::encode(crate::formats::pem::NEW_CERTIFICATE_REQUEST, &der);
    Ok(RequestAnswer {
        schema: SCHEMA,
        certificate,
        request,
        warnings: Vec::new(),
    })
}

/// The answer of `renew`: a certificate, or a request.
#[derive(serde::Serialize)]
#[serde(untagged)]
pub enum Renewed {
    Certificate(CertificateAnswer),
    Request(RequestAnswer),
}

/// Renewal: a new key, and a certificate (or request) with the old one's subject, domain
/// names, friendly name, key algorithm and size, exportability and services.
pub fn renew(req: &RenewRequest) -> Result<Renewed> {
    let (_, server, entry) = find(
        req.store_root.as_deref(),
        req.server.as_deref(),
        &req.thumbprint,
    )?;
    let thumb = entry.thumbprint.clone();
    let Some(der) = &entry.certificate else {
        return Err(Error::new(
            Code::PendingRequest,
            format!("{thumb} is a pending request, not a certificate: complete it with Import-ExchangeCertificate, or remove it and make a new request"),
        ));
    };
    let info = CertificateInfo::from_der(der)?;
    let (key_algorithm, key_size) = match info.key_algorithm.as_str() {
        "RSA" => (None, Some(info.public_key_size)),
        other => (Some(other.to_string()), None),
    };
    let new = NewCertificateRequest {
        store_root: req.store_root.clone(),
        server: Some(server.name().to_string()),
        subject_name: Some(crate::cert::inspect::subject_name_text(der)?),
        domain_name: info.dns_names,
        friendly_name: Some(
            req.friendly_name
                .clone()
                .unwrap_or(entry.metadata.friendly_name),
        ),
        key_size,
        key_algorithm,
        private_key_exportable: req
            .private_key_exportable
            .unwrap_or(entry.metadata.private_key_exportable),
        force: req.force,
        ..Default::default()
    };
    if req.generate_request {
        return new_request(&new).map(Renewed::Request);
    }
    let services = server.assignments()?.services_of(&thumb);
    new_certificate(&NewCertificateRequest {
        services: Some(services.to_string()),
        ..new
    })
    .map(Renewed::Certificate)
}

/// `Enable-ExchangeCertificate`: adds services to a certificate (DESIGN §6). Single-holder
/// services move to it; the default SMTP certificate changes only with `force`.
pub fn enable(req: &EnableRequest) -> Result<CertificateAnswer> {
    let store = Store::open(req.store_root.as_deref())?;
    let server = store.server(req.server.as_deref())?;
    let thumb = normalize_thumbprint(&req.thumbprint)?;
    let services = Services::parse(&req.services)?;
    let lock = server.lock_existing(&thumb)?;
    let entry = server
        .get(&thumb)?
        .ok_or_else(|| crate::store::not_found(server.name(), &thumb))?;
    let Some(der) = &entry.certificate else {
        return Err(Error::new(
            Code::PendingRequest,
            format!("{thumb} is a pending request: complete it with Import-ExchangeCertificate first, then enable the certificate"),
        ));
    };
    if !entry.has_private_key {
        return Err(Error::new(
            Code::NoPrivateKey,
            format!("{thumb} has no private key, so no service can use it: import it again with its key (a PFX file)"),
        ));
    }
    let info = CertificateInfo::from_der(der)?;
    let now = OffsetDateTime::now_utc();
    if now > info.not_after || now < info.not_before {
        return Err(Error::new(
            Code::Expired,
            format!(
                "{thumb} is valid only from {} to {}: renew it (Get-ExchangeCertificate -Thumbprint {thumb} | New-ExchangeCertificate) and enable the new one",
                rfc3339(info.not_before),
                rfc3339(info.not_after)
            ),
        ));
    }
    let mut assignments = server.assignments()?;
    let mut warnings = assign(&mut assignments, &thumb, services, req.force)?;
    if (services.contains(Services::IMAP) || services.contains(Services::POP))
        && info.dns_names.iter().any(|n| n.starts_with("*."))
    {
        warnings.push(format!(
            "{thumb} is a wildcard certificate: IMAP and POP clients that check the name see the wildcard; set the IMAP/POP X509CertificateName to a name the certificate covers"
        ));
    }
    if req.do_not_require_ssl || req.network_service_allowed {
        warnings.push("DoNotRequireSsl and NetworkServiceAllowed concern IIS and Windows accounts; they change nothing here (live key files stay 0600)".to_string());
    }
    if services != Services::NONE {
        warnings.extend(lock.set_assignments(&assignments)?);
    }
    let certificate = describe(
        &server,
        entry,
        &assignments,
        DEFAULT_EXPIRY_WARNING_DAYS,
        &trust(&store)?,
    )?;
    Ok(CertificateAnswer {
        schema: SCHEMA,
        certificate,
        warnings,
    })
}

/// `Remove-ExchangeCertificate`: deletes a certificate or pending request and its key. A
/// certificate in use (the default SMTP certificate, or the only holder of a service) is
/// refused unless `force`.
pub fn remove(req: &RemoveRequest) -> Result<RemoveAnswer> {
    let store = Store::open(req.store_root.as_deref())?;
    let server = store.server(req.server.as_deref())?;
    let thumb = normalize_thumbprint(&req.thumbprint)?;
    let lock = server.lock_existing(&thumb)?;
    let mut assignments = server.assignments()?;
    let held: Vec<String> = assignments
        .holders
        .iter()
        .filter(|(_, ts)| ts.len() == 1 && ts[0] == thumb)
        .map(|(flag, _)| Services(*flag).to_string())
        .collect();
    let is_default_smtp = assignments.default_smtp.as_deref() == Some(thumb.as_str());
    if !req.force && (is_default_smtp || !held.is_empty()) {
        let why = if is_default_smtp {
            "it is the default SMTP certificate".to_string()
        } else {
            format!("it is the only certificate for {}", held.join(", "))
        };
        return Err(Error::new(
            Code::InUse,
            format!("{thumb} is in use: {why}. Enable another certificate for those services first (Enable-ExchangeCertificate), or repeat with -Force to leave them without a certificate"),
        ));
    }
    let mut warnings = Vec::new();
    for ts in assignments.holders.values_mut() {
        ts.retain(|t| *t != thumb);
    }
    assignments.holders.retain(|_, ts| !ts.is_empty());
    if is_default_smtp {
        assignments.default_smtp = assignments
            .holders
            .get(&Services::SMTP.0)
            .and_then(|h| h.first())
            .cloned();
        match &assignments.default_smtp {
            Some(t) => warnings.push(format!("The default SMTP certificate is now {t}.")),
            None => warnings.push("The server has no SMTP certificate any more.".to_string()),
        }
    }
    if !held.is_empty() {
        warnings.push(format!(
            "{} now have no certificate on server {}.",
            held.join(", "),
            server.name()
        ));
    }
    // The assignments let go first, so no live file points at a certificate being deleted.
    warnings.extend(lock.set_assignments(&assignments)?);
    lock.remove(&thumb)?;
    Ok(RemoveAnswer {
        schema: SCHEMA,
        identity: format!("{}\\{thumb}", server.name()),
        warnings,
    })
}

/// The store, the server and the entry a request names by thumbprint; `NotFound` if absent.
fn find(
    store_root: Option<&str>,
    server: Option<&str>,
    thumbprint: &str,
) -> Result<(Store, ServerStore, Entry)> {
    let store = Store::open(store_root)?;
    let server = store.server(server)?;
    let thumb = normalize_thumbprint(thumbprint)?;
    let entry = server
        .get(&thumb)?
        .ok_or_else(|| crate::store::not_found(server.name(), &thumb))?;
    Ok((store, server, entry))
}

/// An entry just made here (self-signed or pending): its status needs no trust anchors.
fn describe_stored(
    server: &ServerStore,
    thumb: &str,
    assignments: &Assignments,
) -> Result<ExchangeCertificate> {
    let entry = server
        .get(thumb)?
        .ok_or_else(|| crate::store::not_found(server.name(), thumb))?;
    describe(
        server,
        entry,
        assignments,
        DEFAULT_EXPIRY_WARNING_DAYS,
        &Trust {
            anchors: TrustAnchors::empty(),
            intermediates: Vec::new(),
        },
    )
}

/// The system trust store plus the roots and intermediates of the organisation store.
fn trust(store: &Store) -> Result<Trust> {
    Ok(Trust {
        anchors: TrustAnchors::system()
            .with_org_roots(store.org_certificates(OrgCertificates::TrustedRoots)?),
        intermediates: store.org_certificates(OrgCertificates::Intermediates)?,
    })
}

/// What a chain is checked against: the anchors, and the intermediate CAs the organisation has
/// seen, for certificates stored without their chain (as Windows' intermediate CA store).
pub struct Trust {
    pub anchors: TrustAnchors,
    pub intermediates: Vec<Vec<u8>>,
}

/// `Get-ExchangeCertificate -Thumbprint`.
pub fn get_certificate(req: &ThumbprintRequest) -> Result<CertificateAnswer> {
    let (store, server, entry) = find(
        req.store_root.as_deref(),
        req.server.as_deref(),
        &req.thumbprint,
    )?;
    let assignments = server.assignments()?;
    let mut warnings = store.permission_warnings();
    warnings.extend(entry.key_file_exposed.as_deref().map(exposed_key_warning));
    let certificate = describe(
        &server,
        entry,
        &assignments,
        DEFAULT_EXPIRY_WARNING_DAYS,
        &trust(&store)?,
    )?;
    warnings.extend(expiry_warnings(std::slice::from_ref(&certificate)));
    Ok(CertificateAnswer {
        schema: SCHEMA,
        warnings,
        certificate,
    })
}

/// `Get-ExchangeCertificate` without a thumbprint: every entry of one server (or of all, with
/// `Server = "*"`), filtered, CA-issued before self-signed, newest first.
pub fn list_certificates(req: &ListRequest) -> Result<ListAnswer> {
    let store = Store::open(req.store_root.as_deref())?;
    let servers = match req.server.as_deref().map(str::trim) {
        Some("*") => store.servers()?,
        other => vec![store.server(other)?],
    };
    let anchors = trust(&store)?;
    let days = req
        .expiry_warning_days
        .unwrap_or(DEFAULT_EXPIRY_WARNING_DAYS);
    let wanted = req
        .thumbprint
        .as_deref()
        .map(normalize_thumbprint)
        .transpose()?;
    let patterns: Vec<String> = req
        .domain_name
        .iter()
        .map(|d| d.trim().to_ascii_lowercase())
        .collect();
    let mut out = Vec::new();
    let mut warnings = store.permission_warnings();
    for server in &servers {
        let assignments = server.assignments()?;
        let entries = match &wanted {
            Some(t) => server.get(t)?.into_iter().collect(),
            None => server.list()?,
        };
        for entry in entries {
            if let Some(path) = &entry.key_file_exposed {
                warnings.push(exposed_key_warning(path));
            }
            let c = describe(server, entry, &assignments, days, &anchors)?;
            let expiring = req
                .expiring_within_days
                .is_none_or(|d| c.status != "PendingRequest" && c.days_until_expiry < d as i64);
            if expiring
                && (patterns.is_empty()
                    || c.certificate_domains
                        .iter()
                        .cloned()
                        .chain(subject_cn(&c))
                        .any(|n| patterns.iter().any(|p| domain_matches(p, &n))))
            {
                out.push(c);
            }
        }
    }
    out.sort_by(|a, b| {
        a.is_self_signed
            .cmp(&b.is_self_signed)
            .then(b.not_before.cmp(&a.not_before))
    });
    warnings.extend(expiry_warnings(&out));
    Ok(ListAnswer {
        schema: SCHEMA,
        warnings,
        certificates: out,
    })
}

fn exposed_key_warning(path: &std::path::Path) -> String {
    format!(
        "The private key file {} can be read by other users: run `chmod 600 '{}'`; until then the key is not used or exported",
        path.display(),
        path.display()
    )
}

/// The CN of the subject as displayed (`CN=x, O=y`), for `-DomainName` filters.
fn subject_cn(c: &ExchangeCertificate) -> Option<String> {
    c.subject
        .split(", ")
        .find_map(|p| p.strip_prefix("CN="))
        .map(str::to_string)
}

/// A warning per certificate whose expiry is near or past.
fn expiry_warnings(certs: &[ExchangeCertificate]) -> Vec<String> {
    certs
        .iter()
        .filter(|c| c.expiry_warning && c.status != "PendingRequest")
        .map(|c| {
            if c.days_until_expiry < 0 {
                format!(
                    "The certificate {} on server {} ({}) expired {} days ago: renew it with Get-ExchangeCertificate -Thumbprint {} -Server {} | New-ExchangeCertificate",
                    c.thumbprint, c.server, c.subject, -c.days_until_expiry, c.thumbprint, c.server
                )
            } else {
                format!(
                    "The certificate {} on server {} ({}) expires in {} days: renew it with Get-ExchangeCertificate -Thumbprint {} -Server {} | New-ExchangeCertificate",
                    c.thumbprint, c.server, c.subject, c.days_until_expiry, c.thumbprint, c.server
                )
            }
        })
        .collect()
}

/// Case-insensitive match of a `-DomainName` filter against a certificate name: `*` and `?` in
/// the filter are wildcards, and a wildcard certificate name covers the hosts it would serve.
fn domain_matches(pattern: &str, name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    if glob(pattern.as_bytes(), name.as_bytes()) {
        return true;
    }
    match name.strip_prefix("*.") {
        Some(base) => pattern
            .split_once('.')
            .is_some_and(|(host, rest)| !host.is_empty() && !host.contains('*') && rest == base),
        None => false,
    }
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match (p.first(), s.first()) {
        (None, None) => true,
        (Some(b'*'), _) => glob(&p[1..], s) || (!s.is_empty() && glob(p, &s[1..])),
        (Some(b'?'), Some(_)) => glob(&p[1..], &s[1..]),
        (Some(a), Some(b)) if a == b => glob(&p[1..], &s[1..]),
        _ => false,
    }
}

/// Applies `services` for `thumb` to the server's assignments (DESIGN §6, Enable): IIS, IMAP,
/// POP, UM and UMCallRouter have one holder; SMTP many, with one default that changes only
/// with `force`. Returns warnings.
pub fn assign(
    a: &mut Assignments,
    thumb: &str,
    services: Services,
    force: bool,
) -> Result<Vec<String>> {
    if services.contains(Services::FEDERATION) {
        return Err(Error::new(
            Code::ServiceRefused,
            "the Federation service is managed by Exchange's federation trust (Set-FederationTrust), not by assigning it to a certificate: leave Federation out",
        ));
    }
    let mut warnings = Vec::new();
    if services.contains(Services::SMTP) {
        match a.default_smtp.as_deref() {
            Some(current) if current != thumb && !force => {
                return Err(Error::new(Code::ConfirmationRequired, format!(
                    "this would replace the default SMTP certificate {current}: confirm, or repeat with -Force"
                )));
            }
            Some(current) if current != thumb => {
                warnings.push(format!(
                    "The default SMTP certificate was {current}; it is now {thumb}."
                ));
                a.default_smtp = Some(thumb.to_string());
            }
            Some(_) => {}
            None => a.default_smtp = Some(thumb.to_string()),
        }
    }
    for flag in [
        Services::IMAP,
        Services::POP,
        Services::UM,
        Services::IIS,
        Services::SMTP,
        Services::UM_CALL_ROUTER,
    ] {
        if !services.contains(flag) {
            continue;
        }
        let holders = a.holders.entry(flag.0).or_default();
        if flag == Services::SMTP {
            if !holders.iter().any(|t| t == thumb) {
                holders.push(thumb.to_string());
            }
        } else {
            *holders = vec![thumb.to_string()];
        }
    }
    Ok(warnings)
}

fn friendly_name(name: Option<&str>) -> Result<String> {
    match name {
        None => Ok(DEFAULT_FRIENDLY_NAME.to_string()),
        Some(n) if n.trim().is_empty() => Err(Error::invalid("FriendlyName is empty: give a name, or leave it out for 'Microsoft Exchange'")),
        Some(n) if n.chars().count() > MAX_FRIENDLY_NAME => Err(Error::invalid(format!(
            "FriendlyName is {} characters long; Exchange allows at most {MAX_FRIENDLY_NAME}: shorten it",
            n.chars().count()
        ))),
        Some(n) if n.chars().any(char::is_control) => Err(Error::invalid("FriendlyName holds control characters: use printable text")),
        Some(n) => Ok(n.to_string()),
    }
}

fn validity(
    not_before: Option<&str>,
    not_after: Option<&str>,
) -> Result<(OffsetDateTime, OffsetDateTime)> {
    let parse = |name: &str, s: &str| {
        OffsetDateTime::parse(s, &Rfc3339).map_err(|_| {
            Error::invalid(format!(
                "{name} '{s}' is not an RFC 3339 date such as 2027-01-31T00:00:00Z"
            ))
        })
    };
    let start = match not_before {
        Some(s) => parse("NotBefore", s)?,
        None => OffsetDateTime::now_utc(),
    };
    let (start, default_end) = build::default_validity(start);
    let end = match not_after {
        Some(s) => parse("NotAfter", s)?,
        None => default_end,
    };
    if end <= start {
        return Err(Error::invalid("NotAfter must be later than NotBefore"));
    }
    Ok((start, end))
}

fn parse_hex(text: &str) -> Result<Vec<u8>> {
    let clean: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != ':')
        .collect();
    if clean.is_empty()
        || !clean.len().is_multiple_of(2)
        || clean.len() > 128
        || !clean.chars().all(|c| c.is_ascii_hexdigit())
    {
        return Err(Error::invalid(format!(
            "SubjectKeyIdentifier '{text}' is not an even number of hexadecimal digits (at most 64 bytes)"
        )));
    }
    Ok((0..clean.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&clean[i..i + 2], 16).unwrap_or(0))
        .collect())
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_default()
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// An entry as the cmdlets show it.
pub fn describe(
    server: &ServerStore,
    mut entry: Entry,
    assignments: &Assignments,
    warning_days: u32,
    trust: &Trust,
) -> Result<ExchangeCertificate> {
    let now = OffsetDateTime::now_utc();
    let services = assignments.services_of(&entry.thumbprint);
    let mut c = ExchangeCertificate {
        identity: format!("{}\\{}", server.name(), entry.thumbprint),
        server: server.name().to_string(),
        thumbprint: entry.thumbprint.clone(),
        services: services.to_string(),
        services_string_form: services.string_form(),
        friendly_name: entry.metadata.friendly_name.clone(),
        has_private_key: entry.has_private_key,
        private_key_exportable: entry.has_private_key && entry.metadata.private_key_exportable,
        live_files: server.live_files_of(assignments, &entry.thumbprint),
        ..Default::default()
    };
    match &entry.certificate {
        Some(der) => {
            // Read once when the listing index was written; a clone is far cheaper than parsing.
            let info = match entry.certificate_info.take() {
                Some(info) => info,
                None => CertificateInfo::from_der(der)?,
            };
            // Ours are trusted where they were made, as Exchange shows its own (DESIGN §5).
            let (status, root) = if entry.metadata.source == Source::SelfSigned {
                let in_date = now >= info.not_before && now <= info.not_after;
                (
                    if in_date {
                        Status::Valid
                    } else {
                        Status::DateInvalid
                    },
                    RootCaType::None,
                )
            } else {
                let pool = [entry.chain.as_slice(), trust.intermediates.as_slice()].concat();
                chain::evaluate(der, &pool, &trust.anchors, now)
            };
            c.status = status.as_str().to_string();
            c.root_ca_type = root.as_str().to_string();
            c.subject = info.subject;
            c.issuer = info.issuer;
            c.not_before = rfc3339(info.not_before);
            c.not_after = rfc3339(info.not_after);
            c.days_until_expiry = (info.not_after - now).whole_days();
            c.expiry_warning = info.not_after - now < time::Duration::days(warning_days as i64);
            c.certificate_domains = info.dns_names.clone();
            c.dns_name_list = info.dns_names;
            // Ours are self-signed by construction; only others' self-issued ones need a check.
            c.is_self_signed = entry.metadata.source == Source::SelfSigned
                || (info.self_issued && crate::cert::inspect::self_signature_valid(der));
            c.serial_number = info.serial_number;
            c.public_key_size = info.public_key_size;
            c.key_algorithm = info.key_algorithm;
            c.signature_algorithm = info.signature_algorithm;
            c.subject_key_identifier = info.subject_key_identifier;
            c.enhanced_key_usage_list = info.enhanced_key_usage;
            c.version = info.version;
            c.raw_data = b64(der);
        }
        None => {
            let csr = entry.request.as_deref().unwrap_or_default();
            let info = RequestInfo::from_der(csr)?;
            c.status = "PendingRequest".to_string();
            c.root_ca_type = "Unknown".to_string();
            c.certificate_request = Some(b64(csr));
            c.subject = info.subject;
            c.certificate_domains = info.dns_names.clone();
            c.dns_name_list = info.dns_names;
            c.public_key_size = info.public_key_size;
            c.key_algorithm = info.key_algorithm;
            c.signature_algorithm = info.signature_algorithm;
            // A request has no validity yet; its creation time orders it among the others.
            c.not_before = rfc3339(entry.metadata.created);
            c.not_after = c.not_before.clone();
        }
    }
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::hex_upper;

    #[test]
    fn domain_filters_honour_wildcards_both_ways() {
        assert!(domain_matches("mail.contoso.com", "MAIL.contoso.com"));
        assert!(domain_matches("*.contoso.com", "mail.contoso.com"));
        assert!(domain_matches("mail.contoso.com", "*.contoso.com"));
        assert!(domain_matches("ma?l.contoso.com", "mail.contoso.com"));
        assert!(!domain_matches("a.b.contoso.com", "*.contoso.com"));
        assert!(!domain_matches("mail.fabrikam.com", "*.contoso.com"));
        assert!(!domain_matches("mail.contoso.com", "mail.contoso.com.evil"));
    }

    #[test]
    fn single_holder_services_move_and_smtp_default_needs_force() {
        let mut a = Assignments::default();
        assign(&mut a, "A", Services::parse("IIS,SMTP").unwrap(), false).unwrap();
        assert_eq!(a.default_smtp.as_deref(), Some("A"));
        let e = assign(&mut a, "B", Services::parse("IIS,SMTP").unwrap(), false).unwrap_err();
        assert_eq!(e.code, Code::ConfirmationRequired);
        assert_eq!(
            a.services_of("A"),
            Services(24),
            "a refusal changes nothing"
        );
        assign(&mut a, "B", Services::IIS, false).unwrap();
        assert_eq!(a.services_of("A"), Services::SMTP);
        assert_eq!(a.services_of("B"), Services::IIS);
        let w = assign(&mut a, "B", Services::SMTP, true).unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(a.services_of("A"), Services::SMTP, "SMTP has many holders");
        assert_eq!(a.default_smtp.as_deref(), Some("B"));
        assert_eq!(
            assign(&mut a, "C", Services::FEDERATION, true)
                .unwrap_err()
                .code,
            Code::ServiceRefused
        );
    }

    #[test]
    fn friendly_names_are_checked() {
        assert_eq!(friendly_name(None).unwrap(), "Microsoft Exchange");
        assert!(friendly_name(Some(&"x".repeat(63))).is_ok());
        assert!(friendly_name(Some(&"x".repeat(64)))
            .unwrap_err()
            .message
            .contains("at most 63"));
        assert!(friendly_name(Some("a\nb")).is_err());
    }

    #[test]
    fn hex_is_checked() {
        assert_eq!(parse_hex("0a:FF 10").unwrap(), vec![10, 255, 16]);
        assert!(parse_hex("abc").is_err());
        assert!(parse_hex("zz").is_err());
        assert_eq!(hex_upper(&[1, 0xab]), "01AB");
    }
}
