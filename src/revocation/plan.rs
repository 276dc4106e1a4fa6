//! Where a certificate's revocation can be asked: its OCSP responders (Authority Information
//! Access) and CRL Distribution Points, with the locations we cannot use noted.

use x509_parser::extensions::{DistributionPointName, GeneralName, ParsedExtension};
use x509_parser::prelude::X509Certificate;

use super::escape;
use super::fetch::{scheme, Scheme};

const OID_AD_OCSP: &str = "1.3.6.1.5.5.7.48.1";
/// More locations than any real certificate has are ignored.
const MAX_URLS: usize = 8;
/// A URL longer than this is not one a CA would publish.
const MAX_URL_LEN: usize = 2048;

/// What revocation checking needs of a certificate, read once (`LeafFacts::of`) so that a
/// listing that has just parsed a leaf to build its path does not parse it again.
#[derive(Debug, Clone)]
pub struct LeafFacts {
    /// The serial number (INTEGER content octets).
    pub serial: Vec<u8>,
    pub is_ca: bool,
    pub sources: Sources,
}

impl LeafFacts {
    pub fn of(cert: &X509Certificate) -> LeafFacts {
        LeafFacts {
            serial: cert.raw_serial().to_vec(),
            is_ca: super::crl::is_ca(cert),
            sources: Sources::of(cert),
        }
    }
}

/// A certificate's revocation sources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sources {
    /// `http://` OCSP responders.
    pub ocsp: Vec<String>,
    /// `http://` and `file://` CRL locations.
    pub crl: Vec<String>,
    /// Notes about the locations skipped (other schemes).
    pub skipped: Vec<String>,
}

impl Sources {
    /// The sources a certificate names.
    pub fn of(cert: &X509Certificate) -> Sources {
        let mut s = Sources::default();
        for ext in cert.extensions() {
            match ext.parsed_extension() {
                ParsedExtension::AuthorityInfoAccess(aia) => {
                    for ad in &aia.accessdescs {
                        if ad.access_method.to_id_string() != OID_AD_OCSP {
                            continue;
                        }
                        if let GeneralName::URI(uri) = &ad.access_location {
                            s.add(uri, true);
                        }
                    }
                }
                ParsedExtension::CRLDistributionPoints(points) => {
                    for point in points.iter() {
                        if let Some(DistributionPointName::FullName(names)) =
                            &point.distribution_point
                        {
                            for name in names {
                                if let GeneralName::URI(uri) = name {
                                    s.add(uri, false);
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// True when there is nothing to ask.
    pub fn is_empty(&self) -> bool {
        self.ocsp.is_empty() && self.crl.is_empty()
    }

    fn add(&mut self, uri: &str, ocsp: bool) {
        let what = if ocsp {
            "OCSP responder"
        } else {
            "CRL location"
        };
        if uri.len() > MAX_URL_LEN || uri.chars().any(char::is_control) {
            self.skipped.push(format!(
                "{what} {}… skipped: not a usable URL",
                escape(&uri[..uri.len().min(80)])
            ));
            return;
        }
        let usable = match scheme(uri) {
            Some(Scheme::Http) => true,
            Some(Scheme::File) => !ocsp,
            None => false,
        };
        let list = if ocsp { &mut self.ocsp } else { &mut self.crl };
        if !usable {
            self.skipped.push(format!(
                "{what} {uri} skipped: only http:// (and file:// for CRLs) are used"
            ));
        } else if list.len() < MAX_URLS && !list.iter().any(|u| u == uri) {
            list.push(uri.to_string());
        }
    }
}
