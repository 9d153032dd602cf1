use sea_orm::entity::prelude::*;

/// A review cycle (V-1). `units` (JSON array of ids) and `filter` (JSON) choose who takes part.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_cycle")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    pub period_id: Uuid,
    pub template_id: Uuid,
    pub units: String,
    pub filter: String,
    pub state: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub launched_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
