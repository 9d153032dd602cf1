//! Users' notification preferences and what delivery needs to know of a recipient.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel, QueryFilter, QuerySelect};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::{employee, notification_pref as pref, user_account};

pub async fn get<C: ConnectionTrait>(c: &C, user: Uuid) -> StoreResult<Option<pref::Model>> {
    Ok(pref::Entity::find_by_id(user).one(c).await?)
}

pub async fn upsert<C: ConnectionTrait>(c: &C, row: pref::Model) -> StoreResult<()> {
    pref::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::column(pref::Column::UserId)
                .update_columns([
                    pref::Column::EmailEnabled,
                    pref::Column::EmailOff,
                    pref::Column::ImEnabled,
                    pref::Column::ImPlatform,
                    pref::Column::ImUrl,
                    pref::Column::ImSecret,
                    pref::Column::ImOff,
                    pref::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(c)
        .await?;
    Ok(())
}

/// A recipient as delivery sees them: name, language, address (from their employee record)
/// and preferences.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub user_id: Uuid,
    pub display_name: String,
    pub locale: Option<String>,
    pub disabled: bool,
    pub email: Option<String>,
    pub pref: Option<pref::Model>,
}

#[derive(FromQueryResult)]
struct AccountRow {
    id: Uuid,
    display_name: String,
    locale: Option<String>,
    disabled: bool,
    employee_id: Option<Uuid>,
}

/// The recipients among `users` that exist, in no particular order.
pub async fn recipients<C: ConnectionTrait>(c: &C, users: &[Uuid]) -> StoreResult<Vec<Recipient>> {
    let mut out = Vec::with_capacity(users.len());
    for chunk in users.chunks(500) {
        let accounts = user_account::Entity::find()
            .select_only()
            .columns([
                user_account::Column::Id,
                user_account::Column::DisplayName,
                user_account::Column::Locale,
                user_account::Column::Disabled,
                user_account::Column::EmployeeId,
            ])
            .filter(user_account::Column::Id.is_in(chunk.iter().copied()))
            .into_model::<AccountRow>()
            .all(c)
            .await?;
        let employees: std::collections::HashMap<Uuid, Option<String>> = employee::Entity::find()
            .select_only()
            .columns([employee::Column::Id, employee::Column::Email])
            .filter(employee::Column::Id.is_in(accounts.iter().filter_map(|a| a.employee_id)))
            .into_tuple::<(Uuid, Option<String>)>()
            .all(c)
            .await?
            .into_iter()
            .collect();
        let mut prefs: std::collections::HashMap<Uuid, pref::Model> = pref::Entity::find()
            .filter(pref::Column::UserId.is_in(chunk.iter().copied()))
            .all(c)
            .await?
            .into_iter()
            .map(|p| (p.user_id, p))
            .collect();
        out.extend(accounts.into_iter().map(|a| Recipient {
            user_id: a.id,
            display_name: a.display_name,
            locale: a.locale,
            disabled: a.disabled,
            email: a.employee_id.and_then(|e| employees.get(&e).cloned().flatten()).filter(|e| !e.trim().is_empty()),
            pref: prefs.remove(&a.id),
        }));
    }
    Ok(out)
}
