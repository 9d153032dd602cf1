//! The AI's rewrite of feedback the coach flagged (issue 26, item 5): offered to the writer
//! only, beside the coach's own frame, never sent to anyone by itself. Names the server knows
//! (the writer's, the recipient's) leave as roles and come back as names.

use serde::Serialize;
use uuid::Uuid;
use waymark_domain::ai_draft::{pseudonymize, read_rewrite, rewrite_prompt};
use waymark_domain::coach;
use waymark_domain::feedback::MAX_PART_CHARS;
use waymark_store::repo::org as org_repo;

use super::{CoachView, FeedbackService, coach_view, may_coach, template_parts};
use crate::ai::{Fallback, Purpose};
use crate::i18n::Lang;
use crate::policy::Actor;
use crate::{AppError, AppResult};

/// The markers the model is asked to keep in place of the two people.
const ME: &str = "[me]";
const COLLEAGUE: &str = "[colleague]";

/// A suggested rewrite for the writer's form.
#[derive(Debug, Clone, Serialize)]
pub struct RewriteOffer {
    /// The AI's wording of each part, in the template's order; none when it gave none.
    pub parts: Option<Vec<String>>,
    /// Why there is no AI wording (the coach's frame below still is).
    pub fallback: Option<Fallback>,
    /// The coach's own reading and rewrite frame: the rules' suggestion, always there.
    pub coach: CoachView,
}

impl FeedbackService<'_> {
    /// Asks the connected AI endpoint to reword a draft the coach flagged: the template's parts
    /// with the recipient's and writer's names replaced by roles. Audited; the writer decides.
    pub async fn ai_rewrite(
        &self,
        actor: &Actor,
        lang: Lang,
        recipient: Uuid,
        template: &str,
        texts: &[String],
    ) -> AppResult<RewriteOffer> {
        let pairs = template_parts(template, texts)?;
        may_coach(actor, texts.iter().map(|x| x.chars().count()).sum())?;
        let advice = coach::advise_parts(&pairs);
        if advice.hints.is_empty() {
            return Err(AppError::field("parts", "nothing_to_rewrite", "the coach found nothing to improve"));
        }
        // As the directory shows them to the writer: no name they could not read otherwise.
        let person = self.app.org().employee(actor, recipient).await?;
        let writer = match actor.employee_id {
            Some(me) => org_repo::employee(self.c(), me).await?.map(|e| e.name),
            None => None,
        };
        let mut names: Vec<(&str, &str)> = vec![(person.name.as_str(), COLLEAGUE), (actor.display_name.as_str(), ME)];
        if let Some(w) = &writer {
            names.push((w.as_str(), ME));
        }
        let sent: Vec<(&str, String)> = pairs.iter().map(|(c, text)| (*c, pseudonymize(text, &names))).collect();
        let flags: Vec<(coach::Flag, Vec<String>)> =
            advice.hints.iter().map(|h| (h.flag, h.words.iter().map(|w| pseudonymize(w, &names)).collect())).collect();
        let prompt = rewrite_prompt(advice.lang == coach::Lang::Zh, &sent, &flags);
        let n = pairs.len();
        let drafted = self
            .app
            .ai_draft(
                actor,
                Purpose::FeedbackRewrite,
                Some(recipient),
                &prompt,
                |c| read_rewrite(c, n, MAX_PART_CHARS),
                |_| None,
            )
            .await?;
        let me = lang.t("feedback-ai-me");
        let back = |p: String| p.replace(COLLEAGUE, &person.name).replace(ME, &me);
        let (parts, fallback) = match drafted {
            Ok(parts) => (Some(parts.into_iter().map(back).collect()), None),
            Err(f) => (None, Some(f)),
        };
        Ok(RewriteOffer { parts, fallback, coach: coach_view(advice) })
    }
}
