//! Routes, security headers, sign-in and the embedded static assets.

use crate::session::SignInRefusal;
use crate::{api, App};
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use rust_embed::Embed;
use serde::Deserialize;
use std::sync::Arc;

/// The largest request body accepted (uploads arrive Base64 in JSON).
pub const MAX_BODY: usize = 4 << 20;
const COOKIE: &str = "excert_session";
const CSRF_HEADER: &str = "x-csrf-token";
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

#[derive(Embed)]
#[folder = "assets/"]
struct Assets;

/// The whole application.
pub fn router(app: Arc<App>) -> Router {
    let api = Router::new()
        .route("/session", get(api::session))
        .route("/certificates", get(api::list).post(api::create))
        .route("/notifications", get(api::notifications))
        .route("/requests", post(api::request))
        .route("/import", post(api::import))
        .route("/enable", post(api::enable))
        .route("/renew", post(api::renew))
        .route("/remove", post(api::remove))
        .route("/export", post(api::export_pfx))
        .route("/file", get(api::export_file))
        .route("/history", get(api::history))
        .route("/signout", post(sign_out))
        .layer(middleware::from_fn_with_state(app.clone(), require_session));
    Router::new()
        .route("/", get(index))
        .route("/signin", get(sign_in))
        .route("/assets/*path", get(asset))
        .nest("/api", api)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn(security_headers))
        .with_state(app)
}

fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.to_string())
}

fn plain(status: StatusCode, text: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text.to_string(),
    )
        .into_response()
}

/// Every answer: a strict CSP (no inline script), no sniffing, no framing, no referrer (the
/// sign-in URL carries the token), and no caching of API answers.
async fn security_headers(req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::STRICT_TRANSPORT_SECURITY,
        HeaderValue::from_static("max-age=31536000"),
    );
    if api && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// API calls need a live session; changes also need the session's CSRF token in a header
/// (a cross-site form cannot set one).
async fn require_session(State(app): State<Arc<App>>, mut req: Request, next: Next) -> Response {
    let Some(signed) = cookie_value(req.headers()).and_then(|c| app.auth.session(&c)) else {
        return plain(
            StatusCode::UNAUTHORIZED,
            "not signed in (or the session was idle too long): open the sign-in URL excert-admin printed",
        );
    };
    if req.method() != Method::GET && req.method() != Method::HEAD {
        let offered = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !crate::session::same(offered, &signed.csrf) {
            return plain(
                StatusCode::FORBIDDEN,
                "the change was refused: its CSRF token is missing or wrong (reload the page)",
            );
        }
    }
    req.extensions_mut().insert(signed);
    next.run(req).await
}

#[derive(Deserialize)]
struct SignInQuery {
    token: Option<String>,
}

async fn sign_in(State(app): State<Arc<App>>, Query(q): Query<SignInQuery>) -> Response {
    match app.auth.sign_in(q.token.as_deref()) {
        Ok(cookie) => {
            let mut res = Redirect::to("/").into_response();
            let value = format!("{COOKIE}={cookie}; Path=/; HttpOnly; Secure; SameSite=Strict");
            if let Ok(v) = HeaderValue::from_str(&value) {
                res.headers_mut().insert(header::SET_COOKIE, v);
            }
            res
        }
        Err(SignInRefusal::BadToken) => plain(
            StatusCode::UNAUTHORIZED,
            "sign-in refused: the token is missing or wrong. Open the exact sign-in URL excert-admin printed",
        ),
        Err(SignInRefusal::NoTokenLeft) => plain(
            StatusCode::UNAUTHORIZED,
            "sign-in refused: the sign-in URL was used already (or too many wrong tokens were tried). Restart excert-admin for a new one",
        ),
    }
}

async fn sign_out(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    if let Some(c) = cookie_value(&headers) {
        app.auth.sign_out(&c);
    }
    let mut res = StatusCode::NO_CONTENT.into_response();
    let value = format!("{COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

async fn index(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let signed = cookie_value(&headers)
        .and_then(|c| app.auth.session(&c))
        .is_some();
    let (status, name) = if signed {
        (StatusCode::OK, "index.html")
    } else {
        (StatusCode::UNAUTHORIZED, "signed-out.html")
    };
    match Assets::get(name) {
        Some(f) => (
            status,
            [
                (header::CONTENT_TYPE, "text/html; charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            Body::from(f.data.into_owned()),
        )
            .into_response(),
        None => plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "page missing from the build",
        ),
    }
}

async fn asset(axum::extract::Path(path): axum::extract::Path<String>) -> Response {
    let Some(f) = Assets::get(&path) else {
        return plain(StatusCode::NOT_FOUND, "no such file");
    };
    let kind = match path.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("html") => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    };
    (
        [(header::CONTENT_TYPE, kind)],
        Body::from(f.data.into_owned()),
    )
        .into_response()
}
