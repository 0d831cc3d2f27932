//! Password hashing with argon2 (the crate's default parameters, OWASP-grade).

use argon2::password_hash::{PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::{Argon2, PasswordHash};
use rand::Rng;

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with default parameters does not fail")
        .to_string()
}

pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Hashing takes tens of milliseconds of CPU: keep it off the async workers.
pub async fn hash_blocking(password: String) -> String {
    tokio::task::spawn_blocking(move || hash(&password)).await.expect("hashing task")
}

pub async fn verify_blocking(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || verify(&password, &stored)).await.expect("verifying task")
}

/// A random password that reads well aloud and types well on a tablet:
/// no 0/O, 1/l/I.
pub fn generate() -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY23456789";
    let mut rng = rand::rng();
    (0..14).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_and_no_other() {
        let stored = hash("tsuchinoko-2026");
        assert!(verify("tsuchinoko-2026", &stored));
        assert!(!verify("tsuchinoko-2027", &stored));
        assert!(!verify("tsuchinoko-2026", "not a hash"));
    }

    #[test]
    fn generated_passwords_differ_and_avoid_lookalikes() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert!(!a.contains(['0', 'O', '1', 'l', 'I']));
        assert_eq!(a.len(), 14);
    }
}
