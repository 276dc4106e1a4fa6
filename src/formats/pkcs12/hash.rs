//! The hashes PKCS#12 files use, and what is built on them: the PKCS#12 key derivation
//! (RFC 7292 appendix B.2), HMAC and PBKDF2.

use hmac::{Hmac, Mac};
use sha2::digest::core_api::BlockSizeUser;
use sha2::Digest;
use zeroize::{Zeroize, Zeroizing};

/// A hash algorithm found in (or written to) a PKCS#12 file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Hash {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
    Sha512_224,
    Sha512_256,
}

/// Runs `$body` with `$d` bound to the digest type of `$hash`.
macro_rules! with_digest {
    ($hash:expr, $d:ident => $body:expr) => {
        match $hash {
            Hash::Sha1 => {
                type $d = sha1::Sha1;
                $body
            }
            Hash::Sha224 => {
                type $d = sha2::Sha224;
                $body
            }
            Hash::Sha256 => {
                type $d = sha2::Sha256;
                $body
            }
            Hash::Sha384 => {
                type $d = sha2::Sha384;
                $body
            }
            Hash::Sha512 => {
                type $d = sha2::Sha512;
                $body
            }
            Hash::Sha512_224 => {
                type $d = sha2::Sha512_224;
                $body
            }
            Hash::Sha512_256 => {
                type $d = sha2::Sha512_256;
                $body
            }
        }
    };
}

impl Hash {
    pub(crate) const ALL: [Hash; 7] = [
        Hash::Sha1,
        Hash::Sha224,
        Hash::Sha256,
        Hash::Sha384,
        Hash::Sha512,
        Hash::Sha512_224,
        Hash::Sha512_256,
    ];

    /// Display name, as in "MAC SHA-256".
    pub(crate) fn name(self) -> &'static str {
        match self {
            Hash::Sha1 => "SHA-1",
            Hash::Sha224 => "SHA-224",
            Hash::Sha256 => "SHA-256",
            Hash::Sha384 => "SHA-384",
            Hash::Sha512 => "SHA-512",
            Hash::Sha512_224 => "SHA-512/224",
            Hash::Sha512_256 => "SHA-512/256",
        }
    }

    /// OID of the bare digest (MacData's DigestInfo).
    pub(crate) fn digest_oid(self) -> &'static [u64] {
        match self {
            Hash::Sha1 => &[1, 3, 14, 3, 2, 26],
            Hash::Sha224 => &[2, 16, 840, 1, 101, 3, 4, 2, 4],
            Hash::Sha256 => &[2, 16, 840, 1, 101, 3, 4, 2, 1],
            Hash::Sha384 => &[2, 16, 840, 1, 101, 3, 4, 2, 2],
            Hash::Sha512 => &[2, 16, 840, 1, 101, 3, 4, 2, 3],
            Hash::Sha512_224 => &[2, 16, 840, 1, 101, 3, 4, 2, 5],
            Hash::Sha512_256 => &[2, 16, 840, 1, 101, 3, 4, 2, 6],
        }
    }

    /// OID of HMAC with this digest (PBKDF2's PRF, PBMAC1's scheme).
    pub(crate) fn hmac_oid(self) -> &'static [u64] {
        match self {
            Hash::Sha1 => &[1, 2, 840, 113549, 2, 7],
            Hash::Sha224 => &[1, 2, 840, 113549, 2, 8],
            Hash::Sha256 => &[1, 2, 840, 113549, 2, 9],
            Hash::Sha384 => &[1, 2, 840, 113549, 2, 10],
            Hash::Sha512 => &[1, 2, 840, 113549, 2, 11],
            Hash::Sha512_224 => &[1, 2, 840, 113549, 2, 12],
            Hash::Sha512_256 => &[1, 2, 840, 113549, 2, 13],
        }
    }

    pub(crate) fn from_digest_oid(oid: &[u64]) -> Option<Hash> {
        Hash::ALL.into_iter().find(|h| h.digest_oid() == oid)
    }

    pub(crate) fn from_hmac_oid(oid: &[u64]) -> Option<Hash> {
        Hash::ALL.into_iter().find(|h| h.hmac_oid() == oid)
    }

    /// Output length in bytes.
    pub(crate) fn output_len(self) -> usize {
        with_digest!(self, D => <D as Digest>::output_size())
    }

    /// RFC 7292 B.2: derive `len` bytes for purpose `id` (1 key, 2 IV, 3 MAC key) from a
    /// password already encoded as a BMPString (with or without its two zero bytes).
    pub(crate) fn pkcs12_kdf(
        self,
        password: &[u8],
        salt: &[u8],
        id: u8,
        iterations: u32,
        len: usize,
    ) -> Zeroizing<Vec<u8>> {
        with_digest!(self, D => pkcs12_kdf::<D>(password, salt, id, iterations, len))
    }

    /// HMAC of `data` under `key`.
    pub(crate) fn hmac(self, key: &[u8], data: &[u8]) -> Vec<u8> {
        with_digest!(self, D => {
            let mut m = <Hmac<D> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
            m.update(data);
            m.finalize().into_bytes().to_vec()
        })
    }

    /// Constant-time check of an HMAC.
    pub(crate) fn hmac_verify(self, key: &[u8], data: &[u8], expected: &[u8]) -> bool {
        with_digest!(self, D => {
            let mut m = <Hmac<D> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
            m.update(data);
            m.verify_slice(expected).is_ok()
        })
    }

    /// PBKDF2 with HMAC of this digest as PRF, filling `out`.
    pub(crate) fn pbkdf2(self, password: &[u8], salt: &[u8], iterations: u32, out: &mut [u8]) {
        with_digest!(self, D => pbkdf2::pbkdf2_hmac::<D>(password, salt, iterations, out))
    }
}

fn pkcs12_kdf<D: Digest + BlockSizeUser>(
    password: &[u8],
    salt: &[u8],
    id: u8,
    iterations: u32,
    len: usize,
) -> Zeroizing<Vec<u8>> {
    let u = <D as Digest>::output_size();
    let v = D::block_size();
    // S and P: salt and password repeated to a multiple of v bytes (empty stays empty).
    let fill = |src: &[u8]| -> Vec<u8> {
        if src.is_empty() {
            return Vec::new();
        }
        let n = v * src.len().div_ceil(v);
        (0..n).map(|i| src[i % src.len()]).collect()
    };
    let mut i_buf = Zeroizing::new(fill(salt));
    let mut p = Zeroizing::new(fill(password));
    i_buf.extend_from_slice(&p);
    p.zeroize();
    let diversifier = vec![id; v];
    let mut out = Zeroizing::new(Vec::with_capacity(len + u));
    let mut b = Zeroizing::new(vec![0u8; v]);
    loop {
        let mut a = D::new()
            .chain_update(&diversifier)
            .chain_update(&*i_buf)
            .finalize();
        for _ in 1..iterations {
            let next = D::digest(&a);
            a.as_mut_slice().zeroize();
            a = next;
        }
        out.extend_from_slice(&a);
        if out.len() >= len {
            a.as_mut_slice().zeroize();
            break;
        }
        // I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block, B = A repeated to v bytes.
        for (k, byte) in b.iter_mut().enumerate() {
            *byte = a[k % u];
        }
        a.as_mut_slice().zeroize();
        for block in i_buf.chunks_mut(v) {
            let mut carry = 1u16;
            for k in (0..v).rev() {
                let sum = block[k] as u16 + b[k] as u16 + carry;
                block[k] = sum as u8;
                carry = sum >> 8;
            }
        }
    }
    out.truncate(len);
    out
}

/// A password as the PKCS#12 KDF wants it: UTF-16BE with two trailing zero bytes.
pub(crate) fn bmp_password(password: &str) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(password.len() * 2 + 2));
    for unit in password.encode_utf16() {
        out.extend_from_slice(&unit.to_be_bytes());
    }
    out.extend_from_slice(&[0, 0]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::formats::pkcs12::test_hex as hex;

    /// Dr Stephen Henson's PKCS#12 KDF vectors (also in Bouncy Castle's PKCS12Test).
    #[test]
    fn kdf_sha1_published_vectors() {
        let smeg = bmp_password("smeg");
        let queeg = bmp_password("queeg");
        let cases: [(&[u8], &str, u8, u32, &str); 10] = [
            (
                &smeg,
                "0A58CF64530D823F",
                1,
                1,
                "8AAAE6297B6CB04642AB5B077851284EB7128F1A2A7FBCA3",
            ),
            (&smeg, "0A58CF64530D823F", 2, 1, "79993DFE048D3B76"),
            (
                &smeg,
                "642B99AB44FB4B1F",
                1,
                1,
                "F3A95FEC48D7711E985CFE67908C5AB79FA3D7C5CAA5D966",
            ),
            (&smeg, "642B99AB44FB4B1F", 2, 1, "C0A38D64A79BEA1D"),
            (
                &smeg,
                "3D83C0E4546AC140",
                3,
                1,
                "8D967D88F6CAA9D714800AB3D48051D63F73A312",
            ),
            (
                &queeg,
                "05DEC959ACFF72F7",
                1,
                1000,
                "ED2034E36328830FF09DF1E1A07DD357185DAC0D4F9EB3D4",
            ),
            (&queeg, "05DEC959ACFF72F7", 2, 1000, "11DEDAD7758D4860"),
            (
                &queeg,
                "1682C0FC5B3F7EC5",
                1,
                1000,
                "483DD6E919D7DE2E8E648BA8F862F3FBFBDC2BCB2C02957F",
            ),
            (&queeg, "1682C0FC5B3F7EC5", 2, 1000, "9D461D1B00355C50"),
            (
                &queeg,
                "263216FCC2FAB31C",
                3,
                1000,
                "5EC4C7A80DF652294C3925B6489A7AB857C83476",
            ),
        ];
        for (pw, salt, id, iter, expected) in cases {
            let want = hex(expected);
            let got = Hash::Sha1.pkcs12_kdf(pw, &hex(salt), id, iter, want.len());
            assert_eq!(&got[..], &want[..], "salt {salt} id {id}");
        }
    }

    /// SHA-256 MAC key vector from Crypt::OpenSSL::PKCS::Func's test suite (OpenSSL's
    /// PKCS12_key_gen underneath): password "123456", id 3, 2048 iterations, 32 bytes.
    #[test]
    fn kdf_sha256_published_vector() {
        let got = Hash::Sha256.pkcs12_kdf(
            &bmp_password("123456"),
            &hex("e241f01650dbeae4"),
            3,
            2048,
            32,
        );
        assert_eq!(
            &got[..],
            &hex("721259F14AAD70B58839F71566B433DA1B8AD08F650F4D02FAAA0B9B095BB51D")[..]
        );
    }

    /// Go's x/crypto/pkcs12 TestVerifyMac: HMAC-SHA1 over 0b0c0d0e0f with the PKCS#12 MAC key
    /// of "Sesame open", salt 0102030405060708, 2048 iterations.
    #[test]
    fn mac_published_vector() {
        let expected = hex("18203dff1e16f492f2afc891a9bad6ca9dee5193");
        let salt = hex("0102030405060708");
        let message = [11u8, 12, 13, 14, 15];
        let key = Hash::Sha1.pkcs12_kdf(&bmp_password("Sesame open"), &salt, 3, 2048, 20);
        assert_eq!(Hash::Sha1.hmac(&key, &message), expected);
        assert!(Hash::Sha1.hmac_verify(&key, &message, &expected));
        let empty = Hash::Sha1.pkcs12_kdf(&bmp_password(""), &salt, 3, 2048, 20);
        assert!(!Hash::Sha1.hmac_verify(&empty, &message, &expected));
    }

    #[test]
    fn bmp_password_encodes_utf16_with_terminator() {
        assert_eq!(&bmp_password("")[..], &[0, 0]);
        assert_eq!(&bmp_password("a")[..], &[0, b'a', 0, 0]);
        // U+00E4 and a character outside the BMP (a surrogate pair).
        assert_eq!(
            &bmp_password("ä😀")[..],
            &[0x00, 0xe4, 0xd8, 0x3d, 0xde, 0x00, 0, 0]
        );
    }

    #[test]
    fn oids_round_trip_and_lengths() {
        for h in Hash::ALL {
            assert_eq!(Hash::from_digest_oid(h.digest_oid()), Some(h));
            assert_eq!(Hash::from_hmac_oid(h.hmac_oid()), Some(h));
            assert_eq!(h.hmac(b"k", b"d").len(), h.output_len());
        }
        assert_eq!(Hash::Sha384.output_len(), 48);
        assert_eq!(Hash::from_digest_oid(&[1, 2, 3]), None);
    }

    /// RFC 6070 PBKDF2-HMAC-SHA1 vector: "password"/"salt", 2 iterations.
    #[test]
    fn pbkdf2_rfc6070() {
        let mut out = [0u8; 20];
        Hash::Sha1.pbkdf2(b"password", b"salt", 2, &mut out);
        assert_eq!(
            out.to_vec(),
            hex("ea6c014dc72d6f8ccd1ed92ace1d41f0d8de8957")
        );
    }
}
