use sea_orm::entity::prelude::*;

/// A key event (F-5): a dated contribution or problem about one person, with its evidence.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "journal_entry")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub employee_id: Uuid,
    pub author_id: Uuid,
    /// contribution or problem.
    pub kind: String,
    pub occurred_on: Date,
    pub title: String,
    pub evidence: String,
    /// A JSON array of http(s) addresses.
    pub links: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
