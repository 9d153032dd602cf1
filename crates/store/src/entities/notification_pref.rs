use sea_orm::entity::prelude::*;

/// A user's notification channels beyond the in-app inbox. `email_off` and `im_off` list the
/// categories switched off on that channel, comma-separated (e.g. `reminders,tracking`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notification_pref")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub email_enabled: bool,
    pub email_off: String,
    pub im_enabled: bool,
    pub im_platform: Option<String>,
    pub im_url: Option<String>,
    pub im_secret: Option<String>,
    pub im_off: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
