//! Keyed hashes and comparing secrets. Every HMAC Waymark makes (the audit chain and its
//! checkpoints, CSRF tokens, known-device proofs, the server key's derived keys, the light
//! 360's answered marks) is HMAC-SHA256 over parts fed in order, made here; and secrets are
//! compared in time that does not depend on where they differ, so that a timing measurement
//! does not reveal a correct prefix.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// HMAC-SHA256 under `key` over `parts`, fed one after another.
pub fn keyed_hash(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key");
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

/// [`keyed_hash`] as 64 lowercase hexadecimal digits.
pub fn keyed_hex(key: &[u8], parts: &[&[u8]]) -> String {
    hex::encode(keyed_hash(key, parts))
}

pub fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_only_when_equal() {
        assert!(super::same_secret("abc", "abc"));
        assert!(!super::same_secret("abc", "abd") && !super::same_secret("abc", "ab"));
    }

    #[test]
    fn parts_are_fed_in_order_under_the_key() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        let h = super::keyed_hex(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(h, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assert_ne!(super::keyed_hex(b"Jefe", &[b"b", b"a"]), super::keyed_hex(b"Jefe", &[b"a", b"b"]));
    }
}
