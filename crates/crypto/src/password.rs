//! Password hashing with bcrypt. These functions are CPU-bound (~0.3 s at cost 12): callers run them on the
//! blocking thread pool, never on an async worker.

use crate::sealed::CryptoError;

/// Hashes a password at the given cost.
pub fn hash(password: &str, cost: u32) -> Result<String, CryptoError> {
    bcrypt::hash(password, cost).map_err(|_| CryptoError::Random)
}

/// Whether the password matches the hash. A malformed hash never matches.
pub fn verify(password: &str, hash: &str) -> bool {
    bcrypt::verify(password, hash).unwrap_or(false)
}

/// Whether a stored hash was made with a lower cost than configured (and should be upgraded at the next
/// successful login).
pub fn needs_rehash(hash: &str, cost: u32) -> bool {
    // Format: $2b$12$<53 characters>
    hash.get(4..6)
        .and_then(|c| c.parse::<u32>().ok())
        .is_none_or(|stored| stored < cost)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_and_report_their_cost() {
        let hashed = hash("correct horse battery", 4).unwrap();
        assert!(verify("correct horse battery", &hashed));
        assert!(!verify("correct horse batterz", &hashed));
        assert!(!verify("anything", "not a hash"));
        assert!(needs_rehash(&hashed, 5));
        assert!(!needs_rehash(&hashed, 4));
        assert!(needs_rehash("garbage", 4));
    }
}
