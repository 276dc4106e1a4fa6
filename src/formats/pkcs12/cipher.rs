//! The block ciphers of PKCS#12 files, in CBC mode with PKCS#7 padding.

use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockCipher, BlockDecryptMut, BlockEncryptMut, KeyInit, KeyIvInit};
use zeroize::Zeroizing;

use super::rc2;

/// A block cipher in CBC mode with PKCS#7 padding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Cipher {
    Aes128,
    Aes192,
    Aes256,
    /// Three-key triple DES.
    TripleDes,
    /// Two-key triple DES (K1 K2 K1).
    TripleDes2,
    Des,
    /// RC2 with a key of `key_len` bytes and `bits` effective bits.
    Rc2 {
        key_len: usize,
        bits: usize,
    },
}

impl Cipher {
    pub(crate) fn key_len(self) -> usize {
        match self {
            Cipher::Aes128 => 16,
            Cipher::Aes192 => 24,
            Cipher::Aes256 => 32,
            Cipher::TripleDes => 24,
            Cipher::TripleDes2 => 16,
            Cipher::Des => 8,
            Cipher::Rc2 { key_len, .. } => key_len,
        }
    }

    pub(crate) fn iv_len(self) -> usize {
        match self {
            Cipher::Aes128 | Cipher::Aes192 | Cipher::Aes256 => 16,
            _ => 8,
        }
    }

    pub(crate) fn name(self) -> String {
        match self {
            Cipher::Aes128 => "AES-128-CBC".into(),
            Cipher::Aes192 => "AES-192-CBC".into(),
            Cipher::Aes256 => "AES-256-CBC".into(),
            Cipher::TripleDes => "DES-EDE3-CBC".into(),
            Cipher::TripleDes2 => "DES-EDE-CBC".into(),
            Cipher::Des => "DES-CBC".into(),
            Cipher::Rc2 { bits, .. } => format!("RC2-{bits}-CBC"),
        }
    }

    pub(crate) fn decrypt(self, key: &[u8], iv: &[u8], data: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        match self {
            Cipher::Aes128 => cbc_decrypt::<aes::Aes128>(key, iv, data),
            Cipher::Aes192 => cbc_decrypt::<aes::Aes192>(key, iv, data),
            Cipher::Aes256 => cbc_decrypt::<aes::Aes256>(key, iv, data),
            Cipher::TripleDes => cbc_decrypt::<des::TdesEde3>(key, iv, data),
            Cipher::TripleDes2 => cbc_decrypt::<des::TdesEde2>(key, iv, data),
            Cipher::Des => cbc_decrypt::<des::Des>(key, iv, data),
            Cipher::Rc2 { bits, .. } => rc2::cbc_decrypt(&rc2::Rc2::new(key, bits)?, iv, data),
        }
    }

    pub(crate) fn encrypt(self, key: &[u8], iv: &[u8], data: &[u8]) -> Vec<u8> {
        match self {
            Cipher::Aes128 => cbc_encrypt::<aes::Aes128>(key, iv, data),
            Cipher::Aes192 => cbc_encrypt::<aes::Aes192>(key, iv, data),
            Cipher::Aes256 => cbc_encrypt::<aes::Aes256>(key, iv, data),
            Cipher::TripleDes => cbc_encrypt::<des::TdesEde3>(key, iv, data),
            Cipher::TripleDes2 => cbc_encrypt::<des::TdesEde2>(key, iv, data),
            Cipher::Des => cbc_encrypt::<des::Des>(key, iv, data),
            Cipher::Rc2 { bits, .. } => {
                let c = rc2::Rc2::new(key, bits).expect("RC2 key length checked by the caller");
                let iv: [u8; rc2::BLOCK] = iv.try_into().expect("RC2 IV is 8 bytes");
                rc2::cbc_encrypt(&c, &iv, data)
            }
        }
    }
}

fn cbc_decrypt<C>(key: &[u8], iv: &[u8], data: &[u8]) -> Option<Zeroizing<Vec<u8>>>
where
    C: BlockCipher + BlockDecryptMut + KeyInit,
{
    let dec = cbc::Decryptor::<C>::new_from_slices(key, iv).ok()?;
    let mut buf = Zeroizing::new(data.to_vec());
    let len = dec.decrypt_padded_mut::<Pkcs7>(&mut buf).ok()?.len();
    buf.truncate(len);
    Some(buf)
}

fn cbc_encrypt<C>(key: &[u8], iv: &[u8], data: &[u8]) -> Vec<u8>
where
    C: BlockCipher + BlockEncryptMut + KeyInit,
{
    let enc = cbc::Encryptor::<C>::new_from_slices(key, iv).expect("key and IV sizes fixed");
    let block = C::block_size();
    let mut buf = Zeroizing::new(data.to_vec());
    buf.resize(data.len() + block, 0);
    let len = enc
        .encrypt_padded_mut::<Pkcs7>(&mut buf, data.len())
        .expect("buffer has room for the padding")
        .len();
    buf[..len].to_vec()
}
