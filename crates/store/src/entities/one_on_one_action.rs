use sea_orm::entity::prelude::*;

/// An action item agreed in a 1:1; shown on the pair's meetings until done.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "one_on_one_action")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub series_id: Uuid,
    /// The meeting it was agreed in.
    pub meeting_id: Uuid,
    pub owner_id: Uuid,
    pub text: String,
    pub due_on: Option<Date>,
    pub done_at: Option<DateTimeUtc>,
    pub done_by: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
