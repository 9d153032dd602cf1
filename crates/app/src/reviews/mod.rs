//! Reviews (SPEC §6): HR's templates and cycles, the reviews people write with the evidence
//! beside them, and the scores computed from them with how they were computed.
//!
//! - `templates`: what is rated on which scale, the formula, the grades (V-2, V-3);
//! - `cycles`: a cycle's stages and participants, its launch and its health (V-1);
//! - `writing`: one's review tasks, peer nominations, the review form with its evidence (V-1);
//! - `scoring`: the score of a participant from the submitted reviews and their goals (V-3);
//! - `calibration`: sessions with the distribution, leniency and outliers; moves; lock (V-4);
//! - `conversation`: the review conversation and its four outputs (V-5);
//! - `ninebox`: potential assessments and the nine-box grid with movement (V-7);
//! - `release`: releasing results, the person's acknowledgement and appeals (V-6);
//! - `application`: promotion nominations and incentives from released results (V-9).

mod application;
mod calibration;
mod conversation;
mod cycles;
mod export;
mod ninebox;
mod release;
mod scoring;
mod templates;
mod writing;

pub use application::*;
pub use calibration::*;
pub use conversation::*;
pub use cycles::*;
pub use ninebox::*;
pub use release::*;
pub use scoring::*;
pub use templates::*;
pub use writing::*;

use crate::App;
use crate::policy::{Action, Actor, Facts, Resource, allowed};

/// Whether a list that the actor's HR scope gives them (a cycle's results, a calibration
/// session, the nine-box) may show this person's unreleased result: never their own (issue 21,
/// item 4), as the policy says of a subject who is the actor.
pub(crate) fn listable(actor: &Actor, employee: uuid::Uuid) -> bool {
    let facts = Facts { is_self: actor.employee_id == Some(employee), in_hr_scope: true, ..Facts::default() };
    allowed(actor, Action::Read, Resource::ReviewResult, facts)
}

pub struct ReviewService<'a> {
    pub(crate) app: &'a App,
}

impl ReviewService<'_> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }
}
