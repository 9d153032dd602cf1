use sea_orm::entity::prelude::*;

/// A value a kudos is tagged with.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kudos_value")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kudos_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub value_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
