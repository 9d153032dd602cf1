use sea_orm::entity::prelude::*;

/// An inbound webhook source (F-7) with its secret.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "integration")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// github, gitlab, jira, generic or learning.
    pub kind: String,
    pub name: String,
    pub secret: String,
    /// The employees asked when an event names no one, a JSON array of ids.
    pub team: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
