//! The coaching question bank (F-8): the built-in questions in the reader's language and those
//! HR added, shown on 1:1 and feedback pages; HR adds and retires their own.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::coaching::{BANK, Prompt, Topic, pick};
use waymark_store::repo::one_on_ones as repo;

use crate::audit::{entry, json};
use crate::error::text_field;
use crate::i18n::Lang;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult, FieldIssue};

pub struct CoachingService<'a> {
    pub(crate) app: &'a App,
}

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct PromptView {
    /// HR's own questions have an id; the built-in ones none.
    pub id: Option<Uuid>,
    /// wellbeing, progress, obstacles, growth or feedback.
    pub topic: String,
    pub text: String,
    /// Retired questions are listed for HR only.
    pub active: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PromptInput {
    #[schema(pattern = "^(wellbeing|progress|obstacles|growth|feedback)$")]
    pub topic: String,
    /// The question in Chinese (required) and in English (shown to English readers if given).
    pub text_zh: String,
    #[serde(default)]
    pub text_en: Option<String>,
}

fn require(actor: &Actor, action: Action) -> AppResult<()> {
    if allowed(actor, action, Resource::CoachingPrompts, Facts::default()) { Ok(()) } else { Err(AppError::Forbidden) }
}

fn custom(p: Prompt, lang: Lang) -> PromptView {
    let text = match lang {
        Lang::En => p.text_en.filter(|t| !t.is_empty()).unwrap_or(p.text_zh),
        _ => p.text_zh,
    };
    PromptView { id: Some(p.id), topic: p.topic.code().into(), text, active: p.active }
}

impl CoachingService<'_> {
    /// Every question in `lang`: the built-in ones, then HR's active ones (retired ones too for
    /// HR, to bring back).
    pub async fn list(&self, actor: &Actor, lang: Lang) -> AppResult<Vec<PromptView>> {
        require(actor, Action::Read)?;
        let mut out: Vec<PromptView> = BANK
            .iter()
            .map(|(topic, code)| PromptView {
                id: None,
                topic: topic.code().into(),
                text: lang.t(&format!("prompt-{code}")),
                active: true,
            })
            .collect();
        let hr = allowed(actor, Action::Write, Resource::CoachingPrompts, Facts::default());
        let mine = repo::prompts(&self.app.db.conn).await?.into_iter().filter(|p| p.active || hr);
        out.extend(mine.map(|p| custom(p, lang)));
        Ok(out)
    }

    /// The whole bank for HR's page, retired questions included.
    pub async fn list_to_edit(&self, actor: &Actor, lang: Lang) -> AppResult<Vec<PromptView>> {
        require(actor, Action::Write)?;
        self.list(actor, lang).await
    }

    /// `n` questions for one meeting or page (`seed`), the same each time it is opened.
    pub async fn suggest(&self, actor: &Actor, lang: Lang, seed: u64, n: usize) -> AppResult<Vec<PromptView>> {
        let all: Vec<PromptView> = self.list(actor, lang).await?.into_iter().filter(|p| p.active).collect();
        Ok(pick(all.len(), n, seed).into_iter().map(|i| all[i].clone()).collect())
    }

    pub async fn add(&self, actor: &Actor, lang: Lang, input: PromptInput) -> AppResult<PromptView> {
        require(actor, Action::Write)?;
        let mut issues = Vec::new();
        let topic = Topic::parse(input.topic.trim());
        if topic.is_none() {
            issues.push(FieldIssue::new(
                "topic",
                "invalid_choice",
                "must be wellbeing, progress, obstacles, growth or feedback",
            ));
        }
        let zh = text_field("text_zh", Some(&input.text_zh), 300, &mut issues);
        if zh.is_none() && issues.iter().all(|i| i.field != "text_zh") {
            issues.push(FieldIssue::new("text_zh", "required", "write the question"));
        }
        let en = text_field("text_en", input.text_en.as_deref(), 300, &mut issues);
        let Some(topic) = topic.filter(|_| issues.is_empty()) else { return Err(AppError::Invalid(issues)) };
        let now = self.app.clock.now();
        let p = Prompt {
            id: Uuid::now_v7(),
            topic,
            text_zh: zh.unwrap_or_default(),
            text_en: en,
            active: true,
            created_by: actor.user_id,
            created_at: now,
        };
        let after = json(&serde_json::json!({"topic": p.topic.code(), "text_zh": p.text_zh, "text_en": p.text_en}));
        let a = entry(actor, now, "coaching_prompt", p.id, None, "create", None, after, None);
        let tx = self.app.db.begin_write().await?;
        repo::insert_prompt(&*tx, p.clone()).await?;
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(custom(p, lang))
    }

    /// Retires one of HR's questions (or brings it back).
    pub async fn set_active(&self, actor: &Actor, id: Uuid, active: bool) -> AppResult<()> {
        require(actor, Action::Write)?;
        let mut p = repo::prompt(&self.app.db.conn, id).await?.ok_or(AppError::NotFound("prompt"))?;
        p.active = active;
        let now = self.app.clock.now();
        let a = entry(
            actor,
            now,
            "coaching_prompt",
            id,
            None,
            "update",
            None,
            json(&serde_json::json!({"active": active})),
            None,
        );
        let tx = self.app.db.begin_write().await?;
        repo::update_prompt(&*tx, p).await?;
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(())
    }
}
