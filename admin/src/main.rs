//! `excert-admin`: the web admin center over the certificate store the cmdlets use. It prints
//! the sign-in URL on the first line of standard output and serves HTTPS only.

mod api;
mod args;
mod input;
mod session;
mod tls;
mod view;
mod web;

use hyper_util::rt::{TokioIo, TokioTimer};
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Connections served at once; more wait for a free slot.
const MAX_CONNECTIONS: usize = 256;
/// A client that does not finish its TLS handshake or request headers in this time is dropped.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// What every request handler shares.
pub struct App {
    /// `--store`; None is the cmdlets' default store.
    pub store: Option<String>,
    pub auth: session::Auth,
    /// This host's server name, the default of the server pickers.
    pub this_server: String,
}

impl App {
    /// Records a change in the server's audit trail. A failure to record is reported on
    /// standard error; the change itself is done and stays done.
    pub fn record(&self, server: &str, thumbprint: &str, action: &str, detail: &str) {
        if let Err(e) = excert::store::audit::record(
            self.store.as_deref(),
            Some(server),
            &self.auth.admin,
            action,
            thumbprint,
            detail,
        ) {
            eprintln!(
                "excert-admin: could not record '{action}' on {server} in the audit trail: {e}"
            );
        }
    }
}

fn main() {
    let options = match args::parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("excert-admin: cannot start: {e}");
            std::process::exit(1);
        }
    };
    if let Err(message) = runtime.block_on(run(options)) {
        eprintln!("excert-admin: {message}");
        std::process::exit(1);
    }
}

async fn run(options: args::Options) -> Result<(), String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (tls, identity) = tls::server_config(options.tls_files.as_ref(), options.store.as_deref())?;
    let listener = TcpListener::bind(options.listen).await.map_err(|e| {
        format!(
            "cannot listen on {}: {e} (choose another with --listen)",
            options.listen
        )
    })?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let token = session::random_token();
    let app = Arc::new(App {
        store: options.store.clone(),
        auth: session::Auth::new(
            token.clone(),
            Duration::from_secs(options.idle_minutes * 60),
            excert::ffi::account(),
        ),
        this_server: excert::cert::host::HostNames::local().name,
    });
    let host = match local.ip() {
        std::net::IpAddr::V4(ip) if ip.is_loopback() => "localhost".to_string(),
        std::net::IpAddr::V6(ip) if ip.is_loopback() => "localhost".to_string(),
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "https://{host}:{}/signin?token={token}", local.port());
    let _ = match identity {
        tls::Identity::Files => writeln!(out, "excert-admin: serving HTTPS with the --cert/--key files"),
        tls::Identity::Store { thumbprint, created } => writeln!(
            out,
            "excert-admin: serving HTTPS with {} self-signed certificate {thumbprint} ('{}' in the store; browsers ask to trust it once)",
            if created { "the new" } else { "the kept" },
            tls::ADMIN_FRIENDLY_NAME
        ),
    };
    if !local.ip().is_loopback() {
        let _ = writeln!(out, "excert-admin: listening on {local}, not only on this host: anyone who can reach it can try to sign in");
    }
    let _ = out.flush();
    drop(out);
    serve(
        listener,
        tokio_rustls::TlsAcceptor::from(tls),
        web::router(app),
    )
    .await
}

async fn serve(
    listener: TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    router: axum::Router,
) -> Result<(), String> {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let permit = slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| e.to_string())?;
        let (tcp, _) = match listener.accept().await {
            Ok(c) => c,
            Err(_) => continue,
        };
        let (acceptor, router) = (acceptor.clone(), router.clone());
        tokio::spawn(async move {
            let _permit = permit;
            let Ok(Ok(tls)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await
            else {
                return;
            };
            let service = hyper_util::service::TowerToHyperService::new(router);
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HANDSHAKE_TIMEOUT)
                .serve_connection(TokioIo::new(tls), service)
                .await;
        });
    }
}
