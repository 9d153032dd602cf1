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

use waymark_domain::sign_in;

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
/// Longer passwords are refused (a megabyte "password" would cost the hash function, not an
/// attacker's guess).
const MAX_PASSWORD_BYTES: usize = 1024;
/// The known-device cookie lasts this long (issue 21: a guarded account's own browsers).
pub const DEVICE_DAYS: i64 = 180;

/// A signed-in browser's proof that it signed in to an account before: `user.nonce.mac`.
fn device_token(key: &[u8; 32], user: Uuid, nonce: &str) -> String {
    let signed = format!("{user}.{nonce}");
    format!("{signed}.{}", waymark_domain::secrets::keyed_hex(key, &[signed.as_bytes()]))
}

fn device_proves(key: &[u8; 32], token: &str, user: Uuid) -> bool {
    let mut parts = token.splitn(3, '.');
    let (Some(u), Some(nonce), Some(_)) = (parts.next(), parts.next(), parts.next()) else { return false };
    u == user.to_string() && waymark_domain::secrets::same_secret(&device_token(key, user, nonce), token)
}

/// The failures in the window, by account and by address, for the administrator (issue 21).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThrottleView {
    pub accounts: Vec<ThrottledName>,
    pub addresses: Vec<ThrottledName>,
    /// The window the counts cover, in minutes.
    pub window_minutes: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThrottledName {
    /// The username tried, or the address.
    pub name: String,
    pub failures: u64,
    pub last_at: DateTime<Utc>,
    /// An account: guarded (one attempt a minute from unknown browsers); an address: refused.
    pub throttled: bool,
}

/// A successful sign-in: the session token, the actor, and the browser's known-device proof.
pub struct SignedIn {
    pub session: String,
    pub actor: Actor,
    pub device: String,
}

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

/// An account as the administrator's list shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AccountView {
    pub username: String,
    pub display_name: String,
    pub locked: bool,
    /// The administrator's own account (which they cannot lock).
    pub is_you: bool,
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
    if p.len() > MAX_PASSWORD_BYTES {
        return Err(AppError::field(
            "password",
            "password_too_long",
            format!("must be at most {MAX_PASSWORD_BYTES} bytes"),
        ));
    }
    if waymark_domain::passwords::is_common(p) {
        return Err(AppError::field(
            "password",
            "password_common",
            "is one of the passwords attackers try first; choose another",
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
        tx.audit(vec![entry(actor, now, "user", id, None, "create", None, after, None)]);
        tx.commit().await?;
        Ok(id)
    }

    /// A password change ends every session and, unless `keep_tokens`, revokes every API token
    /// too (whoever knew the old password may have made one).
    pub async fn set_password(
        &self,
        actor: &Actor,
        username: &str,
        password: &str,
        keep_tokens: bool,
    ) -> AppResult<()> {
        Self::require_admin(actor)?;
        check_password(password)?;
        let c = &self.app.db.conn;
        let user =
            repo::user_by_username(c, &username.trim().to_lowercase()).await?.ok_or(AppError::NotFound("user"))?;
        let hash = hash_password(password.to_string()).await?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        repo::set_password_hash(&*tx, user.id, &hash).await?;
        let revoked = if keep_tokens {
            repo::delete_user_sessions(&*tx, user.id).await?;
            0
        } else {
            repo::end_access(&*tx, &[user.id], now).await?.1
        };
        let after = crate::audit::json(&serde_json::json!({ "tokens_revoked": revoked }));
        let a = entry(actor, now, "user", user.id, user.employee_id, "set_password", None, after, None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(())
    }

    /// Locks an account (every session ends; its tokens and password stop working while it is
    /// locked) or unlocks it. The administrator's, from the command line, the API or a page.
    pub async fn set_locked(&self, actor: &Actor, username: &str, locked: bool) -> AppResult<()> {
        Self::require_admin(actor)?;
        let c = &self.app.db.conn;
        let user =
            repo::user_by_username(c, &username.trim().to_lowercase()).await?.ok_or(AppError::NotFound("user"))?;
        if locked && actor.user_id == Some(user.id) {
            return Err(AppError::field("username", "lock_self", "an administrator cannot lock their own account"));
        }
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        if !repo::set_disabled(&*tx, user.id, locked).await? {
            return Ok(());
        }
        if locked {
            repo::delete_user_sessions(&*tx, user.id).await?;
        }
        let action = if locked { "lock" } else { "unlock" };
        let a = entry(actor, now, "user", user.id, user.employee_id, action, None, None, None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(())
    }

    /// Accounts for the administrator's page: username, name, locked.
    pub async fn list(&self, actor: &Actor) -> AppResult<Vec<AccountView>> {
        Self::require_admin(actor)?;
        Ok(repo::all_users(&self.app.db.conn)
            .await?
            .into_iter()
            .map(|u| AccountView {
                is_you: actor.user_id == Some(u.id),
                username: u.username,
                display_name: u.display_name,
                locked: u.disabled,
            })
            .collect())
    }

    /// The sign-in failures of the window and who is throttled (the administrator's).
    pub async fn throttles(&self, actor: &Actor) -> AppResult<ThrottleView> {
        if !allowed(actor, Action::Read, Resource::SignInThrottles, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let since = self.app.clock.now() - Duration::minutes(sign_in::WINDOW_MINUTES);
        let (users, ips) = repo::failure_counts(&self.app.db.conn, since).await?;
        let view = |v: Vec<repo::FailureCount>, throttled: &dyn Fn(u64) -> bool| -> Vec<ThrottledName> {
            v.into_iter()
                .map(|(name, failures, last_at)| ThrottledName {
                    name,
                    failures,
                    last_at,
                    throttled: throttled(failures),
                })
                .collect()
        };
        Ok(ThrottleView {
            accounts: view(users, &sign_in::guarded),
            addresses: view(ips, &sign_in::address_refused),
            window_minutes: sign_in::WINDOW_MINUTES,
        })
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
        tx.audit(vec![a]);
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
        let s = self.sign_in(username, password, ip, None).await?;
        Ok((s.session, s.actor))
    }

    /// Signs in from a browser that may carry a known-device proof (issue 21, item 3). Each
    /// evaluated attempt is recorded as a failure before the password is checked, in one
    /// serialized step with the count, and removed when the password was right; wrong
    /// passwords are audited. A locked account or a person who has left cannot sign in (told
    /// apart from a wrong password to nobody).
    pub async fn sign_in(&self, username: &str, password: &str, ip: &str, device: Option<&str>) -> AppResult<SignedIn> {
        let c = &self.app.db.conn;
        // What is recorded of a made-up name is bounded.
        let username: String = username.trim().to_lowercase().chars().take(100).collect();
        let now = self.app.clock.now();
        let since = now - Duration::minutes(sign_in::WINDOW_MINUTES);
        let recent = now - Duration::seconds(sign_in::GUARDED_PACE_SECS);
        let user = repo::user_by_username(c, &username).await?;
        let device_key = self.app.config.server_key.derive(crate::secret::Purpose::KnownDevice);
        let known_device = match (&user, device) {
            (Some(u), Some(d)) => device_proves(&device_key, d, u.id),
            _ => false,
        };
        let tx = self.app.db.begin_write().await?;
        repo::lock_sign_in_bookkeeping(&*tx).await?;
        let (by_account, by_address, by_account_recent) =
            repo::login_failures_since(&*tx, &username, ip, since, recent).await?;
        let attempts = sign_in::Attempts { by_account, by_address, by_account_recent };
        if let sign_in::Verdict::Throttled { retry_after_secs, .. } = sign_in::judge(attempts, known_device) {
            return Err(AppError::Throttled { retry_after_secs });
        }
        let attempt = repo::record_login_failure(&*tx, &username, ip, now).await?;
        tx.commit().await?;

        // Verify against a real hash even when the user is unknown, so timing does not tell.
        let hash = match &user {
            Some(u) => u.password_hash.clone(),
            None => dummy_hash().await?,
        };
        let ok = password.len() <= MAX_PASSWORD_BYTES && verify_password(password.to_string(), hash).await;
        let standing = match &user {
            Some(u) if ok => repo::user_in_good_standing(c, u.id).await?,
            _ => None,
        };
        let Some(user) = standing else {
            let tx = self.app.db.begin_write().await?;
            let who = user.as_ref().map(|u| u.id).unwrap_or_else(Uuid::nil);
            let after = crate::audit::json(&serde_json::json!({ "username": username, "address": ip }));
            let reason = if ok { "account locked or left" } else { "wrong username or password" };
            let anonymous = Actor { label: format!("sign-in:{username}"), ..Actor::anonymous() };
            tx.audit(vec![entry(
                &anonymous,
                now,
                "user",
                who,
                user.as_ref().and_then(|u| u.employee_id),
                "sign_in_failed",
                None,
                after,
                Some(reason.into()),
            )]);
            tx.commit().await?;
            return Err(AppError::Unauthenticated);
        };
        let token = random_token("")?;
        let tx = self.app.db.begin_write().await?;
        // Only this attempt was right: the others stay counted (and listed for the administrator)
        // until they age out of the window, so an attack does not vanish when the owner signs in.
        repo::delete_login_failure(&*tx, attempt).await?;
        repo::purge_login_failures(&*tx, since).await?;
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
        let device = match device {
            Some(d) if known_device => d.to_string(),
            _ => device_token(&device_key, user.id, &random_token("")?[..32]),
        };
        Ok(SignedIn { session: token, actor, device })
    }

    /// Ends the access of people who have left (issue 21, item 2): their sessions end and their
    /// API tokens are revoked in the caller's transaction (a page, the API, an import, later SCIM).
    pub(crate) async fn end_access_of_employees<C: waymark_store::sea_orm::ConnectionTrait>(
        c: &C,
        employees: &[Uuid],
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let users = repo::accounts_of_employees(c, employees).await?;
        repo::end_access(c, &users, now).await?;
        Ok(())
    }

    pub async fn actor_for_session(&self, token: &str) -> AppResult<Option<Actor>> {
        let user = repo::user_of_live_session(&self.app.db.conn, &sha256_hex(token), self.app.clock.now()).await?;
        match user {
            Some(u) => Ok(Some(self.actor_for_user(&u).await?)),
            None => Ok(None),
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
        let Some(u) = repo::user_in_good_standing(c, t.user_id).await? else { return Ok(None) };
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
        tx.audit(vec![entry(
            actor,
            now,
            "api_token",
            t.id,
            None,
            "create",
            None,
            crate::audit::json(&serde_json::json!({ "name": t.name, "prefix": t.prefix })),
            None,
        )]);
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
        tx.audit(vec![entry(actor, now, "api_token", id, None, "revoke", None, None, None)]);
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
