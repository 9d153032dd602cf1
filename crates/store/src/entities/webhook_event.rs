use sea_orm::entity::prelude::*;

/// A webhook delivery accepted as a trigger, keyed by its event id (F-7).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_event")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub integration_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub event_id: String,
    pub received_at: DateTimeUtc,
    /// SHA-256 of the signed body, hex.
    pub digest: String,
    pub payload: String,
    /// queued, done or failed.
    pub state: String,
    pub todos: i32,
    /// Who the event named that no employee matched, a JSON array of strings.
    pub unknown: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
