//! The tamper-evident audit chain (SPEC P-2). Each record's hash covers a canonical
//! serialization of the record and the previous record's hash, so altering or deleting any
//! stored record breaks the chain from that point on.

use sha2::{Digest, Sha256};

/// The hash before the first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// An audit record as stored; every field is covered by the hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFields<'a> {
    pub seq: i64,
    pub id: &'a str,
    /// RFC 3339 UTC with microseconds, exactly as stored.
    pub occurred_at: &'a str,
    pub actor: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub action: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
    pub reason: Option<&'a str>,
}

/// Hash of a record chained to `prev_hash`. Fields are length-prefixed so that no two
/// different records serialize alike, and `None` differs from an empty text.
pub fn chain_hash(prev_hash: &str, r: &AuditFields) -> String {
    let mut h = Sha256::new();
    h.update(b"waymark-audit-v1\n");
    let mut put = |v: Option<&str>| match v {
        None => h.update(b"-\n"),
        Some(s) => {
            h.update(format!("{}:", s.len()).as_bytes());
            h.update(s.as_bytes());
            h.update(b"\n");
        }
    };
    put(Some(prev_hash));
    put(Some(&r.seq.to_string()));
    put(Some(r.id));
    put(Some(r.occurred_at));
    put(Some(r.actor));
    put(Some(r.entity_type));
    put(Some(r.entity_id));
    put(Some(r.action));
    put(r.before);
    put(r.after);
    put(r.reason);
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
        }
    }
}

/// Incremental verifier: feed records in `seq` order, then call [`ChainVerifier::finish`].
pub struct ChainVerifier {
    prev_hash: String,
    next_seq: i64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self { prev_hash: GENESIS.to_string(), next_seq: 1 }
    }
}

impl ChainVerifier {
    pub fn check(&mut self, r: &AuditFields, stored_prev: &str, stored_hash: &str) -> Result<(), ChainBreak> {
        if r.seq != self.next_seq || stored_prev != self.prev_hash {
            return Err(if r.seq != self.next_seq {
                ChainBreak::Gap { expected_seq: self.next_seq, found_seq: r.seq }
            } else {
                ChainBreak::Altered { seq: r.seq }
            });
        }
        if chain_hash(&self.prev_hash, r) != stored_hash {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(seq: i64, after: &str) -> AuditFields<'_> {
        AuditFields {
            seq,
            id: "r",
            occurred_at: "2026-11-21T08:00:00.000000Z",
            actor: "hr",
            entity_type: "employee",
            entity_id: "e1",
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
        assert_ne!(chain_hash(GENESIS, &a), chain_hash(GENESIS, &b));
        let none = AuditFields { reason: None, ..rec(1, "x") };
        let empty = AuditFields { reason: Some(""), ..rec(1, "x") };
        assert_ne!(chain_hash(GENESIS, &none), chain_hash(GENESIS, &empty));
        assert_eq!(chain_hash(GENESIS, &a).len(), 64);
    }

    #[test]
    fn p2_verifier_finds_alteration_gap_and_truncation() {
        let (r1, r2, r3) = (rec(1, "{\"a\":1}"), rec(2, "{\"a\":2}"), rec(3, "{\"a\":3}"));
        let h1 = chain_hash(GENESIS, &r1);
        let h2 = chain_hash(&h1, &r2);
        let h3 = chain_hash(&h2, &r3);

        let mut v = ChainVerifier::default();
        v.check(&r1, GENESIS, &h1).unwrap();
        v.check(&r2, &h1, &h2).unwrap();
        v.check(&r3, &h2, &h3).unwrap();
        assert_eq!(v.finish(3, &h3), Ok(3));

        let mut v = ChainVerifier::default();
        v.check(&r1, GENESIS, &h1).unwrap();
        let forged = rec(2, "{\"a\":99}");
        assert_eq!(v.check(&forged, &h1, &h2), Err(ChainBreak::Altered { seq: 2 }));

        let mut v = ChainVerifier::default();
        v.check(&r1, GENESIS, &h1).unwrap();
        assert_eq!(v.check(&r3, &h2, &h3), Err(ChainBreak::Gap { expected_seq: 2, found_seq: 3 }));

        let mut v = ChainVerifier::default();
        v.check(&r1, GENESIS, &h1).unwrap();
        v.check(&r2, &h1, &h2).unwrap();
        assert_eq!(v.finish(3, &h3), Err(ChainBreak::Truncated { head_seq: 3, last_seq: 2 }));
    }
}
