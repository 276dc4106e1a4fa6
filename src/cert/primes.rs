//! RSA key generation, faster than the `rsa` crate's and as strong.
//!
//! Where the time went (callgrind, see bench/PROFILE.md): `rsa::RsaPrivateKey::new` tests each
//! random candidate against the 15 primes below 54, so about 100 candidates per 1024-bit prime
//! reach a modular exponentiation, and the prime found then takes 21 Miller–Rabin rounds plus a
//! Lucas test; p and q are searched one after the other.
//!
//! Here: a window of candidates after a random start is sieved at once by the odd primes below
//! 2^14 (about 40 candidates per prime reach an exponentiation), and by p ≡ 1 (mod 65537) so that
//! gcd(e, p − 1) = 1 holds without a retry; each survivor gets one base-2 Miller–Rabin round,
//! and only a candidate that passes it gets the rounds of FIPS 186-5 table B.1 (random bases)
//! and a Lucas test. Two threads search at once and the first two primes found are p and q,
//! which must differ by more than 2^(bits/2 − 100) (FIPS 186-5 A.1.3).

use num_bigint_dig::prime::{probably_prime_lucas, probably_prime_miller_rabin};
use num_bigint_dig::BigUint;
use once_cell::sync::Lazy;
use rand::RngCore;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use zeroize::Zeroize;

/// The public exponent, as FIPS 186-5 and every CA expect.
const PUBLIC_EXPONENT: u32 = 65_537;

/// Sieve primes: the odd primes below this bound.
const SIEVE_BOUND: u32 = 1 << 14;

/// Candidates per window (odd numbers start, start + 2, ...); a 1024-bit prime is found within
/// about 360 of them on average, so one window almost always suffices.
const WINDOW: usize = 4096;

static SMALL_PRIMES: Lazy<Vec<u32>> = Lazy::new(|| {
    let n = SIEVE_BOUND as usize;
    let mut composite = vec![false; n];
    let mut primes = Vec::new();
    for i in 2..n {
        if !composite[i] {
            if i > 2 {
                primes.push(i as u32);
            }
            let mut j = i * i;
            while j < n {
                composite[j] = true;
                j += i;
            }
        }
    }
    primes
});

/// Miller–Rabin rounds with random bases for a prime of `bits` bits: FIPS 186-5 table B.1
/// (error ≤ 2^-112 and better), FIPS 186-4 table C.2 for 512-bit primes (RSA-1024).
fn miller_rabin_rounds(bits: usize) -> usize {
    match bits {
        0..=512 => 7,
        513..=1024 => 5,
        _ => 4,
    }
}

/// Makes an RSA key of `bits` bits (an even number, at least 1024) with e = 65537.
pub(crate) fn generate(bits: usize) -> Result<rsa::RsaPrivateKey, String> {
    if bits < 1024 || !bits.is_multiple_of(2) {
        return Err(format!("{bits} is not a supported RSA key size"));
    }
    let half = bits / 2;
    let found: Mutex<Vec<BigUint>> = Mutex::new(Vec::with_capacity(2));
    let done = AtomicBool::new(false);
    let search = || {
        while !done.load(Ordering::Relaxed) {
            let Some(mut prime) = find_prime(half, &done) else {
                return;
            };
            let mut primes = found.lock().unwrap_or_else(|e| e.into_inner());
            if primes.len() == 2 || primes.first().is_some_and(|q| !far_apart(q, &prime, half)) {
                prime.zeroize();
                continue;
            }
            primes.push(prime);
            if primes.len() == 2 {
                done.store(true, Ordering::Relaxed);
            }
        }
    };
    std::thread::scope(|scope| {
        // A second thread only when the machine has a second core to run it.
        if std::thread::available_parallelism().map_or(1, |n| n.get()) > 1 {
            scope.spawn(search);
        }
        search();
    });
    let mut primes = found.into_inner().unwrap_or_else(|e| e.into_inner());
    let (Some(q), Some(p)) = (primes.pop(), primes.pop()) else {
        return Err("the prime search ended without two primes".into());
    };
    let key = rsa::RsaPrivateKey::from_p_q(p, q, BigUint::from(PUBLIC_EXPONENT))
        .map_err(|e| e.to_string())?;
    if rsa::traits::PublicKeyParts::n(&key).bits() != bits {
        return Err("the modulus came out with the wrong size".into());
    }
    Ok(key)
}

/// |p − q| > 2^(half − 100): FIPS 186-5 A.1.3 step 5.4.
fn far_apart(p: &BigUint, q: &BigUint, half: usize) -> bool {
    let difference = if p > q { p - q } else { q - p };
    difference.bits() > half - 100
}

/// A random prime of exactly `bits` bits with its two top bits set (so p·q has exactly 2·bits
/// bits) and p ≢ 1 (mod 65537); None when `stop` was raised meanwhile.
fn find_prime(bits: usize, stop: &AtomicBool) -> Option<BigUint> {
    let rounds = miller_rabin_rounds(bits);
    let mut rng = rand::rngs::OsRng;
    let mut bytes = vec![0u8; bits.div_ceil(8)];
    let mut marked = vec![false; WINDOW];
    loop {
        rng.fill_bytes(&mut bytes);
        let start = random_start(&mut bytes, bits);
        sieve(&start, &mut marked);
        for (i, _) in marked.iter().enumerate().filter(|(_, m)| !**m) {
            if stop.load(Ordering::Relaxed) {
                bytes.zeroize();
                return None;
            }
            let candidate = &start + BigUint::from(2 * i as u64);
            if candidate.bits() != bits {
                break;
            }
            // One base-2 round rejects nearly every composite; the full test runs once per prime.
            if probably_prime_miller_rabin(&candidate, 1, true)
                && probably_prime_miller_rabin(&candidate, rounds, false)
                && probably_prime_lucas(&candidate)
            {
                bytes.zeroize();
                return Some(candidate);
            }
        }
    }
}

/// The odd number of `bits` bits with the two top bits set that the random bytes spell.
fn random_start(bytes: &mut [u8], bits: usize) -> BigUint {
    let top = bits - 8 * (bytes.len() - 1); // bits used in the first byte, 1..=8
    bytes[0] &= ((1u16 << top) - 1) as u8;
    if top >= 2 {
        bytes[0] |= 3 << (top - 2);
    } else {
        bytes[0] |= 1;
        bytes[1] |= 0x80;
    }
    let last = bytes.len() - 1;
    bytes[last] |= 1;
    BigUint::from_bytes_be(bytes)
}

/// Marks window entry i (the number start + 2i) when a small prime divides it or it is
/// 1 mod 65537.
fn sieve(start: &BigUint, marked: &mut [bool]) {
    marked.fill(false);
    let mut strike = |modulus: u32, residue: u32, target: u32| {
        // start + 2i ≡ target (mod m)  ⇔  i ≡ (target − residue)·2⁻¹ (mod m), m odd.
        let m = u64::from(modulus);
        let inverse_of_two = m.div_ceil(2);
        let mut i =
            ((u64::from(target) + m - u64::from(residue)) % m * inverse_of_two % m) as usize;
        while i < marked.len() {
            marked[i] = true;
            i += modulus as usize;
        }
    };
    for (&prime, residue) in SMALL_PRIMES.iter().zip(residues(start, &SMALL_PRIMES)) {
        strike(prime, residue, 0);
    }
    strike(PUBLIC_EXPONENT, residue_of(start, PUBLIC_EXPONENT), 1);
}

/// start mod each small prime, reading the number once per group of primes whose product fits
/// in 64 bits.
fn residues(start: &BigUint, primes: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(primes.len());
    let mut group_start = 0;
    while group_start < primes.len() {
        let mut product: u64 = 1;
        let mut end = group_start;
        while end < primes.len() {
            match product.checked_mul(u64::from(primes[end])) {
                Some(p) => product = p,
                None => break,
            }
            end += 1;
        }
        let r = residue_u64(start, product);
        out.extend(
            primes[group_start..end]
                .iter()
                .map(|&p| (r % u64::from(p)) as u32),
        );
        group_start = end;
    }
    out
}

fn residue_of(start: &BigUint, modulus: u32) -> u32 {
    (residue_u64(start, u64::from(modulus))) as u32
}

/// start mod m for a 64-bit m, by Horner's rule over the little-endian bytes in 32-bit steps.
fn residue_u64(start: &BigUint, m: u64) -> u64 {
    let digits = start.to_bytes_le();
    let mut r: u128 = 0;
    for chunk in digits.chunks(4).rev() {
        let mut word = [0u8; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        r = ((r << 32) | u128::from(u32::from_le_bytes(word))) % u128::from(m);
    }
    r as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::traits::{PrivateKeyParts, PublicKeyParts};

    #[test]
    fn residues_match_big_number_arithmetic() {
        let start = BigUint::from_bytes_be(&[0xC7; 128]) + BigUint::from(12_345u32);
        let primes = &SMALL_PRIMES[..300];
        for (&p, r) in primes.iter().zip(residues(&start, primes)) {
            assert_eq!(BigUint::from(r), &start % BigUint::from(p), "mod {p}");
        }
        assert_eq!(
            BigUint::from(residue_of(&start, PUBLIC_EXPONENT)),
            &start % BigUint::from(PUBLIC_EXPONENT)
        );
    }

    #[test]
    fn sieve_marks_exactly_the_multiples_of_small_primes_and_one_mod_e() {
        let mut bytes = [0x5Au8; 64];
        let start = random_start(&mut bytes, 512);
        let mut marked = vec![false; WINDOW];
        sieve(&start, &mut marked);
        for (i, &m) in marked.iter().enumerate() {
            let n = &start + BigUint::from(2 * i as u64);
            let divisible = SMALL_PRIMES
                .iter()
                .any(|&p| (&n % BigUint::from(p)) == BigUint::from(0u32));
            let one_mod_e = &n % BigUint::from(PUBLIC_EXPONENT) == BigUint::from(1u32);
            assert_eq!(m, divisible || one_mod_e, "entry {i}");
        }
    }

    #[test]
    fn random_start_has_exact_size_and_two_top_bits() {
        for bits in [512usize, 1024, 1535, 2048] {
            let mut bytes = vec![0u8; bits.div_ceil(8)];
            let n = random_start(&mut bytes, bits);
            assert_eq!(n.bits(), bits);
            assert_eq!(&n >> (bits - 2), BigUint::from(3u32));
            assert_eq!(&n % BigUint::from(2u32), BigUint::from(1u32));
        }
    }

    #[test]
    fn generated_keys_meet_fips_186_5() {
        for bits in [1024usize, 2048] {
            let key = generate(bits).unwrap();
            let primes = key.primes();
            let (p, q) = (&primes[0], &primes[1]);
            let e = key.e();
            assert_eq!(e, &BigUint::from(PUBLIC_EXPONENT));
            assert_eq!(key.n().bits(), bits);
            assert_eq!(p.bits(), bits / 2);
            assert_eq!(q.bits(), bits / 2);
            assert_eq!(&(p * q), key.n());
            assert!(far_apart(p, q, bits / 2));
            for prime in [p, q] {
                // A stronger check than the generator's own: 20 more random-base rounds.
                assert!(probably_prime_miller_rabin(prime, 20, true));
                assert_ne!(prime % e, BigUint::from(1u32), "gcd(e, p − 1) must be 1");
            }
            key.validate().unwrap();
        }
        assert!(generate(1000).is_err());
    }
}
