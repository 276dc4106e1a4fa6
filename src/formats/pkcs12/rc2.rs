//! RC2 (RFC 2268) in CBC mode with PKCS#7 padding.
//!
//! Only here because old PKCS#12 files (OpenSSL `-legacy`, Windows before 2016) encrypt their
//! certificates with RC2-40, no packaged crate implements it, and OpenSSL 3 refuses it
//! without its legacy provider.

use zeroize::{Zeroize, Zeroizing};

/// RFC 2268 §2: a permutation of 0..=255 built from the digits of pi.
const PITABLE: [u8; 256] = [
    0xd9, 0x78, 0xf9, 0xc4, 0x19, 0xdd, 0xb5, 0xed, 0x28, 0xe9, 0xfd, 0x79, 0x4a, 0xa0, 0xd8, 0x9d,
    0xc6, 0x7e, 0x37, 0x83, 0x2b, 0x76, 0x53, 0x8e, 0x62, 0x4c, 0x64, 0x88, 0x44, 0x8b, 0xfb, 0xa2,
    0x17, 0x9a, 0x59, 0xf5, 0x87, 0xb3, 0x4f, 0x13, 0x61, 0x45, 0x6d, 0x8d, 0x09, 0x81, 0x7d, 0x32,
    0xbd, 0x8f, 0x40, 0xeb, 0x86, 0xb7, 0x7b, 0x0b, 0xf0, 0x95, 0x21, 0x22, 0x5c, 0x6b, 0x4e, 0x82,
    0x54, 0xd6, 0x65, 0x93, 0xce, 0x60, 0xb2, 0x1c, 0x73, 0x56, 0xc0, 0x14, 0xa7, 0x8c, 0xf1, 0xdc,
    0x12, 0x75, 0xca, 0x1f, 0x3b, 0xbe, 0xe4, 0xd1, 0x42, 0x3d, 0xd4, 0x30, 0xa3, 0x3c, 0xb6, 0x26,
    0x6f, 0xbf, 0x0e, 0xda, 0x46, 0x69, 0x07, 0x57, 0x27, 0xf2, 0x1d, 0x9b, 0xbc, 0x94, 0x43, 0x03,
    0xf8, 0x11, 0xc7, 0xf6, 0x90, 0xef, 0x3e, 0xe7, 0x06, 0xc3, 0xd5, 0x2f, 0xc8, 0x66, 0x1e, 0xd7,
    0x08, 0xe8, 0xea, 0xde, 0x80, 0x52, 0xee, 0xf7, 0x84, 0xaa, 0x72, 0xac, 0x35, 0x4d, 0x6a, 0x2a,
    0x96, 0x1a, 0xd2, 0x71, 0x5a, 0x15, 0x49, 0x74, 0x4b, 0x9f, 0xd0, 0x5e, 0x04, 0x18, 0xa4, 0xec,
    0xc2, 0xe0, 0x41, 0x6e, 0x0f, 0x51, 0xcb, 0xcc, 0x24, 0x91, 0xaf, 0x50, 0xa1, 0xf4, 0x70, 0x39,
    0x99, 0x7c, 0x3a, 0x85, 0x23, 0xb8, 0xb4, 0x7a, 0xfc, 0x02, 0x36, 0x5b, 0x25, 0x55, 0x97, 0x31,
    0x2d, 0x5d, 0xfa, 0x98, 0xe3, 0x8a, 0x92, 0xae, 0x05, 0xdf, 0x29, 0x10, 0x67, 0x6c, 0xba, 0xc9,
    0xd3, 0x00, 0xe6, 0xcf, 0xe1, 0x9e, 0xa8, 0x2c, 0x63, 0x16, 0x01, 0x3f, 0x58, 0xe2, 0x89, 0xa9,
    0x0d, 0x38, 0x34, 0x1b, 0xab, 0x33, 0xff, 0xb0, 0xbb, 0x48, 0x0c, 0x5f, 0xb9, 0xb1, 0xcd, 0x2e,
    0xc5, 0xf3, 0xdb, 0x47, 0xe5, 0xa5, 0x9c, 0x77, 0x0a, 0xa6, 0x20, 0x68, 0xfe, 0x7f, 0xc1, 0xad,
];

/// Block size in bytes.
pub(crate) const BLOCK: usize = 8;

/// An expanded RC2 key; zeroed on drop.
pub(crate) struct Rc2 {
    k: [u16; 64],
}

impl Drop for Rc2 {
    fn drop(&mut self) {
        self.k.zeroize();
    }
}

impl Rc2 {
    /// Expands `key` (1..=128 bytes) to `effective_bits` (1..=1024) of strength (RFC 2268 §2).
    pub(crate) fn new(key: &[u8], effective_bits: usize) -> Option<Rc2> {
        if key.is_empty() || key.len() > 128 || effective_bits == 0 || effective_bits > 1024 {
            return None;
        }
        let mut l = Zeroizing::new([0u8; 128]);
        let t = key.len();
        l[..t].copy_from_slice(key);
        for i in t..128 {
            l[i] = PITABLE[(l[i - 1].wrapping_add(l[i - t])) as usize];
        }
        let t8 = effective_bits.div_ceil(8);
        let tm = 0xffu8 >> (8 * t8 - effective_bits);
        l[128 - t8] = PITABLE[(l[128 - t8] & tm) as usize];
        for i in (0..128 - t8).rev() {
            l[i] = PITABLE[(l[i + 1] ^ l[i + t8]) as usize];
        }
        let mut k = [0u16; 64];
        for (i, w) in k.iter_mut().enumerate() {
            *w = u16::from_le_bytes([l[2 * i], l[2 * i + 1]]);
        }
        Some(Rc2 { k })
    }

    /// Encrypts one 8-byte block in place.
    pub(crate) fn encrypt_block(&self, block: &mut [u8; BLOCK]) {
        let mut r = words(block);
        let mut j = 0;
        for round in 0..16 {
            for i in 0..4 {
                r[i] = r[i]
                    .wrapping_add(self.k[j])
                    .wrapping_add(r[(i + 3) % 4] & r[(i + 2) % 4])
                    .wrapping_add(!r[(i + 3) % 4] & r[(i + 1) % 4]);
                j += 1;
                r[i] = r[i].rotate_left(SHIFTS[i]);
            }
            // Mashing rounds follow the 5th and the 11th mixing round.
            if round == 4 || round == 10 {
                for i in 0..4 {
                    r[i] = r[i].wrapping_add(self.k[(r[(i + 3) % 4] & 63) as usize]);
                }
            }
        }
        put_words(block, &r);
        r.zeroize();
    }

    /// Decrypts one 8-byte block in place.
    pub(crate) fn decrypt_block(&self, block: &mut [u8; BLOCK]) {
        let mut r = words(block);
        let mut j = 64;
        for round in (0..16).rev() {
            for i in (0..4).rev() {
                j -= 1;
                r[i] = r[i]
                    .rotate_right(SHIFTS[i])
                    .wrapping_sub(self.k[j])
                    .wrapping_sub(r[(i + 3) % 4] & r[(i + 2) % 4])
                    .wrapping_sub(!r[(i + 3) % 4] & r[(i + 1) % 4]);
            }
            if round == 5 || round == 11 {
                for i in (0..4).rev() {
                    r[i] = r[i].wrapping_sub(self.k[(r[(i + 3) % 4] & 63) as usize]);
                }
            }
        }
        put_words(block, &r);
        r.zeroize();
    }
}

const SHIFTS: [u32; 4] = [1, 2, 3, 5];

fn words(block: &[u8; BLOCK]) -> [u16; 4] {
    [
        u16::from_le_bytes([block[0], block[1]]),
        u16::from_le_bytes([block[2], block[3]]),
        u16::from_le_bytes([block[4], block[5]]),
        u16::from_le_bytes([block[6], block[7]]),
    ]
}

fn put_words(block: &mut [u8; BLOCK], r: &[u16; 4]) {
    for (i, w) in r.iter().enumerate() {
        block[2 * i..2 * i + 2].copy_from_slice(&w.to_le_bytes());
    }
}

/// CBC decryption with PKCS#7 unpadding; `None` when the length or the padding is wrong
/// (which with a derived key almost always means a wrong password).
pub(crate) fn cbc_decrypt(cipher: &Rc2, iv: &[u8], data: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if iv.len() != BLOCK || data.is_empty() || !data.len().is_multiple_of(BLOCK) {
        return None;
    }
    let mut out = Zeroizing::new(Vec::with_capacity(data.len()));
    let mut prev = [0u8; BLOCK];
    prev.copy_from_slice(iv);
    for chunk in data.chunks_exact(BLOCK) {
        let mut block = [0u8; BLOCK];
        block.copy_from_slice(chunk);
        cipher.decrypt_block(&mut block);
        for (b, p) in block.iter_mut().zip(prev.iter()) {
            *b ^= p;
        }
        out.extend_from_slice(&block);
        block.zeroize();
        prev.copy_from_slice(chunk);
    }
    let pad = *out.last()? as usize;
    if pad == 0 || pad > BLOCK || out[out.len() - pad..].iter().any(|&b| b as usize != pad) {
        return None;
    }
    let keep = out.len() - pad;
    out.truncate(keep);
    Some(out)
}

/// CBC encryption with PKCS#7 padding.
pub(crate) fn cbc_encrypt(cipher: &Rc2, iv: &[u8; BLOCK], data: &[u8]) -> Vec<u8> {
    let pad = BLOCK - data.len() % BLOCK;
    let mut padded = Zeroizing::new(data.to_vec());
    padded.resize(data.len() + pad, pad as u8);
    let mut out = Vec::with_capacity(padded.len());
    let mut prev = *iv;
    for chunk in padded.chunks_exact(BLOCK) {
        let mut block = [0u8; BLOCK];
        for i in 0..BLOCK {
            block[i] = chunk[i] ^ prev[i];
        }
        cipher.encrypt_block(&mut block);
        out.extend_from_slice(&block);
        prev = block;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::formats::pkcs12::test_hex as hex;

    /// RFC 2268 §5: (key, effective bits, plaintext, ciphertext).
    const RFC2268: [(&str, usize, &str, &str); 8] = [
        (
            "0000000000000000",
            63,
            "0000000000000000",
            "ebb773f993278eff",
        ),
        (
            "ffffffffffffffff",
            64,
            "ffffffffffffffff",
            "278b27e42e2f0d49",
        ),
        (
            "3000000000000000",
            64,
            "1000000000000001",
            "30649edf9be7d2c2",
        ),
        ("88", 64, "0000000000000000", "61a8a244adacccf0"),
        ("88bca90e90875a", 64, "0000000000000000", "6ccf4308974c267f"),
        (
            "88bca90e90875a7f0f79c384627bafb2",
            64,
            "0000000000000000",
            "1a807d272bbe5db1",
        ),
        (
            "88bca90e90875a7f0f79c384627bafb2",
            128,
            "0000000000000000",
            "2269552ab0f85ca6",
        ),
        (
            "88bca90e90875a7f0f79c384627bafb216f80a6f85920584c42fceb0be255daf1e",
            129,
            "0000000000000000",
            "5b78d3a43dfff1f1",
        ),
    ];

    #[test]
    fn rfc2268_vectors_encrypt_and_decrypt() {
        for (key, bits, plain, expected) in RFC2268 {
            let c = Rc2::new(&hex(key), bits).unwrap();
            let mut block: [u8; 8] = hex(plain).try_into().unwrap();
            c.encrypt_block(&mut block);
            assert_eq!(
                block.to_vec(),
                hex(expected),
                "encrypt key {key} bits {bits}"
            );
            c.decrypt_block(&mut block);
            assert_eq!(block.to_vec(), hex(plain), "decrypt key {key} bits {bits}");
        }
    }

    #[test]
    fn pitable_is_a_permutation() {
        let mut seen = [false; 256];
        for &b in PITABLE.iter() {
            assert!(!seen[b as usize], "duplicate {b:#04x}");
            seen[b as usize] = true;
        }
    }

    #[test]
    fn cbc_round_trip_and_bad_padding() {
        let c = Rc2::new(&hex("0102030405"), 40).unwrap();
        let iv = [7u8; 8];
        for len in [0usize, 1, 7, 8, 9, 100] {
            let data: Vec<u8> = (0..len as u8).collect();
            let ct = cbc_encrypt(&c, &iv, &data);
            assert_eq!(ct.len(), (len / 8 + 1) * 8);
            assert_eq!(&cbc_decrypt(&c, &iv, &ct).unwrap()[..], &data[..]);
        }
        let wrong = Rc2::new(&hex("0102030406"), 40).unwrap();
        let ct = cbc_encrypt(&c, &iv, b"some longer plaintext to encrypt");
        // A wrong key yields garbage whose last byte is a valid pad with probability ~1/256;
        // this key and text are fixed, so the outcome is deterministic.
        assert!(cbc_decrypt(&wrong, &iv, &ct).is_none());
        assert!(cbc_decrypt(&c, &iv, &ct[..ct.len() - 1]).is_none());
        assert!(cbc_decrypt(&c, &iv[..4], &ct).is_none());
    }

    #[test]
    fn rejects_bad_key_sizes() {
        assert!(Rc2::new(&[], 40).is_none());
        assert!(Rc2::new(&[0; 129], 40).is_none());
        assert!(Rc2::new(&[0; 5], 0).is_none());
        assert!(Rc2::new(&[0; 5], 1025).is_none());
    }
}
