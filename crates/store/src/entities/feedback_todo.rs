use sea_orm::entity::prelude::*;

/// A request, made by an event elsewhere (F-7), that one person write feedback about another.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback_todo")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub owner_id: Uuid,
    pub about_id: Uuid,
    /// project, collaboration or learning.
    pub ask: String,
    pub title: String,
    pub url: Option<String>,
    pub integration_id: Uuid,
    pub event_id: String,
    /// open, done or dismissed.
    pub state: String,
    pub created_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
