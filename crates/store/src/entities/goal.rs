use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "goal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub period_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    /// okr, kpi, mbo, milestone or behaviour.
    pub framework: String,
    /// company, unit, team or individual.
    pub level: String,
    pub unit_id: Option<Uuid>,
    /// public or private.
    pub visibility: String,
    /// draft, submitted, returned, approved, filed or archived.
    pub status: String,
    /// key_results or children.
    pub progress_source: String,
    pub is_key: bool,
    /// Weight among the owner's goals of the period, in basis points; blank: an equal share.
    pub weight_bp: Option<i32>,
    pub due_on: Option<Date>,
    /// The template it was made from (G-8), if any.
    pub template_id: Option<Uuid>,
    /// The last rolled-up progress, in basis points (100 % = 10 000).
    pub progress_bp: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
