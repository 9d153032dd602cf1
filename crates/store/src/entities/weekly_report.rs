use sea_orm::entity::prelude::*;

/// A person's weekly report (T-2) for the week starting `week_start` (a Monday): draft or
/// submitted, and a manager's acknowledgement with an optional comment.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "weekly_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub employee_id: Uuid,
    pub week_start: Date,
    pub done: String,
    pub blockers: String,
    pub next_week: String,
    /// draft or submitted.
    pub state: String,
    pub submitted_at: Option<DateTimeUtc>,
    /// The employee who acknowledged it.
    pub acknowledged_by: Option<Uuid>,
    pub acknowledged_name: Option<String>,
    pub acknowledged_at: Option<DateTimeUtc>,
    pub comment: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
