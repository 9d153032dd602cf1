use sea_orm::entity::prelude::*;

/// One review of a participant by one reviewer: self, manager, a peer or upward.
/// `state`: nominated, rejected, open, draft or submitted.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub participant_id: Uuid,
    /// The participant's cycle, carried here so a cycle's progress is one range of one index
    /// (m0033). Always set: the column is nullable only because existing rows gained it.
    pub cycle_id: Uuid,
    pub reviewer_id: Uuid,
    pub source: String,
    pub state: String,
    pub summary: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
