use sea_orm::entity::prelude::*;

/// A probation checkpoint: month 1, 3 or 6 with its focus, or the conversion; what the manager
/// found when it was held.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "probation_checkpoint")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub probation_id: Uuid,
    pub month: i32,
    pub focus: String,
    pub due_on: Date,
    pub note: Option<String>,
    pub held_by_name: Option<String>,
    pub held_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
