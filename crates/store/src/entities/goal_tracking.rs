use sea_orm::entity::prelude::*;

/// A tracked goal's current status (T-3) with its reason (JSON), and its last update.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "goal_tracking")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub goal_id: Uuid,
    pub status: String,
    pub reason: String,
    pub status_since: DateTimeUtc,
    pub last_update_at: Option<DateTimeUtc>,
    pub confidence: Option<String>,
    pub evaluated_on: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
