//! bcrypt's computation, with a place to pause between rounds.
//!
//! A bcrypt hash at cost 12 is 4 096 rounds of Blowfish's expensive key schedule, about 0.3 s of one core
//! with no point where the `bcrypt` crate lets its thread stop. This module runs the same computation from
//! the same primitives (the `blowfish` crate's bcrypt functions, which the `bcrypt` crate calls too) and
//! calls `give_way` after each round, where a hashing thread can step aside for requests
//! ([`super::foreground`]). Salts come from `ring`'s system random source, like the rest of this crate's
//! randomness; the hash text's encoding and its parsing stay the `bcrypt` crate's. The tests check that both
//! produce the same hashes and accept each other's.

use std::str::FromStr;

use base64::Engine;
use blowfish::Blowfish;
use ring::rand::{SecureRandom, SystemRandom};
use subtle::ConstantTimeEq;

use crate::sealed::CryptoError;

/// The costs bcrypt defines.
const COSTS: std::ops::RangeInclusive<u32> = 4..=31;
/// bcrypt reads at most this many bytes of the password (its terminating NUL included).
const KEY_LIMIT: usize = 72;
/// The characters of a hash text after the salt: 23 bytes of output in bcrypt's base64.
const OUTPUT_CHARS: usize = 31;

/// A new `$2b$` hash of `password` at `cost`, with a fresh random salt.
pub(super) fn hash(
    password: &str,
    cost: u32,
    give_way: &mut impl FnMut(),
) -> Result<String, CryptoError> {
    if !COSTS.contains(&cost) {
        return Err(CryptoError::Random);
    }
    let mut salt = [0u8; 16];
    SystemRandom::new()
        .fill(&mut salt)
        .map_err(|_| CryptoError::Random)?;
    Ok(hash_with_salt(password, cost, salt, give_way))
}

/// Whether `password` matches `hash` (`$2a$`, `$2b$`, `$2x$` or `$2y$`). A malformed hash never matches.
pub(super) fn verify(password: &str, hash: &str, give_way: &mut impl FnMut()) -> bool {
    // The `bcrypt` crate checks the shape: a known prefix, a cost and 53 characters of salt and output.
    let Ok(parts) = bcrypt::HashParts::from_str(hash) else {
        return false;
    };
    let cost = parts.get_cost();
    let Some(salt) = bcrypt::BASE_64
        .decode(parts.get_salt())
        .ok()
        .and_then(|salt| <[u8; 16]>::try_from(salt).ok())
    else {
        return false;
    };
    // 53 ASCII characters were checked, so the last 31 are a character boundary.
    let Ok(stored) = bcrypt::BASE_64.decode(&hash[hash.len() - OUTPUT_CHARS..]) else {
        return false;
    };
    if !COSTS.contains(&cost) {
        return false;
    }
    let computed = bcrypt_output(cost, &salt, &key(password), give_way);
    stored.ct_eq(&computed[..23]).into()
}

fn hash_with_salt(
    password: &str,
    cost: u32,
    salt: [u8; 16],
    give_way: &mut impl FnMut(),
) -> String {
    let output = bcrypt_output(cost, &salt, &key(password), give_way);
    format!(
        "$2b${cost:02}${}{}",
        bcrypt::BASE_64.encode(salt),
        bcrypt::BASE_64.encode(&output[..23])
    )
}

/// The password as bcrypt keys with it: its bytes and a NUL, cut at 72 bytes.
fn key(password: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(password.len() + 1);
    key.extend_from_slice(password.as_bytes());
    key.push(0);
    key.truncate(KEY_LIMIT);
    key
}

/// The 24 bytes of bcrypt output: the expensive key schedule ("EksBlowfishSetup"), then
/// "OrpheanBeholderScryDoubt" encrypted 64 times.
fn bcrypt_output(cost: u32, salt: &[u8; 16], key: &[u8], give_way: &mut impl FnMut()) -> [u8; 24] {
    let mut state = Blowfish::bc_init_state();
    state.salted_expand_key(salt, key);
    for _ in 0..1u32 << cost {
        state.bc_expand_key(key);
        state.bc_expand_key(salt);
        give_way();
    }
    #[allow(clippy::unreadable_literal)]
    let mut text: [u32; 6] = [
        0x4f727068, 0x65616e42, 0x65686f6c, 0x64657253, 0x63727944, 0x6f756274,
    ];
    for pair in text.chunks_exact_mut(2) {
        for _ in 0..64 {
            let [left, right] = state.bc_encrypt([pair[0], pair[1]]);
            pair[0] = left;
            pair[1] = right;
        }
    }
    let mut output = [0u8; 24];
    for (bytes, word) in output.chunks_exact_mut(4).zip(text) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    output
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn no_pause() -> impl FnMut() {
        || {}
    }

    #[test]
    fn known_answers() {
        // Published test vectors (OpenBSD's and jBCrypt's).
        for (password, hash) in [
            (
                "",
                "$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.",
            ),
            (
                "U*U",
                "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
            ),
            (
                "abcdefghijklmnopqrstuvwxyz",
                "$2a$06$.rCVZVOThsIa97pEDOxvGuRRgzG64bvtJ0938xuqzv18d3ZpQhstC",
            ),
        ] {
            assert!(verify(password, hash, &mut no_pause()), "{password:?}");
            assert!(!verify("wrong", hash, &mut no_pause()));
        }
    }

    #[test]
    fn the_key_schedule_gives_way_once_a_round() {
        let mut calls = 0u32;
        hash("a password", 5, &mut || calls += 1).unwrap();
        assert_eq!(calls, 1 << 5);
    }

    #[test]
    fn malformed_hashes_and_costs_never_match() {
        let made = hash("secret", 4, &mut no_pause()).unwrap();
        for bad in [
            "",
            "not a hash",
            &made[..made.len() - 1],
            &made.replace("$2b$04$", "$2b$99$"),
            &made.replace("$2b$04$", "$2b$03$"),
            &made.replace("$2b$", "$3b$"),
        ] {
            assert!(!verify("secret", bad, &mut no_pause()), "{bad}");
        }
        assert!(hash("secret", 3, &mut no_pause()).is_err());
        assert!(hash("secret", 32, &mut no_pause()).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The same hash text as the `bcrypt` crate for any password (past 72 bytes too) and salt, and
        /// each accepts the other's hashes.
        #[test]
        fn agrees_with_the_bcrypt_crate(
            password in "\\PC{0,90}",
            salt in proptest::array::uniform16(any::<u8>()),
            cost in 4u32..=5,
        ) {
            let ours = hash_with_salt(&password, cost, salt, &mut no_pause());
            let theirs = bcrypt::hash_with_salt(&password, cost, salt)
                .unwrap()
                .format_for_version(bcrypt::Version::TwoB);
            prop_assert_eq!(&ours, &theirs);
            prop_assert!(bcrypt::verify(&password, &ours).unwrap());
            let theirs_2y = bcrypt::hash_with_salt(&password, cost, salt)
                .unwrap()
                .format_for_version(bcrypt::Version::TwoY);
            prop_assert!(verify(&password, &theirs_2y, &mut no_pause()));
            let other = format!("{password}x");
            prop_assert_eq!(
                verify(&other, &ours, &mut no_pause()),
                bcrypt::verify(&other, &ours).unwrap()
            );
        }
    }
}
