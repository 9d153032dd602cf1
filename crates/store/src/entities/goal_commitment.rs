use sea_orm::entity::prelude::*;

/// Support promised when a goal is agreed (G-12), tracked to done like an action item.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "goal_commitment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub goal_id: Uuid,
    /// training, budget, collaboration, people or other.
    pub kind: String,
    pub description: String,
    /// Who promised it (usually the manager).
    pub provider_id: Option<Uuid>,
    pub due_on: Option<Date>,
    pub done_at: Option<DateTimeUtc>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
