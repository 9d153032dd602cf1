use sea_orm::entity::prelude::*;

/// A participant's private note on a 1:1: read for its author only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "one_on_one_private_note")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub meeting_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub author_id: Uuid,
    pub text: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
