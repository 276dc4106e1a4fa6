//! Small ASN.1 helpers over yasna: OIDs, AlgorithmIdentifier, and error mapping.

use yasna::models::ObjectIdentifier;
use yasna::{ASN1Result, BERReader, DERWriter};

use crate::{Code, Error, Result};

// Content types: PKCS#7's, defined once there.
pub(crate) use crate::formats::pkcs7::{
    OID_DATA, OID_ENCRYPTED_DATA, OID_ENVELOPED_DATA, OID_SIGNED_DATA,
};

// Bag types (RFC 7292 §4.2).
pub(crate) const OID_KEY_BAG: &[u64] = &[1, 2, 840, 113549, 1, 12, 10, 1, 1];
pub(crate) const OID_SHROUDED_KEY_BAG: &[u64] = &[1, 2, 840, 113549, 1, 12, 10, 1, 2];
pub(crate) const OID_CERT_BAG: &[u64] = &[1, 2, 840, 113549, 1, 12, 10, 1, 3];
pub(crate) const OID_SAFE_CONTENTS_BAG: &[u64] = &[1, 2, 840, 113549, 1, 12, 10, 1, 6];
pub(crate) const OID_X509_CERTIFICATE: &[u64] = &[1, 2, 840, 113549, 1, 9, 22, 1];

// Bag attributes (PKCS#9).
pub(crate) const OID_FRIENDLY_NAME: &[u64] = &[1, 2, 840, 113549, 1, 9, 20];
pub(crate) const OID_LOCAL_KEY_ID: &[u64] = &[1, 2, 840, 113549, 1, 9, 21];

/// An AlgorithmIdentifier as read: the OID and the raw encoding of its parameters.
#[derive(Debug, Clone)]
pub(crate) struct RawAlg {
    pub(crate) oid: Vec<u64>,
    pub(crate) params: Option<Vec<u8>>,
}

/// Reads `SEQUENCE { algorithm OID, parameters ANY OPTIONAL }`.
pub(crate) fn read_alg(r: BERReader) -> ASN1Result<RawAlg> {
    r.read_sequence(|r| {
        let oid = r.next().read_oid()?.into_components();
        let params = r.read_optional(|r| r.read_der())?;
        Ok(RawAlg { oid, params })
    })
}

/// Writes an AlgorithmIdentifier whose parameters are written by `params`.
pub(crate) fn write_alg(w: DERWriter, oid: &[u64], params: impl FnOnce(DERWriter)) {
    w.write_sequence(|w| {
        w.next().write_oid(&ObjectIdentifier::from_slice(oid));
        params(w.next());
    })
}

/// Writes an OID.
pub(crate) fn write_oid(w: DERWriter, oid: &[u64]) {
    w.write_oid(&ObjectIdentifier::from_slice(oid));
}

/// Parses BER (which includes DER) with `f`, mapping any syntax error to MalformedData
/// naming `what`.
pub(crate) fn parse<'a, T, F>(data: &'a [u8], what: &str, f: F) -> Result<T>
where
    F: for<'b> FnOnce(BERReader<'a, 'b>) -> ASN1Result<T>,
{
    ber(data, f).map_err(|_| malformed(what))
}

/// `yasna::parse_ber` for bytes from outside: yasna 0.5 adds lengths read from the data without
/// checking for overflow (a panic where overflow checks are on), so a panic in it is caught and
/// reported as invalid data instead of taking the caller down.
pub(crate) fn ber<'a, T, F>(data: &'a [u8], f: F) -> ASN1Result<T>
where
    F: for<'b> FnOnce(BERReader<'a, 'b>) -> ASN1Result<T>,
{
    guarded(|| yasna::parse_ber(data, f))
}

/// Runs a yasna parse, turning a panic inside it into an invalid-data error (see `ber`).
pub(crate) fn guarded<T>(parse: impl FnOnce() -> ASN1Result<T>) -> ASN1Result<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse))
        .unwrap_or(Err(yasna::ASN1Error::new(yasna::ASN1ErrorKind::Invalid)))
}

/// MalformedData naming the part that could not be read.
pub(crate) fn malformed(what: &str) -> Error {
    Error::new(
        Code::MalformedData,
        format!(
            "the PKCS#12 data is damaged or not PKCS#12: {what} cannot be read (truncated or \
             not valid DER). Check that the whole file was copied, or export it again"
        ),
    )
}

/// Dotted form of an OID, for messages.
pub(crate) fn oid_string(oid: &[u64]) -> String {
    oid.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

/// True if `data` is exactly one well-formed BER SEQUENCE (used to tell a right decryption
/// from garbage that happens to end in valid padding).
pub(crate) fn is_sequence(data: &[u8]) -> bool {
    ber(data, |r| r.read_sequence(|r| while_any(r))).is_ok()
}

fn while_any(r: &mut yasna::BERReaderSeq) -> ASN1Result<()> {
    while r.read_optional(|r| r.read_der())?.is_some() {}
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alg_round_trip_and_sequence_check() {
        let der = yasna::construct_der(|w| write_alg(w, OID_DATA, |w| w.write_null()));
        let alg = parse(&der, "test", read_alg).unwrap();
        assert_eq!(alg.oid, OID_DATA);
        assert_eq!(alg.params.as_deref(), Some(&[5u8, 0][..]));
        assert!(is_sequence(&der));
        assert!(!is_sequence(&der[..der.len() - 1]));
        assert!(!is_sequence(&[4, 1, 0]));
        assert_eq!(oid_string(OID_DATA), "1.2.840.113549.1.7.1");
        let err = parse(&[0x30, 0x05, 0x06], "the thing", read_alg).unwrap_err();
        assert_eq!(err.code, Code::MalformedData);
        assert!(err.message.contains("the thing"));
    }
}
