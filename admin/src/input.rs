//! Form and JSON text to the core's typed values, through the core's own parsers: the web layer
//! checks and converts, the rules stay in the core. A refusal is an `Invalid` error (HTTP 400)
//! whose message names the problem and the fix.

use base64::Engine;
use excert::cert::keys::KeyAlgorithm;
use excert::cert::names::Subject;
use excert::cert::services::Services;
use excert::model::Encryption;
use excert::{Error, Result};
use zeroize::Zeroizing;

fn given(text: Option<&str>) -> Option<&str> {
    text.filter(|s| !s.trim().is_empty())
}

/// A subject such as `C=US,O=Contoso,CN=mail.contoso.com`; blank is the core's default.
pub fn subject(text: Option<&str>) -> Result<Option<Subject>> {
    given(text).map(Subject::parse).transpose()
}

/// `IIS, SMTP`; absent is the core's default (blank is `None`, no service, as the cmdlets).
pub fn services(text: Option<&str>) -> Result<Option<Services>> {
    text.map(Services::parse).transpose()
}

/// `RSA`, `ECDSA_P256` or `ECDSA_P384`; blank is the core's default.
pub fn key_algorithm(text: Option<&str>) -> Result<Option<KeyAlgorithm>> {
    given(text).map(KeyAlgorithm::parse).transpose()
}

/// The PFX profile, `Modern` (default) or `Legacy`.
pub fn encryption(text: Option<&str>) -> Result<Encryption> {
    Encryption::parse(text.unwrap_or(""))
}

/// An uploaded file, which the page sends as Base64; zeroed when dropped (a PFX holds a key).
/// What the bytes may be (and that they are not empty) is the core's import to say.
pub fn file_data(base64: &str) -> Result<Zeroizing<Vec<u8>>> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(base64.trim())
        .map_err(|_| Error::invalid("the uploaded file did not arrive intact (its Base64 is broken): choose the file again"))?;
    Ok(Zeroizing::new(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use excert::Code;

    #[test]
    fn text_becomes_the_core_types() {
        assert_eq!(subject(Some("  ")).unwrap(), None);
        assert_eq!(
            subject(Some("O=Contoso,CN=mail.contoso.com"))
                .unwrap()
                .unwrap()
                .common_name(),
            Some("mail.contoso.com")
        );
        assert_eq!(
            services(Some("IIS, smtp")).unwrap(),
            Some(Services::IIS | Services::SMTP)
        );
        assert_eq!(services(Some("")).unwrap(), Some(Services::NONE));
        assert_eq!(services(None).unwrap(), None);
        assert_eq!(
            key_algorithm(Some("ecdsa_p384")).unwrap(),
            Some(KeyAlgorithm::EcdsaP384)
        );
        assert_eq!(key_algorithm(Some("")).unwrap(), None);
        assert_eq!(encryption(None).unwrap(), Encryption::Modern);
        assert_eq!(encryption(Some("Legacy")).unwrap(), Encryption::Legacy);
        assert_eq!(&*file_data("AQID").unwrap(), &[1, 2, 3]);
    }

    #[test]
    fn bad_text_is_invalid_with_the_fix() {
        let e = services(Some("IIS, Web")).unwrap_err();
        assert_eq!(e.code, Code::InvalidArgument);
        assert!(
            e.message.contains("'Web' is not an Exchange service"),
            "{}",
            e.message
        );
        assert!(key_algorithm(Some("DSA"))
            .unwrap_err()
            .message
            .contains("ECDSA_P256"));
        assert!(subject(Some("mail.contoso.com"))
            .unwrap_err()
            .message
            .contains("no '='"));
        assert!(encryption(Some("AES"))
            .unwrap_err()
            .message
            .contains("Legacy"));
        assert!(file_data("not base64!")
            .unwrap_err()
            .message
            .contains("choose the file again"));
    }
}
