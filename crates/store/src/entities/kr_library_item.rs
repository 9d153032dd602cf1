use sea_orm::entity::prelude::*;

/// A standard metric of the key-result library (指标库, G-8): how it is measured, with a
/// suggested target, for the job family and level it suits (blank: any).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "kr_library_item")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub job_family: Option<String>,
    pub level: Option<String>,
    /// The key result as the API enters it, as JSON.
    pub definition: String,
    pub archived: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
