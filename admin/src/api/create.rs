//! Adding certificates: self-signed on several servers, requests for a CA, imports.

use super::*;

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
            file_name: None,
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
