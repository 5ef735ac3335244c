//! The key ring: every key-encryption key (KEK) the process knows, one of them primary.
//!
//! Operators configure the primary key as `ENCRYPTION_KEY` and, while a rotation is under way, the keys it
//! replaces as `ENCRYPTION_OLD_KEYS` (comma separated). Each key is 32 random bytes written as standard
//! base64 (44 characters) or as 64 hex digits. A key's id is a fingerprint of the key itself (HMAC-SHA-256
//! of a fixed label, first 8 bytes, hex), so ids need no separate configuration and cannot be mixed up.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use ring::hmac;
use secrecy::{ExposeSecret, SecretSlice, SecretString};

/// Length of a KEK in bytes (AES-256).
pub const KEY_LEN: usize = 32;

/// Why configured key material was refused. Messages name the setting but never echo the value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyRingError {
    #[error("{setting} is not set")]
    Missing { setting: &'static str },
    #[error("{setting} must be 32 random bytes as base64 (44 characters) or hex (64 digits)")]
    Malformed { setting: &'static str },
    #[error("{setting} is too weak: {reason}")]
    Weak {
        setting: &'static str,
        reason: &'static str,
    },
}

/// A key-encryption key with its derived id.
pub struct Kek {
    id: String,
    key: SecretSlice<u8>,
}

impl Kek {
    /// The fingerprint id stored next to every key this KEK wraps.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The raw key, for the wrapping code in this crate only.
    pub(crate) fn bytes(&self) -> &[u8] {
        self.key.expose_secret()
    }
}

impl fmt::Debug for Kek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kek")
            .field("id", &self.id)
            .field("key", &"[redacted]")
            .finish()
    }
}

/// All configured KEKs by id, and which one encrypts new objects.
#[derive(Debug)]
pub struct KeyRing {
    primary: String,
    keys: BTreeMap<String, Kek>,
}

impl KeyRing {
    /// Builds the ring from the primary key and any older keys still needed to unwrap existing objects.
    pub fn from_config(
        primary: Option<&SecretString>,
        old_keys: Option<&SecretString>,
    ) -> Result<Self, KeyRingError> {
        let primary = primary.ok_or(KeyRingError::Missing {
            setting: "ENCRYPTION_KEY",
        })?;
        let primary = parse_key(primary.expose_secret(), "ENCRYPTION_KEY")?;
        let primary_id = primary.id.clone();
        let mut keys = BTreeMap::new();
        keys.insert(primary.id.clone(), primary);
        if let Some(old) = old_keys {
            for text in old
                .expose_secret()
                .split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                let kek = parse_key(text, "ENCRYPTION_OLD_KEYS")?;
                keys.entry(kek.id.clone()).or_insert(kek);
            }
        }
        Ok(Self {
            primary: primary_id,
            keys,
        })
    }

    /// The key new objects are wrapped with.
    pub fn primary(&self) -> &Kek {
        // Invariant: the constructor always inserts the primary key under `self.primary`.
        #[allow(clippy::expect_used)]
        self.keys
            .get(&self.primary)
            .expect("primary key is always in the ring")
    }

    /// A key by id, if this process knows it.
    pub fn get(&self, id: &str) -> Option<&Kek> {
        self.keys.get(id)
    }

    /// Ids of every key in the ring.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.keys.keys().map(String::as_str)
    }
}

fn parse_key(text: &str, setting: &'static str) -> Result<Kek, KeyRingError> {
    let text = text.trim();
    let bytes = if text.len() == 2 * KEY_LEN && text.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(text).map_err(|_| KeyRingError::Malformed { setting })?
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|_| KeyRingError::Malformed { setting })?
    };
    if bytes.len() != KEY_LEN {
        return Err(KeyRingError::Malformed { setting });
    }
    if is_low_entropy(&bytes) {
        return Err(KeyRingError::Weak {
            setting,
            reason: "the key repeats too few distinct bytes to be random",
        });
    }
    let id = fingerprint(&bytes);
    Ok(Kek {
        id,
        key: SecretSlice::from(bytes),
    })
}

/// 32 random bytes have ~30 distinct values; a hand-typed or zero key has a handful.
fn is_low_entropy(bytes: &[u8]) -> bool {
    let mut seen = [false; 256];
    for &b in bytes {
        seen[usize::from(b)] = true;
    }
    seen.iter().filter(|&&s| s).count() < 16
}

fn fingerprint(key: &[u8]) -> String {
    let mac = hmac::sign(
        &hmac::Key::new(hmac::HMAC_SHA256, key),
        b"crewplots kek id v1",
    );
    hex::encode(&mac.as_ref()[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(bytes: &[u8]) -> SecretString {
        SecretString::from(base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    fn random_like(seed: u8) -> Vec<u8> {
        (0..32u8)
            .map(|i| i.wrapping_mul(37).wrapping_add(seed))
            .collect()
    }

    #[test]
    fn a_missing_primary_key_names_the_setting() {
        let err = KeyRing::from_config(None, None).unwrap_err();
        assert_eq!(err.to_string(), "ENCRYPTION_KEY is not set");
    }

    #[test]
    fn keys_of_the_wrong_length_are_refused() {
        let err = KeyRing::from_config(Some(&b64(&[7u8; 16])), None).unwrap_err();
        assert!(matches!(
            err,
            KeyRingError::Malformed {
                setting: "ENCRYPTION_KEY"
            }
        ));
    }

    #[test]
    fn an_all_zero_key_is_refused_as_weak() {
        let err = KeyRing::from_config(Some(&b64(&[0u8; 32])), None).unwrap_err();
        assert!(matches!(err, KeyRingError::Weak { .. }));
    }

    #[test]
    fn hex_and_base64_of_the_same_key_give_the_same_id() {
        let key = random_like(3);
        let a = KeyRing::from_config(Some(&b64(&key)), None).unwrap();
        let b = KeyRing::from_config(Some(&SecretString::from(hex::encode(&key))), None).unwrap();
        assert_eq!(a.primary().id(), b.primary().id());
        assert_eq!(a.primary().id().len(), 16);
    }

    #[test]
    fn old_keys_join_the_ring_but_are_not_primary() {
        let new = random_like(1);
        let old = random_like(2);
        let ring = KeyRing::from_config(Some(&b64(&new)), Some(&b64(&old))).unwrap();
        assert_eq!(ring.ids().count(), 2);
        let old_id = fingerprint(&old);
        assert!(ring.get(&old_id).is_some());
        assert_ne!(ring.primary().id(), old_id);
    }

    #[test]
    fn debug_output_never_contains_key_material() {
        let key = random_like(9);
        let ring = KeyRing::from_config(Some(&b64(&key)), None).unwrap();
        let shown = format!("{ring:?}");
        assert!(shown.contains("[redacted]"));
        assert!(!shown.contains(&hex::encode(&key)));
        assert!(!shown.contains(&format!("{:?}", key[0..4].to_vec())));
    }
}
