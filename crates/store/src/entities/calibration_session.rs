use sea_orm::entity::prelude::*;

/// A calibration session (V-4) over a cycle's participants of one unit (and below) and
/// optionally one level. `state`: open or locked.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calibration_session")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub cycle_id: Uuid,
    pub name: String,
    pub unit_id: Option<Uuid>,
    pub level: Option<String>,
    pub state: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub locked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
