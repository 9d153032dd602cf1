use sea_orm::entity::prelude::*;

/// A goal template (G-8): a goal with its key results, ready to be made for a person. Whom it
/// suits is named by job family, level and period; blank means any.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "goal_template")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub framework: String,
    pub job_family: Option<String>,
    pub level: Option<String>,
    pub period_id: Option<Uuid>,
    pub is_key: bool,
    pub weight_bp: Option<i32>,
    /// The key results, as a JSON array of key results as the API enters them.
    pub key_results: String,
    pub archived: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
