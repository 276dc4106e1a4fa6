//! The system's bundle of trusted roots.

/// Bundle files of the common Unix layouts, first found wins (as OpenSSL's builds do).
const SYSTEM_BUNDLES: [&str; 5] = [
    "/etc/ssl/certs/ca-certificates.crt", // Debian, Ubuntu, Arch, Gentoo
    "/etc/pki/tls/certs/ca-bundle.crt",   // Fedora, RHEL
    "/etc/ssl/ca-bundle.pem",             // openSUSE
    "/etc/pki/tls/cacert.pem",            // OpenELEC
    "/etc/ssl/cert.pem",                  // macOS, Alpine, BSDs
];

/// The bundle's bytes: `SSL_CERT_FILE` when set, else the first system bundle found; None when
/// there is none or it cannot be read (then nothing is trusted but the organization's roots).
pub fn read() -> Option<Vec<u8>> {
    let path = match std::env::var_os("SSL_CERT_FILE") {
        Some(p) if !p.is_empty() => std::path::PathBuf::from(p),
        _ => SYSTEM_BUNDLES
            .iter()
            .map(std::path::PathBuf::from)
            .find(|p| p.is_file())?,
    };
    std::fs::read(path).ok()
}

const BEGIN: &[u8] = b"-----BEGIN CERTIFICATE-----";
const END: &[u8] = b"-----END CERTIFICATE-----";

/// The certificates (DER) of a bundle as distributions ship it: CERTIFICATE blocks without
/// headers, Base64 in lines, comments between blocks. None when the bundle holds anything else
/// (another label, headers, a block that does not decode): then the general PEM reader reads it.
///
/// A bundle holds public roots only, so nothing here is zeroed, one buffer serves every block
/// and no line numbers are counted: about half the cost of the general reader on the 220 KB
/// of Debian's bundle, which a PFX import reads for the imported certificate's Status.
pub fn certificates(bundle: &[u8]) -> Option<Vec<Vec<u8>>> {
    use base64::Engine;
    let begins = memchr::memmem::Finder::new(b"-----BEGIN ");
    let ends = memchr::memmem::Finder::new(END);
    let mut out = Vec::new();
    let mut base64 = Vec::with_capacity(4096);
    let mut at = 0;
    while let Some(found) = begins.find(&bundle[at..]) {
        let begin = at + found;
        if !bundle[begin..].starts_with(BEGIN) {
            return None;
        }
        let body = begin + BEGIN.len();
        let end = body + ends.find(&bundle[body..])?;
        let text = &bundle[body..end];
        // Headers (`Proc-Type: ...`) or another BEGIN inside: not this simple shape.
        if memchr::memchr2(b':', b'-', text).is_some() {
            return None;
        }
        base64.clear();
        let mut line_start = 0;
        for line_end in memchr::memchr_iter(b'\n', text).chain([text.len()]) {
            let line = text[line_start..line_end].trim_ascii();
            line_start = line_end + 1;
            // Flattened pastes put spaces or tabs where line breaks were; a lone CR ends a
            // line too. (Any other byte that is not Base64 fails the decoding: None.)
            if memchr::memchr3(b' ', b'\t', b'\r', line).is_some() {
                base64.extend(line.iter().copied().filter(|b| !b.is_ascii_whitespace()));
            } else {
                base64.extend_from_slice(line);
            }
        }
        out.push(crate::formats::text::LENIENT_BASE64.decode(&base64).ok()?);
        at = end + END.len();
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::pem;

    /// The lean reader gives what the general one gives, for the system's bundle and for the
    /// shapes it accepts; it declines what it does not read itself.
    #[test]
    fn lean_reader_agrees_with_the_pem_reader() {
        let general = |text: &[u8]| -> Vec<Vec<u8>> {
            pem::parse(text)
                .unwrap()
                .into_iter()
                .map(|b| b.data.to_vec())
                .collect()
        };
        let bundle = read().expect("the system has a trust bundle (ca-certificates)");
        let lean = certificates(&bundle).expect("the system bundle has the usual shape");
        assert!(lean.len() > 50);
        assert_eq!(lean, general(&bundle));

        let block = pem::encode(pem::CERTIFICATE, b"certificate bytes");
        let crlf = format!("# a root\r\n{}", block.replace('\n', "\r\n"));
        let lone_cr = block.replace('\n', "\r");
        let flattened = block.replacen("\n", " ", 2);
        for text in [
            block.clone(),
            crlf,
            lone_cr,
            flattened,
            format!("{block}\n{block}"),
        ] {
            assert_eq!(
                certificates(text.as_bytes()).unwrap(),
                general(text.as_bytes())
            );
        }
        assert_eq!(
            certificates(b"no blocks here").unwrap(),
            Vec::<Vec<u8>>::new()
        );
        let headers = block.replacen("\n", "\nProc-Type: 4,ENCRYPTED\n\n", 1);
        let other = format!("{block}{}", pem::encode("X509 CRL", b"crl"));
        let bad = block.replacen("\n", "\n!!!!", 1);
        for text in [headers, other, bad, block[..block.len() - 10].to_string()] {
            assert!(certificates(text.as_bytes()).is_none(), "{text}");
        }
    }
}
