//! Command-line options of `excert-admin`.

use std::net::SocketAddr;
use std::path::PathBuf;

/// The port the admin center listens on unless `--listen` says otherwise.
pub const DEFAULT_PORT: u16 = 7443;

/// What the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--store DIR`; None is the cmdlets' default store.
    pub store: Option<String>,
    pub listen: SocketAddr,
    /// `--cert FILE` and `--key FILE` (PEM), given together or not at all.
    pub tls_files: Option<(PathBuf, PathBuf)>,
    /// `--idle-minutes N`: a session unused this long signs out.
    pub idle_minutes: u64,
}

pub const USAGE: &str = "usage: excert-admin [--store DIR] [--listen ADDRESS:PORT] [--cert FILE --key FILE] [--idle-minutes N]

  --store DIR            the certificate store (default: $EXCERT_STORE, else the per-user folder the cmdlets use)
  --listen ADDRESS:PORT  where to serve HTTPS (default 127.0.0.1:7443; port 0 picks a free one)
  --cert FILE --key FILE PEM certificate chain and private key to serve with (default: a self-signed
                         certificate the admin center makes once and keeps in the store)
  --idle-minutes N       sign a session out after N idle minutes (default 15)

Prints the sign-in URL (with its one-time token) on the first line of standard output.";

/// Parses the arguments after the program name.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut store = None;
    let mut listen = SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT));
    let (mut cert, mut key) = (None, None);
    let mut idle_minutes = 15;
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .filter(|v| !v.is_empty())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match arg.as_str() {
            "--store" => store = Some(value("--store")?),
            "--listen" => {
                let v = value("--listen")?;
                listen = v.parse().map_err(|_| {
                    format!("--listen '{v}' is not ADDRESS:PORT (for example 127.0.0.1:7443 or [::1]:7443)")
                })?;
            }
            "--cert" => cert = Some(PathBuf::from(value("--cert")?)),
            "--key" => key = Some(PathBuf::from(value("--key")?)),
            "--idle-minutes" => {
                let v = value("--idle-minutes")?;
                idle_minutes = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=1440).contains(n))
                    .ok_or_else(|| {
                        format!("--idle-minutes '{v}' must be a number from 1 to 1440")
                    })?;
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument '{other}'\n{USAGE}")),
        }
    }
    let tls_files = match (cert, key) {
        (Some(c), Some(k)) => Some((c, k)),
        (None, None) => None,
        _ => return Err("--cert and --key go together: give both, or neither".into()),
    };
    Ok(Options {
        store,
        listen,
        tls_files,
        idle_minutes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(args: &[&str]) -> Result<Options, String> {
        parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_are_loopback_and_the_fixed_port() {
        let o = p(&[]).unwrap();
        assert_eq!(o.listen.to_string(), "127.0.0.1:7443");
        assert_eq!(o.store, None);
        assert_eq!(o.idle_minutes, 15);
    }

    #[test]
    fn options_are_read_and_bad_ones_named() {
        let o = p(&[
            "--store", "s", "--listen", "[::1]:0", "--cert", "c", "--key", "k",
        ])
        .unwrap();
        assert_eq!(o.store.as_deref(), Some("s"));
        assert_eq!(o.listen.to_string(), "[::1]:0");
        assert!(o.tls_files.is_some());
        assert!(p(&["--cert", "c"]).unwrap_err().contains("go together"));
        assert!(p(&["--listen", "localhost"])
            .unwrap_err()
            .contains("ADDRESS:PORT"));
        assert!(p(&["--bogus"]).unwrap_err().contains("unknown argument"));
        assert!(p(&["--store"]).unwrap_err().contains("needs a value"));
    }
}
