//! Cryptography for Crew Plots, as pure functions and streams with no storage of their own.
//!
//! What lives here: the key ring of key-encryption keys (KEKs) loaded from configuration, and — as the
//! encrypted-data work lands — data-key generation and wrapping, segmented AES-256-GCM envelopes and password
//! hashing. Invariants: key material is never formatted by `Debug` or `Display`, and a key id is derived from
//! the key so the same key always has the same id on every instance.

pub mod keyring;
pub mod password;
pub mod sealed;
pub mod stream;

pub use keyring::{KeyRing, KeyRingError};
pub use password::{HashingError, PasswordHasher};
pub use sealed::{CryptoError, ObjectContext, SealedObject};
pub use stream::{EnvelopeHeader, OpeningStream, SealingStream, SegmentSize, StreamError};
