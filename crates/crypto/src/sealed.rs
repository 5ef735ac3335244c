//! Envelope encryption of small objects (a profile, a note body): one random data key (DEK) per object,
//! wrapped by the primary KEK; the content sealed with AES-256-GCM under the DEK.
//!
//! Associated data binds the wrapped DEK to its KEK id and object id, and the content to the envelope
//! version, the object kind, the object id and the owner id — so a ciphertext copied onto another person's
//! record, or another object, fails to open. Each DEK seals exactly one message, so its random nonce can
//! never repeat under that key; KEK wrapping uses random 96-bit nonces.

use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, AES_256_GCM, NONCE_LEN};
use ring::rand::{SecureRandom, SystemRandom};

use crate::keyring::{KeyRing, KEY_LEN};

/// Leads every sealed content blob.
pub const ENVELOPE_VERSION: u8 = 1;

/// What a sealed object is, for its associated data.
#[derive(Debug, Clone, Copy)]
pub struct ObjectContext<'a> {
    /// e.g. `profile`, `note_body`.
    pub kind: &'a str,
    pub object_id: &'a [u8],
    pub owner_id: &'a [u8],
}

/// A sealed object as stored: the KEK id, the wrapped DEK and the sealed content.
#[derive(Clone, PartialEq, Eq)]
pub struct SealedObject {
    pub kek_id: String,
    /// nonce ‖ AES-GCM(DEK) ‖ tag
    pub wrapped_dek: Vec<u8>,
    /// version ‖ nonce ‖ AES-GCM(content) ‖ tag
    pub content: Vec<u8>,
}

impl std::fmt::Debug for SealedObject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SealedObject")
            .field("kek_id", &self.kek_id)
            .field("content_len", &self.content.len())
            .finish_non_exhaustive()
    }
}

/// Why an object could not be sealed or opened. Deliberately coarse: an attacker learns nothing from which
/// check failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("the object was sealed under key {0}, which is not configured")]
    UnknownKey(String),
    #[error("the object failed authentication (altered, truncated or not this object's)")]
    Tampered,
    #[error("unsupported envelope version {0}")]
    UnsupportedVersion(u8),
    #[error("the system random generator failed")]
    Random,
}

fn aes_key(bytes: &[u8]) -> Result<LessSafeKey, CryptoError> {
    UnboundKey::new(&AES_256_GCM, bytes)
        .map(LessSafeKey::new)
        .map_err(|_| CryptoError::Tampered)
}

fn random<const N: usize>(rng: &SystemRandom) -> Result<[u8; N], CryptoError> {
    let mut out = [0u8; N];
    rng.fill(&mut out).map_err(|_| CryptoError::Random)?;
    Ok(out)
}

fn wrap_aad(kek_id: &str, object_id: &[u8]) -> Vec<u8> {
    let mut aad = b"crewplots/dek/v1\0".to_vec();
    aad.extend_from_slice(kek_id.as_bytes());
    aad.push(0);
    aad.extend_from_slice(object_id);
    aad
}

fn content_aad(ctx: &ObjectContext<'_>) -> Vec<u8> {
    let mut aad = vec![ENVELOPE_VERSION];
    for part in [ctx.kind.as_bytes(), ctx.object_id, ctx.owner_id] {
        aad.extend_from_slice(&u32::try_from(part.len()).unwrap_or(u32::MAX).to_be_bytes());
        aad.extend_from_slice(part);
    }
    // Segment index 0, last segment: small objects are a single final segment.
    aad.extend_from_slice(&0u64.to_be_bytes());
    aad.push(1);
    aad
}

fn seal_with(
    key: &LessSafeKey,
    nonce: [u8; NONCE_LEN],
    aad: &[u8],
    plain: &[u8],
    prefix: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let mut out =
        Vec::with_capacity(prefix.len() + NONCE_LEN + plain.len() + AES_256_GCM.tag_len());
    out.extend_from_slice(prefix);
    out.extend_from_slice(&nonce);
    let mut body = plain.to_vec();
    key.seal_in_place_append_tag(
        Nonce::assume_unique_for_key(nonce),
        Aad::from(aad),
        &mut body,
    )
    .map_err(|_| CryptoError::Tampered)?;
    out.extend_from_slice(&body);
    Ok(out)
}

fn open_with(key: &LessSafeKey, sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, CryptoError> {
    if sealed.len() < NONCE_LEN + AES_256_GCM.tag_len() {
        return Err(CryptoError::Tampered);
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| CryptoError::Tampered)?;
    let mut body = body.to_vec();
    let plain = key
        .open_in_place(nonce, Aad::from(aad), &mut body)
        .map_err(|_| CryptoError::Tampered)?;
    Ok(plain.to_vec())
}

/// Wraps a fresh DEK under the primary KEK; returns (DEK, kek id, wrapped DEK).
pub(crate) fn new_wrapped_dek(
    ring: &KeyRing,
    object_id: &[u8],
) -> Result<([u8; KEY_LEN], String, Vec<u8>), CryptoError> {
    let rng = SystemRandom::new();
    let dek: [u8; KEY_LEN] = random(&rng)?;
    let kek = ring.primary();
    let wrapped = seal_with(
        &aes_key(kek.bytes())?,
        random(&rng)?,
        &wrap_aad(kek.id(), object_id),
        &dek,
        &[],
    )?;
    Ok((dek, kek.id().to_string(), wrapped))
}

/// Unwraps a DEK with the KEK named by `kek_id`.
pub(crate) fn unwrap_dek(
    ring: &KeyRing,
    kek_id: &str,
    wrapped: &[u8],
    object_id: &[u8],
) -> Result<[u8; KEY_LEN], CryptoError> {
    let kek = ring
        .get(kek_id)
        .ok_or_else(|| CryptoError::UnknownKey(kek_id.to_string()))?;
    let dek = open_with(
        &aes_key(kek.bytes())?,
        wrapped,
        &wrap_aad(kek_id, object_id),
    )?;
    dek.try_into().map_err(|_| CryptoError::Tampered)
}

/// Seals `plain` as the object described by `ctx`.
pub fn seal(
    ring: &KeyRing,
    ctx: &ObjectContext<'_>,
    plain: &[u8],
) -> Result<SealedObject, CryptoError> {
    let (dek, kek_id, wrapped_dek) = new_wrapped_dek(ring, ctx.object_id)?;
    let nonce = random(&SystemRandom::new())?;
    let content = seal_with(
        &aes_key(&dek)?,
        nonce,
        &content_aad(ctx),
        plain,
        &[ENVELOPE_VERSION],
    )?;
    Ok(SealedObject {
        kek_id,
        wrapped_dek,
        content,
    })
}

/// Opens a sealed object; fails unless it is intact and belongs to `ctx`.
pub fn open(
    ring: &KeyRing,
    ctx: &ObjectContext<'_>,
    sealed: &SealedObject,
) -> Result<Vec<u8>, CryptoError> {
    let (&version, rest) = sealed.content.split_first().ok_or(CryptoError::Tampered)?;
    if version != ENVELOPE_VERSION {
        return Err(CryptoError::UnsupportedVersion(version));
    }
    let dek = unwrap_dek(ring, &sealed.kek_id, &sealed.wrapped_dek, ctx.object_id)?;
    open_with(&aes_key(&dek)?, rest, &content_aad(ctx))
}

/// Re-wraps the object's DEK under the current primary KEK (key rotation); the content is untouched.
pub fn rewrap(
    ring: &KeyRing,
    object_id: &[u8],
    kek_id: &str,
    wrapped_dek: &[u8],
) -> Result<(String, Vec<u8>), CryptoError> {
    let dek = unwrap_dek(ring, kek_id, wrapped_dek, object_id)?;
    let kek = ring.primary();
    let wrapped = seal_with(
        &aes_key(kek.bytes())?,
        random(&SystemRandom::new())?,
        &wrap_aad(kek.id(), object_id),
        &dek,
        &[],
    )?;
    Ok((kek.id().to_string(), wrapped))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use proptest::prelude::*;
    use secrecy::SecretString;

    fn ring_with(seed: u8, old: Option<u8>) -> KeyRing {
        let key = |s: u8| -> SecretString {
            let bytes: Vec<u8> = (0..32u8)
                .map(|i| i.wrapping_mul(31).wrapping_add(s))
                .collect();
            SecretString::from(base64::engine::general_purpose::STANDARD.encode(bytes))
        };
        KeyRing::from_config(Some(&key(seed)), old.map(key).as_ref()).unwrap()
    }

    const CTX: ObjectContext<'static> = ObjectContext {
        kind: "profile",
        object_id: b"object-1",
        owner_id: b"owner-1",
    };

    #[test]
    fn sealing_round_trips_and_hides_the_plaintext() {
        let ring = ring_with(1, None);
        let plain = b"+31 6 12345678 MARKER";
        let sealed = seal(&ring, &CTX, plain).unwrap();
        assert!(!sealed.content.windows(6).any(|w| w == b"MARKER"));
        assert_eq!(open(&ring, &CTX, &sealed).unwrap(), plain);
    }

    #[test]
    fn another_owner_object_or_kind_cannot_open_it() {
        let ring = ring_with(1, None);
        let sealed = seal(&ring, &CTX, b"secret").unwrap();
        for ctx in [
            ObjectContext {
                owner_id: b"owner-2",
                ..CTX
            },
            ObjectContext {
                object_id: b"object-2",
                ..CTX
            },
            ObjectContext {
                kind: "note_body",
                ..CTX
            },
        ] {
            assert!(open(&ring, &ctx, &sealed).is_err(), "{ctx:?}");
        }
    }

    #[test]
    fn an_unknown_key_is_named_and_rotation_keeps_objects_readable() {
        let old = ring_with(1, None);
        let sealed = seal(&old, &CTX, b"secret").unwrap();
        let unrelated = ring_with(2, None);
        assert!(matches!(
            open(&unrelated, &CTX, &sealed),
            Err(CryptoError::UnknownKey(_))
        ));

        let rotating = ring_with(2, Some(1));
        let (kek_id, wrapped_dek) = rewrap(
            &rotating,
            CTX.object_id,
            &sealed.kek_id,
            &sealed.wrapped_dek,
        )
        .unwrap();
        assert_eq!(kek_id, rotating.primary().id());
        let rotated = SealedObject {
            kek_id,
            wrapped_dek,
            ..sealed
        };
        assert_eq!(open(&unrelated, &CTX, &rotated).unwrap(), b"secret");
    }

    proptest! {
        #[test]
        fn any_single_bit_flip_anywhere_fails(plain in prop::collection::vec(any::<u8>(), 0..300), flip in any::<prop::sample::Index>(), bit in 0u8..8, target in 0usize..3) {
            let ring = ring_with(3, None);
            let mut sealed = seal(&ring, &CTX, &plain).unwrap();
            match target {
                0 => { let i = flip.index(sealed.content.len()); sealed.content[i] ^= 1 << bit; }
                1 => { let i = flip.index(sealed.wrapped_dek.len()); sealed.wrapped_dek[i] ^= 1 << bit; }
                _ => { sealed.content.truncate(flip.index(sealed.content.len())); }
            }
            prop_assert!(open(&ring, &CTX, &sealed).is_err());
        }
    }
}
