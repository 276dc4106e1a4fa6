//! The JSON API behind the pages. Each handler converts a request into the core's operation
//! (`excert::ops`) and its answer into JSON; no certificate logic lives here.

use crate::input;
use crate::view::Row;
use crate::App;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use excert::model::{
    EnableRequest, ExportFormat, ExportRequest, ImportRequest, ListRequest, NewCertificateRequest,
    RemoveRequest, RenewRequest, ThumbprintRequest,
};
use excert::store::audit::action;
use excert::{Code, Error};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::Arc;
use zeroize::Zeroize;

/// Servers one change may address at once.
const MAX_SERVERS: usize = 100;

/// A core error as an HTTP answer: the status says who is at fault, the body names the
/// problem and the fix (messages never hold secrets).
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        ApiError(e)
    }
}

pub fn status_of(code: Code) -> StatusCode {
    match code {
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists
        | Code::InUse
        | Code::Expired
        | Code::ConfirmationRequired
        | Code::ServiceRefused
        | Code::PendingRequest
        | Code::NoPrivateKey
        | Code::NotExportable => StatusCode::CONFLICT,
        Code::StoreLocked => StatusCode::SERVICE_UNAVAILABLE,
        Code::StoreIo | Code::StorePermissions | Code::StoreCorrupt => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
        Code::Internal | Code::Panic => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::BAD_REQUEST,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({ "Name": self.0.code.name(), "Message": self.0.message });
        (status_of(self.0.code), Json(body)).into_response()
    }
}

type ApiResult<T> = Result<T, ApiError>;

/// Runs a core operation (file I/O, key generation) off the async workers.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> excert::Result<T> + Send + 'static,
) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| {
            ApiError(Error::new(
                Code::Internal,
                "the operation stopped unexpectedly",
            ))
        })?
        .map_err(ApiError)
}

fn store_root(app: &App) -> Option<String> {
    app.store.clone()
}

fn servers_of(list: Vec<String>) -> ApiResult<Vec<String>> {
    let list: Vec<String> = list
        .into_iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if list.is_empty() {
        return Err(Error::invalid("choose at least one server").into());
    }
    if list.len() > MAX_SERVERS {
        return Err(Error::invalid(format!("at most {MAX_SERVERS} servers at once")).into());
    }
    Ok(list)
}

/// The outcome on one server of a change made on several.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Outcome {
    server: String,
    ok: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    certificates: Vec<Row>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
    warnings: Vec<String>,
}

impl Outcome {
    fn of(server: String, r: excert::Result<(Vec<Row>, Vec<String>)>) -> Outcome {
        match r {
            Ok((certificates, warnings)) => Outcome {
                server,
                ok: true,
                certificates,
                name: None,
                message: None,
                warnings,
            },
            Err(e) => Outcome {
                server,
                ok: false,
                certificates: Vec::new(),
                name: Some(e.code.name()),
                message: Some(e.message),
                warnings: Vec::new(),
            },
        }
    }
}

/// `GET /api/session`: the CSRF token for changes, who is signed in, and the servers.
pub async fn session(
    State(app): State<Arc<App>>,
    Extension(signed): Extension<crate::session::Signed>,
) -> ApiResult<Json<Value>> {
    let root = store_root(&app);
    let this = app.this_server.clone();
    let servers = blocking(move || {
        let store = excert::store::Store::open(root.as_deref())?;
        let mut names: Vec<String> = store
            .servers()?
            .iter()
            .map(|s| s.name().to_string())
            .collect();
        if !names.contains(&this) {
            names.push(this);
            names.sort();
        }
        Ok(names)
    })
    .await?;
    Ok(Json(json!({
        "Csrf": signed.csrf,
        "Admin": app.auth.admin,
        "ThisServer": app.this_server,
        "Servers": servers,
    })))
}

#[derive(Deserialize)]
pub struct ListQuery {
    server: Option<String>,
    warn: Option<u32>,
}

/// `GET /api/certificates?server=NAME|*&warn=DAYS`: the list, every server by default.
pub async fn list(
    State(app): State<Arc<App>>,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<Value>> {
    let req = ListRequest {
        store_root: store_root(&app),
        server: Some(
            q.server
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "*".into()),
        ),
        expiry_warning_days: q.warn,
        ..Default::default()
    };
    let answer = blocking(move || excert::ops::list_certificates(&req)).await?;
    let rows: Vec<Row> = answer.certificates.into_iter().map(Row::from).collect();
    Ok(Json(
        json!({ "Certificates": rows, "Warnings": answer.warnings }),
    ))
}

#[derive(Deserialize)]
pub struct NotificationQuery {
    days: Option<u32>,
}

/// `GET /api/notifications?days=N`: certificates on any server that expire within N days
/// (default 30) or have expired.
pub async fn notifications(
    State(app): State<Arc<App>>,
    Query(q): Query<NotificationQuery>,
) -> ApiResult<Json<Value>> {
    let days = q.days.unwrap_or(excert::ops::DEFAULT_EXPIRY_WARNING_DAYS);
    if days > 3650 {
        return Err(Error::invalid("the notification threshold is at most 3650 days").into());
    }
    let req = ListRequest {
        store_root: store_root(&app),
        server: Some("*".into()),
        expiry_warning_days: Some(days),
        expiring_within_days: Some(days),
        ..Default::default()
    };
    let answer = blocking(move || excert::ops::list_certificates(&req)).await?;
    let mut rows: Vec<Row> = answer
        .certificates
        .into_iter()
        .filter(|c| !c.is_pending())
        .map(Row::from)
        .collect();
    rows.sort_by_key(|r| r.days_until_expiry);
    Ok(Json(json!({ "Days": days, "Certificates": rows })))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CreateBody {
    friendly_name: Option<String>,
    servers: Vec<String>,
    #[serde(default)]
    domain_name: Vec<String>,
    subject_name: Option<String>,
    services: Option<String>,
    #[serde(default)]
    private_key_exportable: bool,
    key_algorithm: Option<String>,
    key_size: Option<u32>,
    #[serde(default)]
    force: bool,
    /// The answer No to the default SMTP question: keep the default, still add this one.
    #[serde(default, rename = "KeepDefaultSMTP")]
    keep_default_smtp: bool,
}

/// `POST /api/certificates`: a self-signed certificate on each chosen server. A server whose
/// default SMTP certificate would be replaced answers `ConfirmationRequired`; the page asks,
/// then repeats for those servers with `Force`.
pub async fn create(
    State(app): State<Arc<App>>,
    Json(body): Json<CreateBody>,
) -> ApiResult<Json<Value>> {
    let servers = servers_of(body.servers.clone())?;
    let subject_name = input::subject(body.subject_name.as_deref())?;
    let key_algorithm = input::key_algorithm(body.key_algorithm.as_deref())?;
    let services = input::services(body.services.as_deref())?;
    let mut outcomes = Vec::new();
    for server in servers {
        let req = NewCertificateRequest {
            store_root: store_root(&app),
            server: Some(server.clone()),
            subject_name: subject_name.clone(),
            domain_name: body.domain_name.clone(),
            friendly_name: body.friendly_name.clone().filter(|s| !s.trim().is_empty()),
            key_size: body.key_size,
            key_algorithm,
            private_key_exportable: body.private_key_exportable,
            services,
            force: body.force,
            keep_default_smtp: body.keep_default_smtp,
            ..Default::default()
        };
        let r = blocking(move || excert::ops::new_certificate(&req))
            .await
            .map_err(|e| e.0);
        if let Ok(a) = &r {
            app.record(
                &server,
                &a.certificate.thumbprint,
                action::NEW_SELF_SIGNED,
                &a.certificate.services.to_string(),
            );
        }
        outcomes.push(Outcome::of(
            server,
            r.map(|a| (vec![Row::from(a.certificate)], a.warnings)),
        ));
    }
    Ok(Json(json!({ "Results": outcomes })))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct RequestBody {
    friendly_name: Option<String>,
    server: String,
    subject_name: String,
    #[serde(default)]
    domain_name: Vec<String>,
    #[serde(default)]
    private_key_exportable: bool,
    key_algorithm: Option<String>,
    key_size: Option<u32>,
}

/// `POST /api/requests`: a certificate request for a CA, kept as a pending request; the answer
/// carries the PKCS#10 for the page to download.
pub async fn request(
    State(app): State<Arc<App>>,
    Json(body): Json<RequestBody>,
) -> ApiResult<Json<Value>> {
    let server = servers_of(vec![body.server])?.remove(0);
    let req = NewCertificateRequest {
        store_root: store_root(&app),
        server: Some(server.clone()),
        subject_name: input::subject(Some(&body.subject_name))?,
        domain_name: body.domain_name,
        friendly_name: body.friendly_name.filter(|s| !s.trim().is_empty()),
        key_size: body.key_size,
        key_algorithm: input::key_algorithm(body.key_algorithm.as_deref())?,
        private_key_exportable: body.private_key_exportable,
        ..Default::default()
    };
    let a = blocking(move || excert::ops::new_request(&req)).await?;
    app.record(&server, &a.certificate.thumbprint, action::NEW_REQUEST, "");
    Ok(Json(json!({
        "Request": a.pem(),
        "Certificate": Row::from(a.certificate),
        "Warnings": a.warnings,
    })))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ImportBody {
    servers: Vec<String>,
    /// Base64 of the uploaded file.
    file_data: String,
    password: Option<String>,
    private_key_exportable: Option<bool>,
    friendly_name: Option<String>,
}

/// `POST /api/import`: a PFX, a certificate or a chain onto each chosen server; a CA's answer
/// completes the pending request whose key it matches.
pub async fn import(
    State(app): State<Arc<App>>,
    Json(mut body): Json<ImportBody>,
) -> ApiResult<Json<Value>> {
    let password = body.password.take().filter(|p| !p.is_empty());
    let file = input::file_data(&body.file_data);
    body.file_data.zeroize();
    let result = match (servers_of(std::mem::take(&mut body.servers)), file) {
        (Ok(servers), Ok(file)) => {
            Ok(import_each(&app, servers, &body, &file, password.as_deref()).await)
        }
        (Err(e), _) => Err(e),
        (_, Err(e)) => Err(e.into()),
    };
    if let Some(mut p) = password {
        p.zeroize();
    }
    Ok(Json(json!({ "Results": result? })))
}

async fn import_each(
    app: &Arc<App>,
    servers: Vec<String>,
    body: &ImportBody,
    file: &[u8],
    password: Option<&str>,
) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    for server in servers {
        let req = ImportRequest {
            store_root: store_root(app),
            server: Some(server.clone()),
            file_data: file.to_vec(),
            private_key_exportable: body.private_key_exportable,
            friendly_name: body.friendly_name.clone().filter(|s| !s.trim().is_empty()),
            trusted_root: false,
        };
        let secret = password.map(|p| zeroize::Zeroizing::new(p.as_bytes().to_vec()));
        let r = blocking(move || {
            let mut req = req;
            let r = excert::ops::import(&req, secret.as_deref().map(|s| s.as_slice()));
            req.file_data.zeroize();
            r
        })
        .await
        .map_err(|e| e.0);
        if let Ok(a) = &r {
            for c in &a.certificates {
                app.record(&server, &c.thumbprint, action::IMPORT, c.status.as_str());
            }
        }
        outcomes.push(Outcome::of(
            server,
            r.map(|a| {
                (
                    a.certificates.into_iter().map(Row::from).collect(),
                    a.warnings,
                )
            }),
        ));
    }
    outcomes
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct EnableBody {
    server: String,
    thumbprint: String,
    services: String,
    #[serde(default)]
    force: bool,
    #[serde(default, rename = "KeepDefaultSMTP")]
    keep_default_smtp: bool,
}

/// `POST /api/enable`: assigns services with Exchange's rules (`ConfirmationRequired` when the
/// default SMTP certificate would change).
pub async fn enable(
    State(app): State<Arc<App>>,
    Json(body): Json<EnableBody>,
) -> ApiResult<Json<Value>> {
    let server = body.server.clone();
    let services = input::services(Some(&body.services))?.unwrap_or_default();
    let req = EnableRequest {
        store_root: store_root(&app),
        server: Some(body.server),
        thumbprint: body.thumbprint,
        services,
        force: body.force,
        keep_default_smtp: body.keep_default_smtp,
        ..Default::default()
    };
    let a = blocking(move || excert::ops::enable(&req)).await?;
    app.record(
        &server,
        &a.certificate.thumbprint,
        action::ASSIGN_SERVICES,
        &services.to_string(),
    );
    Ok(Json(json!({
        "Certificate": Row::from(a.certificate),
        "Warnings": a.warnings,
    })))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct TargetBody {
    server: String,
    thumbprint: String,
    #[serde(default)]
    force: bool,
    #[serde(default, rename = "KeepDefaultSMTP")]
    keep_default_smtp: bool,
}

/// `POST /api/renew`: a self-signed certificate renews in one step; a CA-issued one gives a
/// new request (with a new key) to send to the CA.
pub async fn renew(
    State(app): State<Arc<App>>,
    Json(body): Json<TargetBody>,
) -> ApiResult<Json<Value>> {
    let server = body.server.clone();
    let root = store_root(&app);
    let (get, renew_req) = (
        ThumbprintRequest {
            store_root: root.clone(),
            server: Some(body.server.clone()),
            thumbprint: body.thumbprint.clone(),
        },
        RenewRequest {
            store_root: root,
            server: Some(body.server),
            thumbprint: body.thumbprint,
            force: body.force,
            keep_default_smtp: body.keep_default_smtp,
            ..Default::default()
        },
    );
    let renewed = blocking(move || {
        let old = excert::ops::get_certificate(&get)?.certificate;
        let mut req = renew_req;
        req.generate_request = !old.is_self_signed;
        excert::ops::renew(&req)
    })
    .await?;
    Ok(Json(match renewed {
        excert::ops::Renewed::Certificate(a) => {
            app.record(
                &server,
                &a.certificate.thumbprint,
                action::RENEW_SELF_SIGNED,
                &a.certificate.services.to_string(),
            );
            json!({ "Certificate": Row::from(a.certificate), "Warnings": a.warnings })
        }
        excert::ops::Renewed::Request(a) => {
            app.record(
                &server,
                &a.certificate.thumbprint,
                action::RENEW_REQUEST,
                "",
            );
            json!({ "Request": a.pem(), "Certificate": Row::from(a.certificate), "Warnings": a.warnings })
        }
    }))
}

/// `POST /api/remove`: deletes a certificate or pending request; one in use is refused with
/// the reason.
pub async fn remove(
    State(app): State<Arc<App>>,
    Json(body): Json<TargetBody>,
) -> ApiResult<Json<Value>> {
    let server = body.server.clone();
    let thumbprint = body.thumbprint.clone();
    let req = RemoveRequest {
        store_root: store_root(&app),
        server: Some(body.server),
        thumbprint: body.thumbprint,
        force: false,
    };
    let a = blocking(move || excert::ops::remove(&req)).await?;
    app.record(&server, &thumbprint.to_uppercase(), action::DELETE, "");
    Ok(Json(
        json!({ "Identity": a.identity(), "Warnings": a.warnings }),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct ExportBody {
    server: String,
    thumbprint: String,
    password: String,
    encryption: Option<String>,
}

/// `POST /api/export`: a PFX with the private key, protected by the password in the body.
pub async fn export_pfx(
    State(app): State<Arc<App>>,
    Json(mut body): Json<ExportBody>,
) -> ApiResult<Response> {
    // The password leaves the body first, so every refusal below still zeroes it.
    let secret = zeroize::Zeroizing::new(body.password.as_bytes().to_vec());
    body.password.zeroize();
    if secret.is_empty() {
        return Err(
            Error::invalid("enter a password to protect the PFX file's private key").into(),
        );
    }
    let encryption = input::encryption(body.encryption.as_deref())?;
    let server = body.server.clone();
    let thumbprint = body.thumbprint.clone();
    let req = ExportRequest {
        store_root: store_root(&app),
        server: Some(body.server),
        thumbprint: body.thumbprint,
        encryption,
        force: false,
    };
    let mut a = blocking(move || excert::ops::export(&req, Some(&secret))).await?;
    // The response body owns the bytes from here; the answer's copy is zeroed when dropped.
    let bytes = std::mem::take(&mut *a.file_data);
    app.record(
        &server,
        &thumbprint.to_uppercase(),
        action::EXPORT_PFX,
        encryption.name(),
    );
    Ok(download(
        bytes,
        "application/x-pkcs12",
        &format!("{}.pfx", file_stem(&thumbprint)),
    ))
}

#[derive(Deserialize)]
pub struct FileQuery {
    server: String,
    thumbprint: String,
}

/// `GET /api/file?server=&thumbprint=`: a pending request as its PKCS#10 (`.req`), or a
/// certificate without its key (`.cer`, PEM).
pub async fn export_file(
    State(app): State<Arc<App>>,
    Query(q): Query<FileQuery>,
) -> ApiResult<Response> {
    let req = ExportRequest {
        store_root: store_root(&app),
        server: Some(q.server),
        thumbprint: q.thumbprint.clone(),
        encryption: Default::default(),
        force: true,
    };
    let a = blocking(move || excert::ops::export(&req, None)).await?;
    let ext = if a.format == ExportFormat::CertificateRequest {
        "req"
    } else {
        "cer"
    };
    Ok(download(
        a.text().as_bytes().to_vec(),
        "application/octet-stream",
        &format!("{}.{ext}", file_stem(&q.thumbprint)),
    ))
}

fn file_stem(thumbprint: &str) -> String {
    thumbprint
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(40)
        .collect()
}

fn download(bytes: Vec<u8>, content_type: &str, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Deserialize)]
pub struct HistoryQuery {
    server: String,
    thumbprint: String,
}

/// `GET /api/history?server=&thumbprint=`: the recorded changes of one certificate.
pub async fn history(
    State(app): State<Arc<App>>,
    Query(q): Query<HistoryQuery>,
) -> ApiResult<Json<Value>> {
    let root = store_root(&app);
    let events = blocking(move || {
        excert::store::audit::history(root.as_deref(), &q.server, Some(&q.thumbprint))
    })
    .await?;
    Ok(Json(json!({ "Events": events })))
}
