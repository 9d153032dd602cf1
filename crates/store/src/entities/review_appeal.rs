use sea_orm::entity::prelude::*;

/// A person's appeal (申诉) against their released result (V-6), from their reasons to the
/// handler's decision and answer.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_appeal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub participant_id: Uuid,
    pub reasons: String,
    pub state: String,
    pub grade_before: String,
    pub assignee_id: Option<Uuid>,
    pub assignee_name: Option<String>,
    pub assigned_at: Option<DateTimeUtc>,
    pub outcome: Option<String>,
    pub grade_after: Option<String>,
    pub answer: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
