//! The JSON API behind the pages. Each handler converts a request into the core's operation
//! (`excert::ops`) and its answer into JSON; no certificate logic lives here. What every handler
//! shares is here; the handlers are grouped by task: reading (`read.rs`), adding certificates
//! (`create.rs`), changing them (`change.rs`) and downloads (`export.rs`).

mod change;
mod create;
mod export;
mod read;

pub use change::*;
pub use create::*;
pub use export::*;
pub use read::*;

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
/// `?server=&thumbprint=`: the one certificate a read or a download is about.
#[derive(Deserialize)]
pub struct CertificateQuery {
    server: String,
    thumbprint: String,
}

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
