use sea_orm::entity::prelude::*;

/// A person's answer to a signal about them, and the reply it got.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "signal_answer")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub signal_id: Uuid,
    pub author_id: Uuid,
    pub stance: String,
    pub body: String,
    pub created_at: DateTimeUtc,
    pub reply: Option<String>,
    pub replied_by: Option<Uuid>,
    pub replied_by_name: Option<String>,
    pub replied_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
