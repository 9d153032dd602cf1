use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_stage")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub cycle_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub stage: String,
    pub opens_on: Date,
    pub closes_on: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
