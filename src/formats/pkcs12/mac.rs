//! The file's integrity check: the PKCS#12 MAC (RFC 7292, key from the PKCS#12 derivation over
//! the BMPString password) or PBMAC1 (RFC 9579, key from PBKDF2 over the UTF-8 password).

use zeroize::Zeroizing;

use super::asn1;
use super::hash::Hash;
use super::keyring::Keyring;
use super::pbe;
use super::pbes2::{Pbkdf2, OID_PBKDF2};
use super::profile::{check_iterations, derivation_cost};
use super::read::MacData;
use crate::Result;

/// RFC 9579 PBMAC1.
const OID_PBMAC1: &[u64] = &[1, 2, 840, 113549, 1, 5, 14];

impl Keyring {
    /// Checks the MAC with each candidate; keeps the one that matches in front. Returns the
    /// MAC's description for the profile string.
    pub(super) fn verify_mac(&mut self, mac: &MacData, data: &[u8]) -> Result<String> {
        if mac.alg.oid == OID_PBMAC1 {
            return self.verify_pbmac1(mac, data);
        }
        let hash = Hash::from_digest_oid(&mac.alg.oid).ok_or_else(|| {
            pbe::unsupported(&format!(
                "a MAC with the digest {}",
                pbe::named_oid(&mac.alg.oid)
            ))
        })?;
        let iterations = check_iterations(mac.iterations, "the MAC")?;
        if mac.digest.len() != hash.output_len() {
            return Err(asn1::malformed(
                "the MAC (its length does not fit its digest)",
            ));
        }
        let len = hash.output_len();
        self.spend(derivation_cost(iterations, len, len) * self.candidates.len() as u64)?;
        let found = self.candidates.iter().position(|pw| {
            let key = hash.pkcs12_kdf(&pw.bmp, &mac.salt, 3, iterations, hash.output_len());
            hash.hmac_verify(&key, data, &mac.digest)
        });
        self.accept(found)?;
        Ok(format!("MAC {}", hash.name()))
    }

    /// RFC 9579: the MAC key comes from PBKDF2 over the UTF-8 password; MacData's own salt and
    /// iterations are ignored.
    fn verify_pbmac1(&mut self, mac: &MacData, data: &[u8]) -> Result<String> {
        let what = "the PBMAC1 parameters";
        let (kdf, scheme) =
            asn1::parse(mac.alg.params.as_deref().unwrap_or_default(), what, |r| {
                r.read_sequence(|r| Ok((asn1::read_alg(r.next())?, asn1::read_alg(r.next())?)))
            })?;
        if kdf.oid != OID_PBKDF2 {
            return Err(pbe::unsupported(&format!(
                "PBMAC1 with the key derivation {}",
                pbe::named_oid(&kdf.oid)
            )));
        }
        let params = Pbkdf2::parse(kdf.params.as_deref().unwrap_or_default(), what)?;
        let hmac = Hash::from_hmac_oid(&scheme.oid).ok_or_else(|| {
            pbe::unsupported(&format!(
                "PBMAC1 with the MAC {}",
                pbe::named_oid(&scheme.oid)
            ))
        })?;
        // RFC 9579 §4: keyLength is required; without it the file is invalid.
        let key_len = match params.key_len {
            Some(n) if (1..=1024).contains(&n) => n as usize,
            _ => {
                return Err(asn1::malformed(
                    "the PBMAC1 parameters (missing key length)",
                ))
            }
        };
        if mac.digest.len() != hmac.output_len() {
            return Err(asn1::malformed(
                "the MAC (its length does not fit its digest)",
            ));
        }
        let cost = derivation_cost(params.iterations, key_len, params.prf.output_len());
        self.spend(cost * self.candidates.len() as u64)?;
        let found = self.candidates.iter().position(|pw| {
            let mut key = Zeroizing::new(vec![0u8; key_len]);
            params
                .prf
                .pbkdf2(&pw.raw, &params.salt, params.iterations, &mut key);
            hmac.hmac_verify(&key, data, &mac.digest)
        });
        self.accept(found)?;
        Ok(format!(
            "MAC PBMAC1/PBKDF2-HMAC-{}/HMAC-{}",
            params.prf.name().replace('-', ""),
            hmac.name().replace('-', "")
        ))
    }
}
