//! The tamper-evident audit chain (SPEC P-2). Each record's hash covers a canonical
//! serialization of every column of the record and the previous record's hash, so altering or
//! deleting any stored record breaks the chain from that point on. Since issue 21 the hash is
//! keyed (HMAC-SHA256 with a key that lives outside the database): someone who can write to
//! the database can no longer edit a record and recompute the hashes after it. A rewind (the
//! newest records deleted and the head moved back) leaves a consistent shorter chain; it is
//! found against the signed checkpoints of the head kept outside the database ([`Checkpoint`]).

use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::secrets::{keyed_hex, same_secret};

/// The hash before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One record of the chain as kept: what changed, by whom, about whom, and its place in the
/// chain (its hash is given out with it, to compare with a checkpoint).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub seq: i64,
    pub id: String,
    /// RFC 3339 UTC with microseconds, exactly as stored (the hash reads these bytes).
    pub occurred_at: String,
    pub actor: String,
    pub actor_user_id: Option<Uuid>,
    pub entity_type: String,
    pub entity_id: String,
    pub subject_employee_id: Option<Uuid>,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The chain's newest record: how many there are and the last hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub seq: i64,
    pub hash: String,
    /// Hashed under the key (false: a chain written before issue 21, not yet re-hashed).
    pub keyed: bool,
}

/// An audit record as stored; every column is covered by the hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFields<'a> {
    pub seq: i64,
    pub id: &'a str,
    /// RFC 3339 UTC with microseconds, exactly as stored.
    pub occurred_at: &'a str,
    pub actor: &'a str,
    /// The acting account's id, as text (none for the command line).
    pub actor_user_id: Option<&'a str>,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    /// The employee the record is about, as text.
    pub subject_employee_id: Option<&'a str>,
    pub action: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub reason: Option<&'a str>,
}

/// The record and the previous hash as hashed: fields length-prefixed so that no two different
/// records serialize alike, and `None` differs from an empty text. The first scheme left out
/// the two id columns.
fn canonical(prev_hash: &str, r: &AuditFields, with_ids: bool) -> Vec<u8> {
    let mut out = Vec::new();
    let mut put = |v: Option<&str>| match v {
        None => out.extend_from_slice(b"-\n"),
        Some(s) => {
            out.extend_from_slice(format!("{}:", s.len()).as_bytes());
            out.extend_from_slice(s.as_bytes());
            out.push(b'\n');
        }
    };
    put(Some(prev_hash));
    put(Some(&r.seq.to_string()));
    put(Some(r.id));
    put(Some(r.occurred_at));
    put(Some(r.actor));
    if with_ids {
        put(r.actor_user_id);
    }
    put(Some(r.entity_type));
    put(Some(r.entity_id));
    if with_ids {
        put(r.subject_employee_id);
    }
    put(Some(r.action));
    put(r.before);
    put(r.after);
    put(r.reason);
    out
}

/// The keyed hash of a record chained to `prev_hash` (scheme 2): HMAC-SHA256 under the
/// chain's key over every column.
pub fn chain_hash(key: &[u8; 32], prev_hash: &str, r: &AuditFields) -> String {
    keyed_hex(key, &[b"waymark-audit-v2\n", &canonical(prev_hash, r, true)])
}

/// The first scheme's hash (unkeyed SHA-256, without the two id columns): only read, to check a
/// chain written before issue 21 before it is re-hashed under the key.
pub fn legacy_chain_hash(prev_hash: &str, r: &AuditFields) -> String {
    let mut h = Sha256::new();
    h.update(b"waymark-audit-v1\n");
    h.update(canonical(prev_hash, r, false));
    hex::encode(h.finalize())
}

/// What a verification found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainBreak {
    /// The record's stored hash does not match its content.
    Altered { seq: i64 },
    /// The record does not follow the one before it (a record was removed or inserted).
    Gap { expected_seq: i64, found_seq: i64 },
    /// The chain head names a later record than the last one stored.
    Truncated { head_seq: i64, last_seq: i64 },
    /// A signed checkpoint outside the database saw record #`checkpoint_seq`, but the chain now
    /// ends at #`head_seq`: the newest records were deleted and the head moved back.
    Rewound { checkpoint_seq: i64, head_seq: i64 },
    /// Record #`seq` is not the one a signed checkpoint saw: the chain was rewritten.
    Rewritten { seq: i64 },
    /// A line of the checkpoint file is not signed by this server's key.
    ForgedCheckpoint { line: usize },
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Altered { seq } => write!(f, "audit record #{seq} was altered: its hash does not match its content"),
            Self::Gap { expected_seq, found_seq } => {
                write!(f, "audit record #{expected_seq} is missing (next stored record is #{found_seq})")
            }
            Self::Truncated { head_seq, last_seq } => {
                write!(f, "audit records after #{last_seq} are missing (the chain head is #{head_seq})")
            }
            Self::Rewound { checkpoint_seq, head_seq } => write!(
                f,
                "the audit chain was rewound: a signed checkpoint saw record #{checkpoint_seq}, the chain now ends at \
                 #{head_seq}; {} record(s) are missing",
                checkpoint_seq - head_seq
            ),
            Self::Rewritten { seq } => {
                write!(f, "audit record #{seq} is not the one a signed checkpoint saw: the chain was rewritten")
            }
            Self::ForgedCheckpoint { line } => {
                write!(f, "line {line} of the checkpoint file is not signed by this server's key")
            }
        }
    }
}

/// Incremental verifier: feed records in `seq` order, then call [`ChainVerifier::finish`].
pub struct ChainVerifier {
    prev_hash: String,
    next_seq: i64,
    /// The chain's key; `None` checks the legacy unkeyed scheme.
    key: Option<[u8; 32]>,
}

impl ChainVerifier {
    /// A verifier of a keyed chain (scheme 2).
    pub fn keyed(key: [u8; 32]) -> Self {
        Self { prev_hash: GENESIS.to_string(), next_seq: 1, key: Some(key) }
    }

    /// A verifier of a chain written before the key (scheme 1).
    pub fn legacy() -> Self {
        Self { prev_hash: GENESIS.to_string(), next_seq: 1, key: None }
    }

    fn hash(&self, r: &AuditFields) -> String {
        match &self.key {
            Some(k) => chain_hash(k, &self.prev_hash, r),
            None => legacy_chain_hash(&self.prev_hash, r),
        }
    }

    pub fn check(&mut self, r: &AuditFields, stored_prev: &str, stored_hash: &str) -> Result<(), ChainBreak> {
        if r.seq != self.next_seq || stored_prev != self.prev_hash {
            return Err(if r.seq != self.next_seq {
                ChainBreak::Gap { expected_seq: self.next_seq, found_seq: r.seq }
            } else {
                ChainBreak::Altered { seq: r.seq }
            });
        }
        if self.hash(r) != stored_hash {
            return Err(ChainBreak::Altered { seq: r.seq });
        }
        self.prev_hash = stored_hash.to_string();
        self.next_seq += 1;
        Ok(())
    }

    /// Compares the end of the chain with the head row that appends keep up to date.
    pub fn finish(&self, head_seq: i64, head_hash: &str) -> Result<u64, ChainBreak> {
        let last_seq = self.next_seq - 1;
        if head_seq != last_seq {
            return Err(ChainBreak::Truncated { head_seq, last_seq });
        }
        if head_hash != self.prev_hash {
            return Err(ChainBreak::Altered { seq: last_seq });
        }
        Ok(last_seq as u64)
    }
}

/// A signed statement of the chain's head (count and hash) at a moment, written to an
/// append-only file outside the database. Whoever can write to the database but not to the
/// data directory, and does not hold the key, can neither remove what a checkpoint saw nor
/// forge a checkpoint that agrees with a shortened chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    /// RFC 3339 UTC, when it was taken.
    pub at: String,
}

impl Checkpoint {
    fn signature(&self, key: &[u8; 32]) -> String {
        let text = format!("waymark-checkpoint-v1\n{}\n{}\n{}\n", self.seq, self.hash, self.at);
        keyed_hex(key, &[text.as_bytes()])
    }

    /// The checkpoint as one line of the file: `seq hash at signature`.
    pub fn line(&self, key: &[u8; 32]) -> String {
        format!("{} {} {} {}", self.seq, self.hash, self.at, self.signature(key))
    }

    /// Reads a line back; `None` when it is malformed or its signature is not this key's.
    pub fn parse(line: &str, key: &[u8; 32]) -> Option<Checkpoint> {
        let mut parts = line.split(' ');
        let (seq, hash, at, sig) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let cp = Checkpoint { seq: seq.parse().ok()?, hash: hash.to_string(), at: at.to_string() };
        // Compared in constant time: the signature is a secret-derived value.
        same_secret(&cp.signature(key), sig).then_some(cp)
    }

    /// What the stored chain says against this checkpoint: `head_seq` is where the chain now
    /// ends, `hash_then` the stored hash of record #`seq` (none when it is gone).
    pub fn check(&self, head_seq: i64, hash_then: Option<&str>) -> Result<(), ChainBreak> {
        if self.seq == 0 {
            return Ok(());
        }
        if head_seq < self.seq {
            return Err(ChainBreak::Rewound { checkpoint_seq: self.seq, head_seq });
        }
        if hash_then != Some(self.hash.as_str()) {
            return Err(ChainBreak::Rewritten { seq: self.seq });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [42; 32];

    fn rec(seq: i64, after: &str) -> AuditFields<'_> {
        AuditFields {
            seq,
            id: "r",
            occurred_at: "2026-11-21T08:00:00.000000Z",
            actor: "hr",
            actor_user_id: Some("u1"),
            entity_type: "employee",
            entity_id: "e1",
            subject_employee_id: Some("e1"),
            action: "update",
            before: None,
            after: Some(after),
            reason: None,
        }
    }

    #[test]
    fn p2_known_answer_and_field_boundaries() {
        // Same text split differently across fields must hash differently.
        let a = AuditFields { before: Some("ab"), after: Some("c"), ..rec(1, "") };
        let b = AuditFields { before: Some("a"), after: Some("bc"), ..rec(1, "") };
        assert_ne!(chain_hash(&KEY, GENESIS, &a), chain_hash(&KEY, GENESIS, &b));
        let none = AuditFields { reason: None, ..rec(1, "x") };
        let empty = AuditFields { reason: Some(""), ..rec(1, "x") };
        assert_ne!(chain_hash(&KEY, GENESIS, &none), chain_hash(&KEY, GENESIS, &empty));
        assert_eq!(chain_hash(&KEY, GENESIS, &a).len(), 64);
    }

    #[test]
    fn p2_every_column_and_the_key_are_covered() {
        let r = rec(1, "x");
        let h = chain_hash(&KEY, GENESIS, &r);
        // Who acted and whom it is about were left out of the first scheme's hash.
        assert_ne!(h, chain_hash(&KEY, GENESIS, &AuditFields { actor_user_id: Some("u2"), ..r.clone() }));
        assert_ne!(h, chain_hash(&KEY, GENESIS, &AuditFields { subject_employee_id: None, ..r.clone() }));
        // Without the key nobody recomputes it, not even with the right content.
        assert_ne!(h, chain_hash(&[0; 32], GENESIS, &r));
        assert_ne!(h, legacy_chain_hash(GENESIS, &r));
    }

    #[test]
    fn p2_verifier_finds_alteration_gap_and_truncation() {
        let (r1, r2, r3) = (rec(1, "{\"a\":1}"), rec(2, "{\"a\":2}"), rec(3, "{\"a\":3}"));
        let h1 = chain_hash(&KEY, GENESIS, &r1);
        let h2 = chain_hash(&KEY, &h1, &r2);
        let h3 = chain_hash(&KEY, &h2, &r3);

        let mut v = ChainVerifier::keyed(KEY);
        v.check(&r1, GENESIS, &h1).unwrap();
        v.check(&r2, &h1, &h2).unwrap();
        v.check(&r3, &h2, &h3).unwrap();
        assert_eq!(v.finish(3, &h3), Ok(3));

        let mut v = ChainVerifier::keyed(KEY);
        v.check(&r1, GENESIS, &h1).unwrap();
        let forged = rec(2, "{\"a\":99}");
        assert_eq!(v.check(&forged, &h1, &h2), Err(ChainBreak::Altered { seq: 2 }));

        let mut v = ChainVerifier::keyed(KEY);
        v.check(&r1, GENESIS, &h1).unwrap();
        assert_eq!(v.check(&r3, &h2, &h3), Err(ChainBreak::Gap { expected_seq: 2, found_seq: 3 }));

        let mut v = ChainVerifier::keyed(KEY);
        v.check(&r1, GENESIS, &h1).unwrap();
        v.check(&r2, &h1, &h2).unwrap();
        assert_eq!(v.finish(3, &h3), Err(ChainBreak::Truncated { head_seq: 3, last_seq: 2 }));
    }

    #[test]
    fn p2_checkpoints_find_a_rewind_and_a_rewrite_and_refuse_forgeries() {
        let cp = Checkpoint { seq: 10, hash: "ab".repeat(32), at: "2026-12-05T10:00:00Z".into() };
        let line = cp.line(&KEY);
        assert_eq!(Checkpoint::parse(&line, &KEY), Some(cp.clone()));
        // Another key, or a changed count, is not a checkpoint of ours.
        assert_eq!(Checkpoint::parse(&line, &[1; 32]), None);
        assert_eq!(Checkpoint::parse(&line.replacen("10 ", "7 ", 1), &KEY), None);
        assert_eq!(Checkpoint::parse("garbage", &KEY), None);
        // The chain went on: fine. Three records deleted and the head moved back: 3 missing.
        assert_eq!(cp.check(12, Some(&"ab".repeat(32))), Ok(()));
        let rewound = cp.check(7, None).unwrap_err();
        assert_eq!(rewound, ChainBreak::Rewound { checkpoint_seq: 10, head_seq: 7 });
        assert!(rewound.to_string().contains("3 record(s) are missing"), "{rewound}");
        // Record #10 is there but is not the one the checkpoint saw.
        assert_eq!(cp.check(12, Some("cd")), Err(ChainBreak::Rewritten { seq: 10 }));
    }
}
