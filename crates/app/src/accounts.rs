//! Accounts, sign-in, sessions and personal API tokens. Passwords are argon2id; session
//! and API tokens are random and stored only as SHA-256 hashes; failed sign-ins are
//! counted in the database so throttling holds across instances.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Argon2, PasswordHash};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_store::entities::{api_token, role_grant, session, user_account};
use waymark_store::repo::{accounts as repo, org as org_repo};

use crate::audit::entry;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult};

pub struct AccountService<'a> {
    pub(crate) app: &'a App,
}

/// Roles that are granted (the manager role follows from the reporting line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantedRole {
    Hr,
    Executive,
    Admin,
}

impl GrantedRole {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hr => "hr",
            Self::Executive => "executive",
            Self::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "hr" => Some(Self::Hr),
            "executive" | "exec" => Some(Self::Executive),
            "admin" | "sysadmin" => Some(Self::Admin),
            _ => None,
        }
    }
}

pub const MIN_PASSWORD: usize = 8;
const FAILURE_WINDOW_MIN: i64 = 15;
const MAX_FAILURES_PER_USER: u64 = 5;
const MAX_FAILURES_PER_IP: u64 = 30;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TokenView {
    pub id: Uuid,
    pub name: String,
    /// The first characters, to recognize a token; the rest is never shown again.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

/// A new account's details (command line and admin).
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: Option<&'a str>,
    pub password: &'a str,
    pub employee_no: Option<&'a str>,
}

pub fn sha256_hex(s: &str) -> String {
    sha256_hex_bytes(s.as_bytes())
}

pub fn sha256_hex_bytes(b: &[u8]) -> String {
    hex::encode(Sha256::digest(b))
}

pub(crate) fn random_token(prefix: &str) -> AppResult<String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(format!("{prefix}{}", hex::encode(b)))
}

async fn hash_password(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::Internal(e.to_string()))
}

async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || match PasswordHash::new(&hash) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    })
    .await
    .unwrap_or(false)
}

async fn dummy_hash() -> AppResult<String> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY.get_or_try_init(|| hash_password("not-a-real-password".into())).await.cloned()
}

fn check_password(p: &str) -> AppResult<()> {
    if p.chars().count() < MIN_PASSWORD {
        return Err(AppError::field(
            "password",
            "password_too_short",
            format!("must be at least {MIN_PASSWORD} characters"),
        ));
    }
    Ok(())
}

impl AccountService<'_> {
    fn require_admin(actor: &Actor) -> AppResult<()> {
        if allowed(actor, Action::Write, Resource::Accounts, Facts::default()) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub async fn create_user(&self, actor: &Actor, n: NewUser<'_>) -> AppResult<Uuid> {
        Self::require_admin(actor)?;
        let username = n.username.trim().to_lowercase();
        if username.is_empty()
            || username.len() > 64
            || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c))
        {
            return Err(AppError::field(
                "username",
                "invalid_username",
                "use 1-64 letters, digits, '.', '_', '-' or '@'",
            ));
        }
        check_password(n.password)?;
        let c = &self.app.db.conn;
        if repo::user_by_username(c, &username).await?.is_some() {
            return Err(AppError::field("username", "duplicate_username", "this username is taken"));
        }
        let employee =
            match n.employee_no {
                Some(no) => Some(org_repo::employee_by_no(c, no.trim()).await?.ok_or_else(|| {
                    AppError::field("employee_no", "unknown_employee", "no employee has this number")
                })?),
                None => None,
            };
        if let Some(e) = &employee
            && repo::user_by_employee(c, e.id).await?.is_some()
        {
            return Err(AppError::field("employee_no", "employee_has_account", "this employee already has an account"));
        }
        let now = self.app.clock.now();
        let display_name = n
            .display_name
            .map(str::to_string)
            .or_else(|| employee.as_ref().map(|e| e.name.clone()))
            .unwrap_or_else(|| username.clone());
        let id = Uuid::now_v7();
        let user = user_account::Model {
            id,
            username: username.clone(),
            display_name,
            password_hash: hash_password(n.password.to_string()).await?,
            employee_id: employee.map(|e| e.id),
            locale: None,
            disabled: false,
            created_at: now,
        };
        let after = crate::audit::json(&serde_json::json!({ "username": username, "employee_id": user.employee_id }));
        let tx = self.app.db.begin_write().await?;
        repo::insert_user(&*tx, user).await?;
        waymark_store::repo::audit::append(
            &*tx,
            vec![entry(actor, now, "user", id, None, "create", None, after, None)],
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn set_password(&self, actor: &Actor, username: &str, password: &str) -> AppResult<()> {
        Self::require_admin(actor)?;
        check_password(password)?;
        let c = &self.app.db.conn;
        let user =
            repo::user_by_username(c, &username.trim().to_lowercase()).await?.ok_or(AppError::NotFound("user"))?;
        let hash = hash_password(password.to_string()).await?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        repo::set_password_hash(&*tx, user.id, &hash).await?;
        repo::delete_user_sessions(&*tx, user.id).await?;
        waymark_store::repo::audit::append(
            &*tx,
            vec![entry(actor, now, "user", user.id, None, "set_password", None, None, None)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Grants `role` over the given units (`None` in the list: the whole organization);
    /// an empty list removes the role.
    pub async fn set_role(
        &self,
        actor: &Actor,
        username: &str,
        role: GrantedRole,
        units: Vec<Option<Uuid>>,
    ) -> AppResult<()> {
        Self::require_admin(actor)?;
        let c = &self.app.db.conn;
        let user =
            repo::user_by_username(c, &username.trim().to_lowercase()).await?.ok_or(AppError::NotFound("user"))?;
        for u in units.iter().flatten() {
            org_repo::unit(c, *u).await?.ok_or_else(|| AppError::field("unit", "unknown_unit", "no such unit"))?;
        }
        let before: Vec<Option<Uuid>> = repo::grants(c, user.id)
            .await?
            .into_iter()
            .filter(|g| g.role == role.as_str())
            .map(|g| g.unit_id)
            .collect();
        let grants = units
            .iter()
            .map(|u| role_grant::Model {
                id: Uuid::now_v7(),
                user_id: user.id,
                role: role.as_str().into(),
                unit_id: *u,
            })
            .collect();
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        repo::replace_grants(&*tx, user.id, role.as_str(), grants).await?;
        let a = entry(
            actor,
            now,
            "user",
            user.id,
            None,
            "set_role",
            crate::audit::json(&serde_json::json!({ role.as_str(): before })),
            crate::audit::json(&serde_json::json!({ role.as_str(): units })),
            None,
        );
        waymark_store::repo::audit::append(&*tx, vec![a]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Builds the actor of a signed-in user: grants with scopes expanded, manager flag.
    pub async fn actor_for_user(&self, user: &user_account::Model) -> AppResult<Actor> {
        let c = &self.app.db.conn;
        let roles = repo::roles_of(c, user.id, user.employee_id).await?;
        let scope_of = |role: &str| -> Vec<Option<Uuid>> {
            roles.grants.iter().filter(|(r, _)| r == role).map(|(_, unit)| *unit).collect()
        };
        let org = self.app.org();
        let (hr, exec) = (scope_of(GrantedRole::Hr.as_str()), scope_of(GrantedRole::Executive.as_str()));
        Ok(Actor {
            user_id: Some(user.id),
            label: user.username.clone(),
            display_name: user.display_name.clone(),
            employee_id: user.employee_id,
            is_manager: roles.has_reports,
            hr: if hr.is_empty() { None } else { Some(org.expand_scope(&hr).await?) },
            executive: if exec.is_empty() { None } else { Some(org.expand_scope(&exec).await?) },
            admin: !scope_of(GrantedRole::Admin.as_str()).is_empty(),
            system: false,
            locale: user.locale.clone(),
        })
    }

    /// Signs in; returns the session token for the cookie. Throttled after repeated failures.
    pub async fn login(&self, username: &str, password: &str, ip: &str) -> AppResult<(String, Actor)> {
        let c = &self.app.db.conn;
        let username = username.trim().to_lowercase();
        let now = self.app.clock.now();
        let since = now - Duration::minutes(FAILURE_WINDOW_MIN);
        let (by_user, by_ip) = repo::login_failures_since(c, &username, ip, since).await?;
        if by_user >= MAX_FAILURES_PER_USER || by_ip >= MAX_FAILURES_PER_IP {
            return Err(AppError::Throttled { retry_after_secs: (FAILURE_WINDOW_MIN * 60) as u64 });
        }
        let user = repo::user_by_username(c, &username).await?;
        // Verify against a real hash even when the user is unknown, so timing does not tell.
        let hash = match &user {
            Some(u) => u.password_hash.clone(),
            None => dummy_hash().await?,
        };
        let ok = verify_password(password.to_string(), hash).await;
        let user = match user {
            Some(u) if ok && !u.disabled => u,
            _ => {
                let tx = self.app.db.begin_write().await?;
                repo::record_login_failure(&*tx, &username, ip, now).await?;
                tx.commit().await?;
                return Err(AppError::Unauthenticated);
            }
        };
        let token = random_token("")?;
        let tx = self.app.db.begin_write().await?;
        repo::clear_login_failures(&*tx, &username, since).await?;
        repo::delete_expired_sessions(&*tx, now).await?;
        repo::insert_session(
            &*tx,
            session::Model {
                token_hash: sha256_hex(&token),
                user_id: user.id,
                created_at: now,
                expires_at: now + Duration::hours(self.app.config.session_hours),
            },
        )
        .await?;
        tx.commit().await?;
        let actor = self.actor_for_user(&user).await?;
        Ok((token, actor))
    }

    pub async fn actor_for_session(&self, token: &str) -> AppResult<Option<Actor>> {
        let user = repo::user_of_live_session(&self.app.db.conn, &sha256_hex(token), self.app.clock.now()).await?;
        match user {
            Some(u) if !u.disabled => Ok(Some(self.actor_for_user(&u).await?)),
            _ => Ok(None),
        }
    }

    pub async fn logout(&self, token: &str) -> AppResult<()> {
        let tx = self.app.db.begin_write().await?;
        repo::delete_session(&*tx, &sha256_hex(token)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn actor_for_api_token(&self, token: &str) -> AppResult<Option<Actor>> {
        let c = &self.app.db.conn;
        let Some(t) = repo::active_token(c, &sha256_hex(token.trim())).await? else { return Ok(None) };
        let Some(u) = repo::user(c, t.user_id).await?.filter(|u| !u.disabled) else { return Ok(None) };
        let now = self.app.clock.now();
        // Record use at most once a minute to keep reads cheap, and never wait for it: behind
        // a long write (the sweep holds SQLite for seconds) the use is recorded by a later
        // request instead of every API call stalling.
        if t.last_used_at.is_none_or(|l| now - l > Duration::minutes(1))
            && let Some(tx) = self.app.db.try_begin_write().await?
        {
            repo::touch_token(&*tx, t.id, now).await?;
            tx.commit().await?;
        }
        Ok(Some(self.actor_for_user(&u).await?))
    }

    /// Creates a personal API token; the secret is returned once and stored only hashed.
    pub async fn create_token(&self, actor: &Actor, name: &str) -> AppResult<(TokenView, String)> {
        let user_id = actor.user_id.ok_or(AppError::Unauthenticated)?;
        let name = waymark_domain::org::required_text(name, 100)
            .map_err(|e| AppError::field("name", e.code(), e.message()))?;
        let secret = random_token("wmk_")?;
        let now = self.app.clock.now();
        let t = api_token::Model {
            id: Uuid::now_v7(),
            user_id,
            name,
            token_hash: sha256_hex(&secret),
            prefix: secret[..12].to_string(),
            created_at: now,
            last_used_at: None,
            revoked_at: None,
        };
        let tx = self.app.db.begin_write().await?;
        repo::insert_token(&*tx, t.clone()).await?;
        waymark_store::repo::audit::append(
            &*tx,
            vec![entry(
                actor,
                now,
                "api_token",
                t.id,
                None,
                "create",
                None,
                crate::audit::json(&serde_json::json!({ "name": t.name, "prefix": t.prefix })),
                None,
            )],
        )
        .await?;
        tx.commit().await?;
        Ok((token_view(t), secret))
    }

    /// The operator issues a token for a user from the command line (automation, CI).
    pub async fn create_token_for(&self, operator: &Actor, username: &str, name: &str) -> AppResult<String> {
        if !allowed(operator, Action::Write, Resource::Impersonation, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let user = repo::user_by_username(&self.app.db.conn, &username.trim().to_lowercase())
            .await?
            .ok_or(AppError::NotFound("user"))?;
        let actor = self.actor_for_user(&user).await?;
        Ok(self.create_token(&actor, name).await?.1)
    }

    pub async fn tokens(&self, actor: &Actor) -> AppResult<Vec<TokenView>> {
        let user_id = actor.user_id.ok_or(AppError::Unauthenticated)?;
        Ok(repo::tokens_of(&self.app.db.conn, user_id).await?.into_iter().map(token_view).collect())
    }

    pub async fn revoke_token(&self, actor: &Actor, id: Uuid) -> AppResult<()> {
        let user_id = actor.user_id.ok_or(AppError::Unauthenticated)?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        if !repo::revoke_token(&*tx, user_id, id, now).await? {
            return Err(AppError::NotFound("token"));
        }
        waymark_store::repo::audit::append(
            &*tx,
            vec![entry(actor, now, "api_token", id, None, "revoke", None, None, None)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn set_locale(&self, actor: &Actor, locale: Option<&str>) -> AppResult<()> {
        let user_id = actor.user_id.ok_or(AppError::Unauthenticated)?;
        let tx = self.app.db.begin_write().await?;
        repo::set_locale(&*tx, user_id, locale).await?;
        tx.commit().await?;
        Ok(())
    }
}

fn token_view(t: api_token::Model) -> TokenView {
    TokenView {
        id: t.id,
        name: t.name,
        prefix: t.prefix,
        created_at: t.created_at,
        last_used_at: t.last_used_at,
        revoked: t.revoked_at.is_some(),
    }
}
