//! Making and checking secrets: 32 bytes from the operating system's generator, written
//! as base64url after their kind marker; stored as SHA-256, compared in constant time.

use crate::domain::credential::{visible_prefix, Kind, SECRET_BYTES};
use base64::Engine;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// A fresh secret: (the secret, its visible prefix, its hash).
pub struct Minted {
    pub secret: String,
    pub prefix: String,
    pub hash: Vec<u8>,
}

/// Makes a secret of `kind`.
pub fn mint(kind: Kind) -> Result<Minted, getrandom::Error> {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes)?;
    let secret =
        format!("{}{}", kind.marker(), base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let prefix = visible_prefix(&secret).unwrap_or_default().to_owned();
    Ok(Minted { hash: hash(&secret), prefix, secret })
}

/// A fresh link secret (an invitation's): `inv_` and 32 random bytes; (the secret, its
/// hash).
pub fn link_token() -> Result<(String, Vec<u8>), getrandom::Error> {
    let mut bytes = [0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes)?;
    let secret = format!("inv_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let hashed = hash(&secret);
    Ok((secret, hashed))
}

/// The stored form of a secret.
pub fn hash(secret: &str) -> Vec<u8> {
    Sha256::digest(secret.as_bytes()).to_vec()
}

/// The SHA-256 of a secret, as a fixed-size key (the verification cache's).
pub fn digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Whether `secret` hashes to `stored`, in time that does not depend on where they differ.
pub fn matches(secret: &str, stored: &[u8]) -> bool {
    let computed = hash(secret);
    computed.len() == stored.len() && bool::from(computed.as_slice().ct_eq(stored))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_secrets_are_long_random_and_checkable() {
        let a = mint(Kind::ApiKey).expect("mint");
        let b = mint(Kind::ApiKey).expect("mint");
        assert!(a.secret.starts_with("stoa_sk_") && a.secret.len() == 8 + 43, "{}", a.secret);
        assert_ne!(a.secret, b.secret);
        assert!(a.secret.starts_with(&a.prefix) && a.prefix.len() == 14);
        assert!(matches(&a.secret, &a.hash));
        assert!(!matches(&b.secret, &a.hash));
        assert!(!matches(&a.secret, &a.hash[..31]));
        assert!(mint(Kind::ClientSecret).expect("mint").secret.starts_with("stoa_cs_"));
    }
}
