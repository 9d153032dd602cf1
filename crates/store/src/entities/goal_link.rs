use sea_orm::entity::prelude::*;

/// "The child supports the parent": a goal or one of its key results aligned to a goal or one
/// of its key results, with a contribution weight in basis points (blank: equal shares).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "goal_link")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub child_goal_id: Uuid,
    pub child_kr_id: Option<Uuid>,
    pub parent_goal_id: Uuid,
    pub parent_kr_id: Option<Uuid>,
    pub weight_bp: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
