use sea_orm::entity::prelude::*;

/// A development report (D-2) on a person after a released review cycle: the manager's text,
/// the analysis (JSON) it was written on, draft or shared.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dev_report")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub employee_id: Uuid,
    pub cycle_id: Uuid,
    pub strengths: String,
    pub areas: String,
    pub actions: String,
    pub support: String,
    pub analysis: String,
    pub state: String,
    pub written_by_name: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub shared_at: Option<DateTimeUtc>,
    pub plan_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
