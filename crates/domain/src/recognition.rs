//! Recognition: kudos tagged with company values, the points they carry, the
//! badges earned from what one has given and received, and what makes a redemption of points
//! for a reward acceptable.

use std::collections::HashSet;

/// Points each recipient of a kudos receives.
pub const POINTS_PER_KUDOS: i64 = 10;
/// How many recipients one person may thank in a calendar month: recognition stays a signal,
/// not a points mint between friends.
pub const MONTHLY_RECIPIENTS: usize = 20;
pub const MAX_RECIPIENTS: usize = 10;
pub const MAX_VALUES: usize = 3;
pub const MAX_MESSAGE_CHARS: usize = 1_000;

/// Who sees a kudos.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The giver's and the recipients' units, their managers and HR.
    Team,
    /// Everyone in the organization.
    Organization,
}

impl Audience {
    pub const ALL: [Audience; 2] = [Audience::Team, Audience::Organization];
    pub fn code(self) -> &'static str {
        match self {
            Audience::Team => "team",
            Audience::Organization => "organization",
        }
    }
    pub fn parse(s: &str) -> Option<Audience> {
        Audience::ALL.into_iter().find(|a| a.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    NoRecipient,
    TooManyRecipients,
    ToSelf,
    NoValue,
    TooManyValues,
    NoMessage,
    MessageTooLong,
    /// The month's allowance of recipients would be passed: how many are left.
    MonthlyAllowance {
        left: usize,
    },
}

/// A kudos as written: recipients and values already without duplicates.
pub struct Draft<'a> {
    pub giver: uuid::Uuid,
    pub recipients: &'a [uuid::Uuid],
    pub values: usize,
    pub message: &'a str,
    /// Recipients the giver already thanked this month.
    pub given_this_month: usize,
}

pub fn check(d: &Draft<'_>) -> Result<(), Problem> {
    if d.recipients.is_empty() {
        return Err(Problem::NoRecipient);
    }
    if d.recipients.len() > MAX_RECIPIENTS {
        return Err(Problem::TooManyRecipients);
    }
    if d.recipients.contains(&d.giver) {
        return Err(Problem::ToSelf);
    }
    if d.values == 0 {
        return Err(Problem::NoValue);
    }
    if d.values > MAX_VALUES {
        return Err(Problem::TooManyValues);
    }
    let m = d.message.trim();
    if m.is_empty() {
        return Err(Problem::NoMessage);
    }
    if m.chars().count() > MAX_MESSAGE_CHARS {
        return Err(Problem::MessageTooLong);
    }
    if d.given_this_month + d.recipients.len() > MONTHLY_RECIPIENTS {
        return Err(Problem::MonthlyAllowance { left: MONTHLY_RECIPIENTS.saturating_sub(d.given_this_month) });
    }
    Ok(())
}

/// A badge, earned from one's record; computed when asked, never stored, so it cannot go stale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Badge {
    /// Received a first kudos.
    FirstThanks,
    /// Received 10 kudos.
    Appreciated,
    /// Gave 10 kudos.
    Generous,
    /// Recognized for 3 different company values.
    ValuesInAction,
    /// Thanked people in 3 other units.
    Bridge,
}

impl Badge {
    pub fn code(self) -> &'static str {
        match self {
            Badge::FirstThanks => "first_thanks",
            Badge::Appreciated => "appreciated",
            Badge::Generous => "generous",
            Badge::ValuesInAction => "values_in_action",
            Badge::Bridge => "bridge",
        }
    }
}

/// One person's recognition record, as counted from the kudos.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub received: usize,
    pub given: usize,
    /// The distinct values of the kudos received.
    pub values_received: HashSet<uuid::Uuid>,
    /// The distinct units, other than one's own, of the people one thanked.
    pub other_units_thanked: HashSet<uuid::Uuid>,
}

pub fn badges(r: &Record) -> Vec<Badge> {
    [
        (r.received >= 1, Badge::FirstThanks),
        (r.received >= 10, Badge::Appreciated),
        (r.given >= 10, Badge::Generous),
        (r.values_received.len() >= 3, Badge::ValuesInAction),
        (r.other_units_thanked.len() >= 3, Badge::Bridge),
    ]
    .into_iter()
    .filter_map(|(earned, b)| earned.then_some(b))
    .collect()
}

/// Whether a redemption may be asked for: enough points not already spent or held, and stock
/// left when the reward has a stock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedeemProblem {
    NotEnoughPoints { balance: i64, cost: i64 },
    OutOfStock,
    Inactive,
}

pub fn check_redeem(balance: i64, cost: i64, stock: Option<i32>, active: bool) -> Result<(), RedeemProblem> {
    if !active {
        return Err(RedeemProblem::Inactive);
    }
    if stock.is_some_and(|s| s <= 0) {
        return Err(RedeemProblem::OutOfStock);
    }
    if balance < cost {
        return Err(RedeemProblem::NotEnoughPoints { balance, cost });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn r1_a_kudos_thanks_others_for_a_value_in_words() {
        let two = [id(2), id(3)];
        let ok =
            Draft {
                giver: id(1), recipients: &two, values: 1, message: "谢谢你们周末帮忙排查", given_this_month: 0
            };
        assert_eq!(check(&ok), Ok(()));
        assert_eq!(check(&Draft { recipients: &[], ..ok }), Err(Problem::NoRecipient));
        assert_eq!(check(&Draft { recipients: &[id(1)], ..ok }), Err(Problem::ToSelf));
        assert_eq!(check(&Draft { values: 0, ..ok }), Err(Problem::NoValue));
        assert_eq!(check(&Draft { values: 4, ..ok }), Err(Problem::TooManyValues));
        assert_eq!(check(&Draft { message: "  ", ..ok }), Err(Problem::NoMessage));
        let long = "谢".repeat(MAX_MESSAGE_CHARS + 1);
        assert_eq!(check(&Draft { message: &long, ..ok }), Err(Problem::MessageTooLong));
        let eleven: Vec<Uuid> = (2..13).map(id).collect();
        assert_eq!(check(&Draft { recipients: &eleven, ..ok }), Err(Problem::TooManyRecipients));
    }

    #[test]
    fn r1_twenty_recipients_a_month() {
        let two = [id(2), id(3)];
        let d = Draft { giver: id(1), recipients: &two, values: 1, message: "谢谢", given_this_month: 18 };
        assert_eq!(check(&d), Ok(()), "18 + 2 = 20 is the allowance");
        assert_eq!(check(&Draft { given_this_month: 19, ..d }), Err(Problem::MonthlyAllowance { left: 1 }));
    }

    #[test]
    fn r1_badges_from_the_record() {
        let mut r = Record::default();
        assert!(badges(&r).is_empty());
        r.received = 1;
        assert_eq!(badges(&r), vec![Badge::FirstThanks]);
        r.received = 10;
        r.given = 10;
        r.values_received = [id(1), id(2), id(3)].into();
        r.other_units_thanked = [id(7), id(8)].into();
        assert_eq!(badges(&r), vec![Badge::FirstThanks, Badge::Appreciated, Badge::Generous, Badge::ValuesInAction]);
        r.other_units_thanked.insert(id(9));
        assert!(badges(&r).contains(&Badge::Bridge));
    }

    #[test]
    fn r2_redeeming_needs_points_stock_and_an_active_reward() {
        assert_eq!(check_redeem(100, 100, Some(1), true), Ok(()));
        assert_eq!(check_redeem(99, 100, None, true), Err(RedeemProblem::NotEnoughPoints { balance: 99, cost: 100 }));
        assert_eq!(check_redeem(500, 100, Some(0), true), Err(RedeemProblem::OutOfStock));
        assert_eq!(check_redeem(500, 100, None, false), Err(RedeemProblem::Inactive));
    }
}
