use sea_orm::entity::prelude::*;

/// A person thanked by a kudos.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kudos_recipient")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub kudos_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub employee_id: Uuid,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
