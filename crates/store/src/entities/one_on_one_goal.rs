use sea_orm::entity::prelude::*;

/// A goal linked to a 1:1, to talk about.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "one_on_one_goal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub meeting_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub goal_id: Uuid,
    pub added_by: Option<Uuid>,
    pub added_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
