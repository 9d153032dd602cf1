//! Users' notification preferences and what delivery needs to know of a recipient.

use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel, QueryFilter, QuerySelect};
use uuid::Uuid;
use waymark_domain::notify::im::Platform;
use waymark_domain::notify::{Category, Prefs};

use crate::entities::{employee, notification_pref as pref, user_account};
use crate::{StoreError, StoreResult};

/// Categories are kept comma-separated (`reminders,tracking`). One that is no longer ours is
/// left out: switching off a category that does not exist changes nothing.
fn categories(list: &str) -> Vec<Category> {
    list.split(',').filter_map(Category::parse).collect()
}

fn category_list(cs: &[Category]) -> String {
    cs.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")
}

fn to_prefs(m: pref::Model) -> StoreResult<Prefs> {
    let im_platform = match m.im_platform.as_deref() {
        None => None,
        Some(p) => Some(Platform::parse(p).ok_or(StoreError::Corrupt("IM platform"))?),
    };
    Ok(Prefs {
        user_id: m.user_id,
        email_enabled: m.email_enabled,
        email_off: categories(&m.email_off),
        im_enabled: m.im_enabled,
        im_platform,
        im_url: m.im_url,
        im_secret: m.im_secret,
        im_off: categories(&m.im_off),
        updated_at: m.updated_at,
    })
}

fn prefs_row(p: Prefs) -> pref::Model {
    pref::Model {
        user_id: p.user_id,
        email_enabled: p.email_enabled,
        email_off: category_list(&p.email_off),
        im_enabled: p.im_enabled,
        im_platform: p.im_platform.map(|x| x.code().to_string()),
        im_url: p.im_url,
        im_secret: p.im_secret,
        im_off: category_list(&p.im_off),
        updated_at: p.updated_at,
    }
}

pub async fn get<C: ConnectionTrait>(c: &C, user: Uuid) -> StoreResult<Option<Prefs>> {
    pref::Entity::find_by_id(user).one(c).await?.map(to_prefs).transpose()
}

pub async fn upsert<C: ConnectionTrait>(c: &C, prefs: Prefs) -> StoreResult<()> {
    pref::Entity::insert(prefs_row(prefs).into_active_model())
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
    pub pref: Option<Prefs>,
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
        let mut prefs = std::collections::HashMap::new();
        for p in pref::Entity::find().filter(pref::Column::UserId.is_in(chunk.iter().copied())).all(c).await? {
            prefs.insert(p.user_id, to_prefs(p)?);
        }
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
