use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "employee")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub employee_no: String,
    pub name: String,
    pub email: Option<String>,
    pub unit_id: Uuid,
    pub manager_id: Option<Uuid>,
    pub job_family: Option<String>,
    pub career_track: Option<String>,
    pub level: Option<String>,
    pub location: Option<String>,
    pub hire_date: Date,
    pub probation_end: Option<Date>,
    pub status: String,
    pub status_since: Option<Date>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
