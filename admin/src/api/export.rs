//! Downloads: a PFX, a certificate or a pending request as a file.

use super::*;

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
        file_name: None,
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

/// `GET /api/file?server=&thumbprint=`: a pending request as its PKCS#10 (`.req`), or a
/// certificate without its key (`.cer`, PEM).
pub async fn export_file(
    State(app): State<Arc<App>>,
    Query(q): Query<CertificateQuery>,
) -> ApiResult<Response> {
    let req = ExportRequest {
        store_root: store_root(&app),
        server: Some(q.server),
        thumbprint: q.thumbprint.clone(),
        encryption: Default::default(),
        force: true,
        file_name: None,
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
