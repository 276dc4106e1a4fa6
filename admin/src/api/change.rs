//! Changing certificates: services, renewal, deletion.

use super::*;

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
