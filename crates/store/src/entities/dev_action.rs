use sea_orm::entity::prelude::*;

/// One action of a development plan: a course, rotation, project or mentor.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dev_action")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub kind: String,
    pub title: String,
    pub capability: Option<String>,
    pub due_on: Option<Date>,
    pub done_at: Option<DateTimeUtc>,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
