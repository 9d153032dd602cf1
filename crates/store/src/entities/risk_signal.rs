use sea_orm::entity::prelude::*;

/// A signal raised about a person (SPEC I-4) with its evidence chain (JSON).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "risk_signal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub employee_id: Uuid,
    pub kind: String,
    pub state: String,
    pub points: i32,
    pub evidence: String,
    pub raised_at: DateTimeUtc,
    pub computed_at: DateTimeUtc,
    pub cleared_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
