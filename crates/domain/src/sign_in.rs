//! Sign-in throttling (issue 21, item 3): guess-limiting by account and by address that an
//! attacker cannot turn into a lock-out of the real user.
//!
//! - An address that failed [`MAX_PER_ADDRESS`] times in the window is refused outright: that
//!   is the attacker's own address, whoever they aim at.
//! - An account that failed [`MAX_PER_ACCOUNT`] times in the window is *guarded*, not locked:
//!   from a browser that signed in to it before (a signed known-device cookie) sign-in goes on
//!   as usual; from anywhere else one attempt a minute is evaluated. The attacker keeps
//!   one guess a minute at most; the real user is never shut out.
//!
//! The counts include the attempt being judged once it is let through: the service records
//! each evaluated attempt as a failure *before* checking the password, in one serialized
//! transaction, and removes it on success, so forty parallel guesses cannot all pass a check
//! that reads "four so far".

/// Failures in the window that refuse an address.
pub const MAX_PER_ADDRESS: u64 = 30;
/// Failures in the window after which an account is guarded.
pub const MAX_PER_ACCOUNT: u64 = 5;
/// The window failures are counted in.
pub const WINDOW_MINUTES: i64 = 15;
/// A guarded account takes one attempt per this many seconds from an unknown browser.
pub const GUARDED_PACE_SECS: i64 = 60;

/// What the failure log says about one attempt.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attempts {
    /// Failures of this account in the window, from anywhere.
    pub by_account: u64,
    /// Failures from this address in the window, for any account.
    pub by_address: u64,
    /// Attempts on this account in the last [`GUARDED_PACE_SECS`].
    pub by_account_recent: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    Account,
    Address,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Check the password.
    Evaluate,
    Throttled {
        by: Limit,
        retry_after_secs: u64,
    },
}

/// Whether to evaluate an attempt, from the failures so far and whether the browser proved it
/// signed in to this account before.
pub fn judge(a: Attempts, known_device: bool) -> Verdict {
    if address_refused(a.by_address) {
        return Verdict::Throttled { by: Limit::Address, retry_after_secs: (WINDOW_MINUTES * 60) as u64 };
    }
    if guarded(a.by_account) && !known_device && a.by_account_recent > 0 {
        return Verdict::Throttled { by: Limit::Account, retry_after_secs: GUARDED_PACE_SECS as u64 };
    }
    Verdict::Evaluate
}

/// Whether an account with these failures in the window is guarded.
pub fn guarded(by_account: u64) -> bool {
    by_account >= MAX_PER_ACCOUNT
}

/// Whether an address with these failures in the window is refused.
pub fn address_refused(by_address: u64) -> bool {
    by_address >= MAX_PER_ADDRESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_attackers_address_is_refused_but_the_account_is_only_slowed() {
        let fresh = Attempts::default();
        assert_eq!(judge(fresh, false), Verdict::Evaluate);
        // Five failures: guarded. An unknown browser gets one try a minute…
        let guarded_now = Attempts { by_account: 5, by_address: 5, by_account_recent: 1 };
        assert_eq!(judge(guarded_now, false), Verdict::Throttled { by: Limit::Account, retry_after_secs: 60 });
        let a_minute_later = Attempts { by_account_recent: 0, ..guarded_now };
        assert_eq!(judge(a_minute_later, false), Verdict::Evaluate);
        // …and the real user's own browser signs in at once, whatever the attacker did.
        assert_eq!(judge(Attempts { by_account: 500, by_address: 0, by_account_recent: 40 }, true), Verdict::Evaluate);
        // The attacker's address is shut after 30 failures, known device or not.
        let noisy = Attempts { by_account: 0, by_address: 30, by_account_recent: 0 };
        assert_eq!(judge(noisy, true), Verdict::Throttled { by: Limit::Address, retry_after_secs: 900 });
        assert!(guarded(5) && !guarded(4));
        assert!(address_refused(30) && !address_refused(29));
    }
}
