//! The server's own key (issue 21, items 5 and 7): a random secret that lives outside the
//! database — in the data directory (`secret.key`, made on first start) or the configuration —
//! so that someone who can write to the database cannot recompute the audit chain or forge a
//! CSRF token. Each use gets its own key derived from it, so one leaked purpose does not give
//! away another.

use std::path::Path;

use crate::{AppError, AppResult};

#[derive(Clone)]
pub struct ServerKey([u8; 32]);

impl std::fmt::Debug for ServerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKey(…)")
    }
}

/// What a derived key is for; the names are part of the derivation and never change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Keys the audit chain's hashes.
    AuditChain,
    /// Signs the checkpoints of the audit chain's head written outside the database.
    AuditCheckpoint,
    /// Binds a form's CSRF token to its session.
    Csrf,
    /// Signs a browser's proof that it signed in to an account before.
    KnownDevice,
}

impl Purpose {
    fn label(self) -> &'static [u8] {
        match self {
            Self::AuditChain => b"waymark/audit-chain/v2",
            Self::AuditCheckpoint => b"waymark/audit-checkpoint/v1",
            Self::Csrf => b"waymark/csrf/v1",
            Self::KnownDevice => b"waymark/known-device/v1",
        }
    }
}

impl ServerKey {
    /// A fresh random key (tests, and the first start).
    pub fn random() -> AppResult<Self> {
        let mut b = [0u8; 32];
        getrandom::fill(&mut b).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
        Ok(Self(b))
    }

    pub fn from_bytes(b: [u8; 32]) -> Self {
        Self(b)
    }

    /// The key written as 64 hexadecimal digits (the configuration's `secret_key`).
    pub fn parse_hex(s: &str) -> Result<Self, String> {
        let bytes = hex::decode(s.trim()).map_err(|_| "secret_key must be 64 hexadecimal digits".to_string())?;
        let b: [u8; 32] =
            bytes.try_into().map_err(|_| "secret_key must be 64 hexadecimal digits (32 bytes)".to_string())?;
        Ok(Self(b))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Reads the key file, or makes one (readable by its owner only) when there is none.
    pub fn load_or_create(path: &Path) -> std::io::Result<Self> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::parse_hex(&text)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{}: {e}", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::random().map_err(|e| std::io::Error::other(e.to_string()))?;
                write_private(path, &format!("{}\n", key.to_hex()))?;
                Ok(key)
            }
            Err(e) => Err(e),
        }
    }

    /// The key for one purpose: HMAC-SHA256(server key, purpose).
    pub fn derive(&self, purpose: Purpose) -> [u8; 32] {
        waymark_domain::secrets::keyed_hash(&self.0, &[purpose.label()])
    }
}

/// Writes a new file that only its owner may read (created, never overwritten).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path)?;
    f.write_all(text.as_bytes())?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_get_different_keys_and_the_hex_form_round_trips() {
        let k = ServerKey::from_bytes([7; 32]);
        assert_ne!(k.derive(Purpose::AuditChain), k.derive(Purpose::Csrf));
        assert_eq!(ServerKey::parse_hex(&k.to_hex()).unwrap().0, [7; 32]);
        assert!(ServerKey::parse_hex("abc").is_err());
        assert_eq!(format!("{k:?}"), "ServerKey(…)");
    }

    #[test]
    fn the_key_file_is_made_once_and_read_back() {
        let dir = std::env::temp_dir().join(format!("wm-key-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("secret.key");
        let a = ServerKey::load_or_create(&p).unwrap();
        let b = ServerKey::load_or_create(&p).unwrap();
        assert_eq!(a.0, b.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}
