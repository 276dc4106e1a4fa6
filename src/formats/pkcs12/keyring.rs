//! The password encodings a file may have been written with, narrowed down as the MAC and the
//! decryptions succeed, and the budget of key-derivation work one file may cost.

use zeroize::Zeroizing;

use super::asn1;
use super::password::Password;
use super::pbe::Scheme;
use super::profile::MAX_HASH_BLOCKS_PER_FILE;
use crate::{Code, Error, Result};

/// The password encodings still in the running, the one that worked first.
pub(super) struct Keyring {
    pub(super) candidates: Vec<Password>,
    pub(super) mac_verified: bool,
    pub(super) given: bool,
    /// Hash blocks spent so far on this file (see `profile::MAX_HASH_BLOCKS_PER_FILE`).
    spent: u64,
}

impl Keyring {
    /// The candidates to try, and whether the caller gave a password (for the messages).
    pub(super) fn new(candidates: Vec<Password>, given: bool) -> Keyring {
        Keyring {
            candidates,
            mac_verified: false,
            given,
            spent: 0,
        }
    }

    pub(super) fn accept(&mut self, found: Option<usize>) -> Result<()> {
        match found {
            Some(i) => {
                let pw = self.candidates.remove(i);
                self.candidates.insert(0, pw);
                self.mac_verified = true;
                Ok(())
            }
            None => Err(Error::new(
                Code::WrongPassword,
                if self.given {
                    "the password is wrong: it does not pass the file's integrity check (MAC). \
                     Give the password the file was exported with; if it is right, the file is \
                     damaged"
                } else {
                    "the file is protected by a password: give the password it was exported with"
                },
            )),
        }
    }

    /// Counts a derivation (in hash blocks) against the file's budget before it is done;
    /// refuses the file once the budget would be exceeded.
    pub(super) fn spend(&mut self, blocks: u64) -> Result<()> {
        self.spent = self.spent.saturating_add(blocks);
        if self.spent > MAX_HASH_BLOCKS_PER_FILE {
            return Err(Error::new(
                Code::UnsupportedProfile,
                format!(
                    "the PKCS#12 file asks for {} hash blocks of key derivation (iterations times \
                     the blocks each derivation outputs, for every bag and password encoding), \
                     more than the limit of {}; excert stops there so that a hostile file cannot \
                     stall it. Export it again with fewer iterations",
                    self.spent, MAX_HASH_BLOCKS_PER_FILE
                ),
            ));
        }
        Ok(())
    }

    /// Decrypts with the first candidate that yields a well-formed SEQUENCE.
    pub(super) fn decrypt(
        &mut self,
        scheme: &Scheme,
        data: &[u8],
        what: &str,
    ) -> Result<Zeroizing<Vec<u8>>> {
        for i in 0..self.candidates.len() {
            self.spend(scheme.cost())?;
            if let Some(plain) = scheme.decrypt(&self.candidates[i], data) {
                if asn1::is_sequence(&plain) {
                    let pw = self.candidates.remove(i);
                    self.candidates.insert(0, pw);
                    return Ok(plain);
                }
            }
        }
        let message = if self.mac_verified {
            format!(
                "the password passes the file's integrity check but does not decrypt its {what}; \
                 the file was written with a separate encryption password or is damaged"
            )
        } else if self.given {
            format!("the password is wrong: it does not decrypt the file's {what}")
        } else {
            format!("the file's {what} are encrypted: give the password it was exported with")
        };
        Err(Error::new(Code::WrongPassword, message))
    }
}
