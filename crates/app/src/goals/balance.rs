//! Lopsided indicator sets (issue 22, item 9): a person's goals for a period that measure
//! results only are flagged where they are written (my goals), submitted and approved (the goal
//! page), with behaviour, process, quality and safety indicators from the library to add. The
//! rule is the domain's ([`waymark_domain::goals::balance`]); here it is fed and the library read.

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::goals::balance::{Dimension, Indicator, dimension, results_only};
use waymark_domain::goals::combos;
use waymark_store::repo::goals::GoalRecord;
use waymark_store::repo::{library as library_repo, org as org_repo};

use super::GoalService;
use crate::AppResult;

/// A set of goals that measures results only, and what the library offers to balance it.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct BalanceWarning {
    /// Library indicators of behaviour, process, quality or safety for the person's job family
    /// (or its kind of work), else those meant for any family; at most five.
    pub suggestions: Vec<SuggestedIndicator>,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct SuggestedIndicator {
    /// The library entry: add it to a goal from the library.
    pub id: Uuid,
    pub title: String,
    /// behaviour, process, quality or safety.
    pub dimension: String,
    pub job_family: Option<String>,
}

const SUGGESTIONS: usize = 5;

/// Whether these goals (the live ones and their live key results) measure results only.
pub(crate) fn lopsided(goals: &[GoalRecord]) -> bool {
    let live: Vec<&GoalRecord> = goals.iter().filter(|r| r.goal.status != "archived").collect();
    let mut set: Vec<Indicator<'_>> = Vec::new();
    for r in &live {
        set.push(Indicator { framework: &r.goal.framework, title: &r.goal.title });
        for k in r.key_results.iter().filter(|k| !k.archived) {
            set.push(Indicator { framework: &r.goal.framework, title: &k.title });
        }
    }
    results_only(&set)
}

impl GoalService<'_> {
    /// The warning for a person's goals of a period, if they measure results only.
    pub(crate) async fn balance_of(
        &self,
        owner: Option<Uuid>,
        goals: &[GoalRecord],
    ) -> AppResult<Option<BalanceWarning>> {
        if !lopsided(goals) {
            return Ok(None);
        }
        let c = self.c();
        let family = match owner {
            Some(id) => org_repo::employee(c, id).await?.and_then(|e| e.job_family),
            None => None,
        };
        let group = |f: &str| combos::recommend(f).map(|c| c.group);
        let mine = family.as_deref().and_then(group);
        // Meant for the person's family or its kind of work (2), for any family (1), other (0).
        let fit = |f: Option<&str>| match f {
            None => 1,
            Some(f) if Some(f) == family.as_deref() || (mine.is_some() && group(f) == mine) => 2,
            Some(_) => 0,
        };
        let mut found: Vec<(u8, SuggestedIndicator)> = library_repo::items(c, false)
            .await?
            .into_iter()
            .filter_map(|i| {
                let d = dimension("", &i.title);
                let how_near = fit(i.job_family.as_deref());
                (d != Dimension::Results && how_near > 0).then(|| {
                    let s = SuggestedIndicator {
                        id: i.id,
                        title: i.title,
                        dimension: d.code().into(),
                        job_family: i.job_family,
                    };
                    (how_near, s)
                })
            })
            .collect();
        // The nearest first; within each, safety before quality, process and behaviour.
        found.sort_by(|(a, x), (b, y)| b.cmp(a).then(y.dimension.cmp(&x.dimension)).then(x.title.cmp(&y.title)));
        // Any family's only when nothing is meant for this one.
        if let Some(&(best, _)) = found.first() {
            found.retain(|(n, _)| *n == best);
        }
        Ok(Some(BalanceWarning { suggestions: found.into_iter().take(SUGGESTIONS).map(|(_, s)| s).collect() }))
    }
}
