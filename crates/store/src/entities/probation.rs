use sea_orm::entity::prelude::*;

/// A new hire's probation (V-8): the contract it was checked against, its months and dates,
/// and the conversion decision.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "probation")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub employee_id: Uuid,
    pub contract: String,
    pub contract_months: Option<i32>,
    pub months: i32,
    pub starts_on: Date,
    pub ends_on: Date,
    pub state: String,
    pub extended: bool,
    pub decision_note: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_by_name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
