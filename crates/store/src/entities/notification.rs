use sea_orm::entity::prelude::*;

/// One message in a user's in-app inbox. `kind` selects the translated text; `subject` is
/// what it is about (e.g. a goal's title) as it was when the message was made.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub recipient_id: Uuid,
    pub kind: String,
    pub entity_type: String,
    pub entity_id: Uuid,
    pub actor_name: String,
    pub subject: String,
    pub body: Option<String>,
    pub read_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
