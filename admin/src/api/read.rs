//! Reading: the session, the certificate list, notifications and a certificate's history.

use super::*;

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

/// `GET /api/history?server=&thumbprint=`: the recorded changes of one certificate.
pub async fn history(
    State(app): State<Arc<App>>,
    Query(q): Query<CertificateQuery>,
) -> ApiResult<Json<Value>> {
    let root = store_root(&app);
    let events = blocking(move || {
        excert::store::audit::history(root.as_deref(), &q.server, Some(&q.thumbprint))
    })
    .await?;
    Ok(Json(json!({ "Events": events })))
}
