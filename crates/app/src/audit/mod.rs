//! Writing and reading the audit trail (SPEC P-2). Services call [`entry`] for each change
//! and append the entries inside the change's own transaction. The chain is keyed with a key
//! derived from the server key (never in the database), and its head is written now and then
//! as a signed checkpoint to an append-only file in the data directory, so that `audit verify`
//! also finds a chain rewound or rewritten by someone with write access to the database.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use uuid::Uuid;
pub use waymark_domain::audit::Checkpoint;
pub use waymark_domain::audit::Record as AuditRecord;
use waymark_domain::audit::{ChainBreak, ChainVerifier};
use waymark_store::repo::audit as repo;
pub use waymark_store::repo::audit::AuditFilter;

pub(crate) mod record;

pub use record::{AUDIT_ACTIONS, AUDIT_ENTITIES, entry, instant, json, stamp};

use crate::policy::{Action, Actor, Facts, Resource, Scope, allowed};
use crate::{App, AppError, AppResult};

pub struct AuditService<'a> {
    pub(crate) app: &'a App,
}

/// The largest page of audit records one request may ask for.
pub const MAX_AUDIT_PAGE: u64 = 500;

/// The outcome of `waymark audit verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// The chain holds, and agrees with every signed checkpoint outside the database.
    Intact {
        records: u64,
        checkpoints: usize,
    },
    Broken(ChainBreak),
}

/// The signed checkpoints an administrator sees, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointView {
    pub seq: i64,
    pub hash: String,
    pub at: DateTime<Utc>,
}

impl AuditService<'_> {
    fn chain_key(&self) -> [u8; 32] {
        self.app.config.server_key.derive(crate::secret::Purpose::AuditChain)
    }
    fn checkpoint_key(&self) -> [u8; 32] {
        self.app.config.server_key.derive(crate::secret::Purpose::AuditCheckpoint)
    }

    /// At start: a chain written before the key is checked and hashed again under it; what the
    /// check of the old chain found is itself recorded in the chain.
    pub async fn upgrade(&self) -> AppResult<()> {
        let tx = self.app.db.begin_write().await?;
        let Some(done) = repo::upgrade_if_legacy(&tx).await? else { return Ok(()) };
        let after = json(&serde_json::json!({
            "records": done.records,
            "previous_chain": done.finding.as_ref().map(|b| b.to_string()).unwrap_or_else(|| "intact".into()),
        }));
        let actor = Actor::system("upgrade");
        tx.audit(vec![entry(
            &actor,
            self.app.clock.now(),
            "audit_chain",
            Uuid::nil(),
            None,
            "rekey",
            None,
            after,
            None,
        )]);
        tx.commit().await?;
        Ok(())
    }

    /// Walks the whole chain in pages, stops at the first bad record, then holds the chain
    /// against every signed checkpoint in the checkpoint file.
    pub async fn verify(&self) -> AppResult<Verification> {
        self.verify_with(Vec::new()).await
    }

    /// [`Self::verify`], also holding the chain against checkpoints kept outside the server
    /// (read with [`Self::outside_checkpoints`] from mail or IM copies).
    pub async fn verify_with(&self, outside: Vec<Checkpoint>) -> AppResult<Verification> {
        let c = &self.app.db.conn;
        let head = repo::head(c).await?;
        let mut v = if head.keyed { ChainVerifier::keyed(self.chain_key()) } else { ChainVerifier::legacy() };
        // The hashes the checkpoints saw are picked up during the one walk of the chain, not
        // asked for one checkpoint at a time (a year of checkpoints is ~100 000 lines).
        let checkpoints = self.read_checkpoints().map(|mut cps| {
            cps.extend(outside);
            cps
        });
        let wanted: HashSet<i64> = checkpoints.iter().flatten().map(|cp| cp.seq).collect();
        let mut seen: HashMap<i64, String> = HashMap::new();
        let mut after = 0i64;
        loop {
            let page = repo::page_after(c, after, 5000).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for r in &page {
                if let Err(b) = repo::verify_record(&mut v, r) {
                    return Ok(Verification::Broken(b));
                }
                if wanted.contains(&r.seq) {
                    seen.insert(r.seq, r.hash.clone());
                }
            }
        }
        let records = match v.finish(head.seq, &head.hash) {
            Ok(n) => n,
            Err(b) => return Ok(Verification::Broken(b)),
        };
        let checkpoints = match checkpoints {
            Ok(cps) => cps,
            Err(b) => return Ok(Verification::Broken(b)),
        };
        for cp in &checkpoints {
            if let Err(b) = cp.check(head.seq, seen.get(&cp.seq).map(String::as_str)) {
                return Ok(Verification::Broken(b));
            }
        }
        Ok(Verification::Intact { records, checkpoints: checkpoints.len() })
    }

    /// The checkpoint file's lines, each checked against the key. No file: none yet.
    fn read_checkpoints(&self) -> Result<Vec<Checkpoint>, ChainBreak> {
        let Some(path) = &self.app.config.audit_checkpoints else { return Ok(Vec::new()) };
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                tracing::error!(error = %e, file = %path.display(), "cannot read the audit checkpoints");
                return Err(ChainBreak::ForgedCheckpoint { line: 0 });
            }
        };
        let key = self.checkpoint_key();
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| Checkpoint::parse(l.trim(), &key).ok_or(ChainBreak::ForgedCheckpoint { line: i + 1 }))
            .collect()
    }

    /// One checkpoint line, if this server signed it (what a shipping job carries).
    pub(crate) fn read_line(&self, line: &str) -> Option<Checkpoint> {
        Checkpoint::parse(line.trim(), &self.checkpoint_key())
    }

    /// Checkpoints from a copy kept outside the server: a saved e-mail, an IM group's export, a
    /// file of lines. A line that looks like a checkpoint (sequence, hash, time, signature, as
    /// quoted in the messages, `> ` or not) must be signed with this server's key; any other
    /// line (a greeting, a header) is not a checkpoint and is passed over.
    pub fn outside_checkpoints(&self, text: &str) -> Result<Vec<Checkpoint>, ChainBreak> {
        let key = self.checkpoint_key();
        let mut out = Vec::new();
        for (i, l) in text.lines().enumerate() {
            let l = l.trim().trim_start_matches('>').trim();
            let fields: Vec<&str> = l.split(' ').collect();
            if fields.len() != 4 || fields[0].parse::<i64>().is_err() {
                continue;
            }
            out.push(Checkpoint::parse(l, &key).ok_or(ChainBreak::ForgedCheckpoint { line: i + 1 })?);
        }
        Ok(out)
    }

    /// Writes a signed checkpoint of the chain's head to the checkpoint file (appending) when
    /// the head moved since `last` (what this process wrote before; `None` at start). Returns
    /// the head it stands for now.
    pub async fn checkpoint(&self, last: Option<(i64, String)>) -> AppResult<Option<(i64, String)>> {
        let Some(path) = self.app.config.audit_checkpoints.clone() else { return Ok(last) };
        let head = repo::head(&self.app.db.conn).await?;
        if !head.keyed || last.as_ref().is_some_and(|(s, h)| *s == head.seq && *h == head.hash) {
            return Ok(last);
        }
        let now = self.app.clock.now();
        let cp = Checkpoint { seq: head.seq, hash: head.hash, at: stamp(now) };
        let line = cp.line(&self.checkpoint_key());
        append_line(&path, &line).map_err(|e| AppError::Internal(format!("cannot write {}: {e}", path.display())))?;
        // And out of the server, as configured: queued, so a mail server down for the night
        // still gets it (retried), and the administrator sees it fail in the job list.
        let ship = self.app.config.audit_shipping.jobs(&line);
        if !ship.is_empty() {
            let tx = self.app.db.begin_write().await?;
            crate::jobs::enqueue(&*tx, now, ship.into_iter().map(|j| (j, None)).collect()).await?;
            tx.commit().await?;
        }
        Ok(Some((cp.seq, cp.hash)))
    }

    /// The newest checkpoints (at most `limit`), for the administrator's page.
    pub fn checkpoints(&self, actor: &Actor, limit: usize) -> AppResult<Vec<CheckpointView>> {
        if !allowed(actor, Action::Read, Resource::AuditCheckpoints, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let all = self.read_checkpoints().map_err(|b| AppError::Internal(b.to_string()))?;
        Ok(all
            .into_iter()
            .rev()
            .take(limit)
            .map(|c| CheckpointView { seq: c.seq, at: instant(&c.at), hash: c.hash })
            .collect())
    }

    /// Where each checkpoint is also sent, for the administrator's page.
    pub fn checkpoint_destinations(&self, actor: &Actor) -> AppResult<Vec<String>> {
        if !allowed(actor, Action::Read, Resource::AuditCheckpoints, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        Ok(self.app.config.audit_shipping.destinations())
    }

    /// HR browses the log by entity and person: org-wide HR all of it, unit-scoped HR the
    /// records about their units and the people now in them.
    pub async fn list(&self, actor: &Actor, mut filter: AuditFilter) -> AppResult<Vec<AuditRecord>> {
        if !allowed(actor, Action::Read, Resource::AuditLog, Facts::default()) {
            let in_scope = Facts { in_hr_scope: true, ..Facts::default() };
            match &actor.hr {
                Some(Scope::Units(units)) if allowed(actor, Action::Read, Resource::AuditLog, in_scope) => {
                    filter.within_units = Some(units.iter().copied().collect());
                }
                _ => return Err(AppError::Forbidden),
            }
        }
        // What was recorded about the reader themselves is theirs to ask HR for, not to browse
        // (issue 21, item 4): the policy says a subject who is the actor gets no HR rights.
        if let Some(me) = actor.employee_id
            && !allowed(actor, Action::Read, Resource::AuditLog, Facts { is_self: true, ..Facts::default() })
        {
            filter.excluding_subject = Some(me);
        }
        if !(1..=MAX_AUDIT_PAGE).contains(&filter.limit) {
            return Err(AppError::field("limit", "out_of_range", format!("must be between 1 and {MAX_AUDIT_PAGE}")));
        }
        Ok(repo::list(&self.app.db.conn, &filter).await?)
    }
}

/// Appends one line and flushes it to disk; the file is only ever opened for appending.
fn append_line(path: &Path, line: &str) -> std::io::Result<()> {
    let mut o = std::fs::OpenOptions::new();
    o.append(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    let mut f = o.open(path)?;
    f.write_all(format!("{line}\n").as_bytes())?;
    f.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    /// Issue 23, item 2: the audit page names every record and action in both languages.
    #[test]
    fn q6_every_audit_entity_and_action_has_a_name_in_both_languages() {
        for lang in [Lang::ZhCn, Lang::En] {
            for e in AUDIT_ENTITIES {
                assert!(lang.try_t(&format!("audit-entity-{}", e.replace('_', "-"))).is_some(), "{lang:?} {e}");
            }
            for a in AUDIT_ACTIONS {
                assert!(lang.try_t(&format!("hist-{}", a.replace(['_', '.'], "-"))).is_some(), "{lang:?} {a}");
            }
        }
    }
}
