use sea_orm::entity::prelude::*;

/// One fit of the flight-risk model on the organization's history (SPEC I-4).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "flight_model")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub fitted_at: DateTimeUtc,
    pub fitted_by: Option<Uuid>,
    pub fitted_by_name: Option<String>,
    pub as_of: Date,
    pub people: i32,
    pub leavers: i32,
    pub evaluation: Option<String>,
    pub model: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
