use sea_orm::entity::prelude::*;

/// A nomination for promotion from a released result (V-9), on the technical or the management
/// track, and HR's decision.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "promotion_nomination")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub participant_id: Uuid,
    pub cycle_id: Uuid,
    pub employee_id: Uuid,
    pub track: String,
    pub from_level: Option<String>,
    pub to_level: String,
    /// The final grade it was made on.
    pub grade: String,
    pub reasons: String,
    pub state: String,
    /// The user who nominated (told of the decision).
    pub nominated_by: Option<Uuid>,
    pub nominated_by_name: String,
    pub created_at: DateTimeUtc,
    pub decision_note: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
