//! 1:1s in people's calendars (F-1): an ICS file per meeting, and a per-user subscription feed
//! behind a secret URL that calendar apps poll (the secret is kept as a SHA-256, shown once,
//! replaced or revoked by its owner). Events carry the meeting's time, place, status and a link,
//! never its agenda or notes: a feed URL travels further than a session.

use chrono::{DateTime, Duration, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::one_on_one::{self as rules, CalendarFeed, Meeting};
use waymark_store::repo::{accounts as accounts_repo, one_on_ones as repo};

use super::{OneOnOneService, names};
use crate::accounts::{random_token, sha256_hex};
use crate::audit::entry;
use crate::i18n::Lang;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{AppError, AppResult};

/// A calendar subscription as its owner sees it; `url` only right after it was made.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedLink {
    pub created_at: DateTime<Utc>,
    /// The secret address to paste into a calendar app: shown once.
    pub url: Option<String>,
}

/// How far back a feed goes (ahead, it has what is materialized: 8 weeks).
const FEED_PAST_DAYS: i64 = 90;

impl OneOnOneService<'_> {
    fn feed_owner(&self, actor: &Actor) -> AppResult<Uuid> {
        let user = actor.user_id.ok_or(AppError::Forbidden)?;
        if !allowed(actor, Action::Write, Resource::CalendarFeed, Facts { is_self: true, ..Facts::default() }) {
            return Err(AppError::Forbidden);
        }
        Ok(user)
    }

    /// One meeting as an ICS file, for its participants.
    pub async fn meeting_ics(&self, actor: &Actor, id: Uuid, lang: Lang) -> AppResult<String> {
        let (m, me) = self.meeting_for(actor, id).await?;
        Ok(self.calendar_of(me, vec![m], lang).await?.to_string())
    }

    /// The feed behind a secret: the owner's 1:1s of the last 90 days and the coming weeks, in
    /// the owner's language. An unknown or revoked secret is not found.
    pub async fn feed_ics(&self, token: &str) -> AppResult<String> {
        let c = self.c();
        let user = repo::feed_user(c, &sha256_hex(token.trim())).await?.ok_or(AppError::NotFound("feed"))?;
        let account = accounts_repo::user(c, user).await?.filter(|u| !u.disabled).ok_or(AppError::NotFound("feed"))?;
        let Some(me) = account.employee_id else { return Err(AppError::NotFound("feed")) };
        let lang = account.locale.as_deref().and_then(Lang::parse).unwrap_or_default();
        let now = self.app.clock.now();
        let meetings = repo::meetings_of(
            c,
            me,
            now - Duration::days(FEED_PAST_DAYS),
            now + Duration::days(rules::HORIZON_DAYS + 7),
        )
        .await?;
        Ok(self.calendar_of(me, meetings, lang).await?.to_string())
    }

    async fn calendar_of(&self, me: Uuid, meetings: Vec<Meeting>, lang: Lang) -> AppResult<Calendar> {
        let c = self.c();
        let mut ids: Vec<Uuid> = meetings.iter().flat_map(|m| [m.manager_id, m.report_id]).collect();
        ids.sort();
        ids.dedup();
        let names = names(c, &ids).await?;
        // Every meeting is one of `me`'s series: their places in one read.
        let places: std::collections::HashMap<Uuid, Option<String>> =
            repo::series_of(c, me).await?.into_iter().map(|s| (s.id, s.location)).collect();
        let base = self.app.config.notify.public_url.trim_end_matches('/').to_string();
        // Our own PRODID (RFC 5545 allows one): `Calendar::new` would add the crate's.
        let mut cal = Calendar::empty();
        cal.append_property(("VERSION", "2.0"));
        cal.append_property(("PRODID", "-//Waymark//Waymark 1:1//EN"));
        cal.append_property(("CALSCALE", "GREGORIAN"));
        cal.append_property(("METHOD", "PUBLISH"));
        cal.name(&lang.t("ics-calendar-name"));
        for m in meetings {
            let other = m.other_than(me);
            let who = names.get(&other).cloned().unwrap_or_default();
            let link = format!("{base}/one-on-ones/{}", m.id);
            let mut e = Event::new();
            e.uid(&format!("{}@waymark", m.id))
                .summary(&lang.ta("ics-summary", &[("name", who)]))
                .description(&format!("{}\n{link}", lang.t("ics-description")))
                .starts(m.starts_at)
                .ends(m.ends_at())
                .sequence(m.sequence as u32)
                .url(&link)
                .status(if m.is_cancelled() { EventStatus::Cancelled } else { EventStatus::Confirmed });
            if let Some(Some(place)) = places.get(&m.series_id) {
                e.location(place);
            }
            cal.push(e.done());
        }
        Ok(cal.done())
    }

    /// The owner's subscription, if any (without its secret).
    pub async fn feed(&self, actor: &Actor) -> AppResult<Option<FeedLink>> {
        let user = self.feed_owner(actor)?;
        Ok(repo::feed_of(self.c(), user).await?.map(|f| FeedLink { created_at: f.created_at, url: None }))
    }

    /// Makes a new secret address (the previous one stops working) and shows it once.
    pub async fn renew_feed(&self, actor: &Actor) -> AppResult<FeedLink> {
        let user = self.feed_owner(actor)?;
        let token = random_token("wmcal_")?;
        let now = self.app.clock.now();
        let row = CalendarFeed { user_id: user, token_hash: sha256_hex(&token), created_at: now };
        let a = entry(actor, now, "calendar_feed", user, actor.employee_id, "renew", None, None, None);
        let tx = self.app.db.begin_write().await?;
        repo::put_feed(&*tx, row).await?;
        tx.audit(vec![a]);
        tx.commit().await?;
        let base = self.app.config.notify.public_url.trim_end_matches('/');
        Ok(FeedLink { created_at: now, url: Some(format!("{base}/calendar/{token}.ics")) })
    }

    pub async fn revoke_feed(&self, actor: &Actor) -> AppResult<()> {
        let user = self.feed_owner(actor)?;
        let now = self.app.clock.now();
        let a = entry(actor, now, "calendar_feed", user, actor.employee_id, "revoke", None, None, None);
        let tx = self.app.db.begin_write().await?;
        if !repo::delete_feed(&*tx, user).await? {
            return Err(AppError::NotFound("feed"));
        }
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(())
    }
}
