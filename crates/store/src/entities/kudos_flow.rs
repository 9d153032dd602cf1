use sea_orm::entity::prelude::*;

/// Kudos given by one person to another in one local month, kept as kudos are given.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kudos_flow")]
pub struct Model {
    /// The first day of the month.
    #[sea_orm(primary_key, auto_increment = false)]
    pub month: Date,
    #[sea_orm(primary_key, auto_increment = false)]
    pub giver_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub recipient_id: Uuid,
    pub kudos: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
