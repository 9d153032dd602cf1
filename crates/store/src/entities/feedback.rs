use sea_orm::entity::prelude::*;

/// One piece of feedback (F-2): from a giver to a recipient, written with a template, seen by
/// whom its visibility says.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "feedback")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub giver_id: Uuid,
    pub recipient_id: Uuid,
    /// recognition or improvement.
    pub kind: String,
    /// manager, recipient or public.
    pub visibility: String,
    /// sbi, star, sandwich or free.
    pub template: String,
    /// The template's parts, a JSON array of strings.
    pub parts: String,
    /// The parts joined, one per line.
    pub body: String,
    pub goal_id: Option<Uuid>,
    /// The request it answers.
    pub request_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
