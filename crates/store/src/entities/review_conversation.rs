use sea_orm::entity::prelude::*;

/// The review conversation of a participant (V-5) with its four outputs: the conclusion with
/// its evidence, the capabilities to strengthen (JSON), the draft goals made (JSON ids) and,
/// through `dev_plan.participant_id`, the development plan.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_conversation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub participant_id: Uuid,
    pub held_on: Date,
    pub standing: String,
    pub facts: String,
    pub next_grade: String,
    pub conclusion: String,
    pub capabilities: String,
    pub goal_ids: String,
    pub recorded_by: Option<Uuid>,
    pub recorded_by_name: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
