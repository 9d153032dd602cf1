use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub seq: i64,
    pub id: String,
    /// RFC 3339 UTC with microseconds; stored as text so the hash input is byte-exact.
    pub occurred_at: String,
    pub actor: String,
    pub actor_user_id: Option<Uuid>,
    pub entity_type: String,
    pub entity_id: String,
    pub subject_employee_id: Option<Uuid>,
    pub action: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
