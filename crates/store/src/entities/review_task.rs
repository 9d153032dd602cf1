use sea_orm::entity::prelude::*;

/// A review task (专项复盘) on a goal, often opened from an alert. `state`: open or done.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_task")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub goal_id: Uuid,
    pub alert_id: Option<Uuid>,
    pub title: String,
    pub owner_id: Uuid,
    pub due_on: Date,
    pub state: String,
    pub outcome: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub done_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
