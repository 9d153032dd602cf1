//! The demo team's last six weeks between people (SPEC F-2, F-3, F-4, F-6, V-8): feedback
//! given and asked for, journal events, a light 360 closed above its threshold and one open,
//! and two new hires on probation at different checkpoints. Written through the services as of
//! the day each thing happened (the services' own rules, audit and inbox messages), around the
//! demo manager's team, so each demo sign-in has its own history and its own to-dos: the
//! employee a colleague's request for feedback and a light 360 to answer, the manager a
//! probation checkpoint coming up. Nothing when there are no demo sign-ins.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;
use waymark_domain::org::Employee;
use waymark_store::repo::{accounts as accounts_repo, feedback as feedback_repo, org as org_repo};

use crate::clock::FixedClock;
use crate::feedback::{FeedbackInput, RequestInput};
use crate::journal::JournalInput;
use crate::light360::{AnswerInput, AnswerItem, Light360Input};
use crate::policy::Actor;
use crate::probation::{ProbationInput, ProbationNoteInput};
use crate::{App, AppResult};

/// Someone of the demo team as the services see them when they act (most have no sign-in).
pub(crate) fn person(e: &Employee, has_reports: bool) -> Actor {
    Actor {
        user_id: None,
        label: format!("demo:{}", e.employee_no),
        display_name: e.name.clone(),
        employee_id: Some(e.id),
        is_manager: has_reports,
        hr: None,
        executive: None,
        admin: false,
        system: false,
        locale: None,
    }
}

/// What is said, in the demo's language.
struct Say {
    english: bool,
}

impl Say {
    fn t(&self, zh: &str, en: &str) -> String {
        if self.english { en } else { zh }.to_string()
    }
    fn sbi(&self, zh: [&str; 3], en: [&str; 3]) -> Vec<String> {
        if self.english { en } else { zh }.iter().map(|s| s.to_string()).collect()
    }
}

impl App {
    /// The services as they were at `t`: what they write is dated then.
    pub(crate) fn as_of(&self, t: DateTime<Utc>) -> App {
        App { clock: Arc::new(FixedClock::at(t)), ..self.clone() }
    }

    pub(crate) async fn create_demo_activity(&self, english: bool) -> AppResult<()> {
        let c = &self.db.conn;
        let Some((manager_id, employee_id)) = self.demo_pair().await? else { return Ok(()) };
        if !feedback_repo::feedback_to(c, employee_id, 1).await?.is_empty() {
            return Ok(());
        }
        let user = |name: &'static str| async move { accounts_repo::user_by_username(c, name).await };
        let (Some(mu), Some(eu), Some(hu)) = (user("manager").await?, user("employee").await?, user("hr").await?)
        else {
            return Ok(());
        };
        let accounts = self.accounts();
        let (manager, employee, hr) = (
            accounts.actor_for_user(&mu).await?,
            accounts.actor_for_user(&eu).await?,
            accounts.actor_for_user(&hu).await?,
        );
        let team: Vec<Employee> = org_repo::direct_reports(c, manager_id)
            .await?
            .into_iter()
            .filter(|e| e.is_active() && e.id != employee_id)
            .collect();
        let today = self.today();
        let (recent, peers): (Vec<&Employee>, Vec<&Employee>) =
            team.iter().partition(|e| (today - e.hire_date).num_days() < 180);
        if peers.len() < 3 {
            return Ok(());
        }
        let peer: Vec<Actor> = peers.iter().map(|e| person(e, false)).collect();
        let now = self.clock.now();
        let ago = |days: i64| now - Duration::days(days);
        let on = |days: i64| today - Duration::days(days);
        let say = Say { english };

        // Feedback (F-2): the manager's praise, a colleague's candid note, the employee's thanks,
        // and a word for the manager's eyes only.
        let fb = |recipient: Uuid, kind: &str, visibility: &str, parts: Vec<String>| FeedbackInput {
            recipient_id: recipient,
            kind: kind.into(),
            visibility: visibility.into(),
            template: "sbi".into(),
            parts,
            goal_id: None,
            request_id: None,
        };
        let praise = say.sbi(
            [
                "上周三的客户方案评审会上",
                "你把三个方案的成本和风险做成了一页对比表，客户提问时逐条回应",
                "客户当场选定了方案，评审比计划提前一周结束",
            ],
            [
                "At last Wednesday's solution review with the client",
                "you put the cost and risk of the three options on one page and answered each question point by point",
                "the client chose an option on the spot and the review closed a week early",
            ],
        );
        self.as_of(ago(18)).feedback().give(&manager, fb(employee_id, "recognition", "recipient", praise)).await?;
        let candid = say.sbi(
            [
                "周五的需求对齐会上",
                "你在别人还没说完的时候就打断并给出了结论",
                "有两位同事后来没再发言，两个风险在会上没有被提出来",
            ],
            [
                "At Friday's requirements meeting",
                "you cut in with a conclusion before others had finished",
                "two colleagues stopped speaking, and two risks were never raised in the meeting",
            ],
        );
        self.as_of(ago(12)).feedback().give(&peer[0], fb(employee_id, "improvement", "recipient", candid)).await?;
        let thanks = say.sbi(
            [
                "这次版本上线的前一晚",
                "你主动留下来补完了回归测试，还写了一份检查清单",
                "上线零故障，清单已经被其他组拿去用了",
            ],
            [
                "The night before the release",
                "you stayed to finish the regression tests and wrote a checklist",
                "the release went out without a fault, and other teams now use the checklist",
            ],
        );
        self.as_of(ago(9)).feedback().give(&employee, fb(peers[0].id, "recognition", "public", thanks)).await?;
        let for_manager = say.sbi(
            [
                "本周的周报里",
                "交付日期写的是乐观估计，没有标出依赖的接口还没联调",
                "主管据此向客户承诺了日期，现在需要重新沟通",
            ],
            [
                "In this week's report",
                "the delivery date was the optimistic estimate, without saying the API it depends on is untested",
                "the date was promised to the client on that basis and now has to be renegotiated",
            ],
        );
        self.as_of(ago(7)).feedback().give(&peer[1], fb(peers[2].id, "improvement", "manager", for_manager)).await?;
        let steady = say.sbi(
            [
                "这个月的三次客户现场支持里",
                "你每次都提前准备了排查手册，并在当天写好复盘",
                "客户的问题都在当天关闭，没有升级",
            ],
            [
                "In this month's three on-site support visits",
                "you prepared a troubleshooting guide each time and wrote the review the same day",
                "every issue was closed the same day with no escalation",
            ],
        );
        self.as_of(ago(25)).feedback().give(&manager, fb(peers[1].id, "recognition", "recipient", steady)).await?;

        // Asking for feedback (F-2): the employee asked three colleagues, one has answered; and a
        // colleague is waiting for the employee's answer (a to-do on the employee's home page).
        let ask = RequestInput {
            about: None,
            from: peers.iter().take(3).map(|e| e.id).collect(),
            message: say.t(
                "想听听大家对我主导这次需求评审的看法，哪里可以做得更好？",
                "How did I do leading this requirements review? What could be better?",
            ),
        };
        let request = self.as_of(ago(6)).feedback().request(&employee, ask).await?;
        let answer = say.sbi(
            ["你主导的需求评审里", "你提前一天发出了议程和待决问题清单", "会议准时结束，所有待决问题当场有了负责人"],
            [
                "In the requirements review you led",
                "you sent the agenda and the open questions a day ahead",
                "the meeting ended on time and every open question left with an owner",
            ],
        );
        let answered =
            FeedbackInput { request_id: Some(request.id), ..fb(employee_id, "recognition", "recipient", answer) };
        self.as_of(ago(4)).feedback().give(&peer[1], answered).await?;
        let asked = RequestInput {
            about: None,
            from: vec![employee_id, peers[2].id],
            message: say.t(
                "我在练习做技术分享，想听听你对上周分享的意见。",
                "I'm practising giving tech talks: what did you think of last week's?",
            ),
        };
        self.as_of(ago(2)).feedback().request(&peer[0], asked).await?;

        // The journal (F-4): facts recorded when they happened, with their evidence.
        let event = |about: Option<Uuid>, kind: &str, days: i64, title: String, evidence: String| JournalInput {
            employee_id: about,
            kind: kind.into(),
            occurred_on: on(days),
            title,
            evidence,
            links: vec![],
            goal_ids: vec![],
        };
        let win = event(
            Some(employee_id),
            "contribution",
            16,
            say.t("客户方案评审提前一周通过", "The client's solution review passed a week early"),
            say.t("一页对比表讲清三个方案的成本与风险；客户当场确认，项目提前进入实施。", "A one-page comparison of three options' cost and risk; the client confirmed on the spot and the project moved to delivery early."),
        );
        self.as_of(ago(16)).journal().record(&manager, win).await?;
        let slip = event(
            Some(peers[2].id),
            "problem",
            7,
            say.t("周报交付日期与实际进度不符", "Report's delivery date did not match the real progress"),
            say.t("周报写 12 月 20 日交付，依赖接口尚未联调；已约定下次 1:1 讨论估算方法。", "The report said December 20 while the API it depends on was untested; agreed to talk estimation at the next 1:1."),
        );
        self.as_of(ago(7)).journal().record(&manager, slip).await?;
        let own = event(
            None,
            "contribution",
            3,
            say.t(
                "整理需求评审检查清单并在组内分享",
                "Wrote the requirements review checklist and shared it with the team",
            ),
            say.t(
                "12 项检查点，两个小组已在使用；分享会 15 人参加。",
                "12 checks, now used by two teams; 15 people came to the session.",
            ),
        );
        self.as_of(ago(3)).journal().record(&employee, own).await?;

        // A light 360 (F-6) on the project that ended three weeks ago: four colleagues asked,
        // four answered, closed with results; and one the employee is asked to answer now.
        let survey = Light360Input {
            subject_id: Some(employee_id),
            project: say.t("客户方案评审项目", "Client solution review project"),
            ended_on: on(21),
            closes_on: Some(on(13)),
            questions: vec![],
            invitee_ids: peers.iter().take(4).map(|e| e.id).collect(),
        };
        let s = self.as_of(ago(20)).light360().create(&manager, survey).await?;
        for (i, a) in peer.iter().take(4).enumerate() {
            let ratings: [i64; 4] = [[5, 4, 4, 5], [4, 4, 3, 4], [5, 5, 4, 4], [4, 3, 4, 5]][i % 4];
            let comment = |r: i64| {
                if r <= 3 {
                    say.t(
                        "有时回复较慢，可以约定固定的同步时间。",
                        "Sometimes slow to reply; a fixed sync time would help.",
                    )
                } else {
                    String::new()
                }
            };
            let answers = ratings.iter().map(|r| AnswerItem { rating: *r, comment: comment(*r) }).collect();
            self.as_of(ago(19 - i as i64)).light360().answer(a, s.id, AnswerInput { answers }).await?;
        }
        self.as_of(ago(14)).light360().close(&manager, s.id).await?;
        let open = Light360Input {
            subject_id: None,
            project: say.t("数据看板二期", "Dashboards, phase two"),
            ended_on: on(2),
            closes_on: Some(on(-5)),
            questions: vec![],
            invitee_ids: vec![employee_id, peers[1].id, peers[2].id],
        };
        self.as_of(ago(1)).light360().create(&peer[0], open).await?;

        // Probation (V-8): the two newest members, six months each; the first month's
        // checkpoints held by the manager, the next one coming up.
        for e in recent {
            // At 10:00 on the day they joined, and each checkpoint at 16:00 on its day, on the
            // organization's clock.
            let started = self.zone().instant(e.hire_date, 10);
            let input = ProbationInput { contract: "open_ended".into(), contract_months: None, months: 6 };
            let p = self.as_of(started.min(now)).probation().start(&hr, e.id, input).await?;
            for k in p.checkpoints.iter().filter(|k| k.due_on < today && k.focus != "conversion") {
                let held = self.zone().instant(k.due_on, 16);
                let note = ProbationNoteInput {
                    note: say.t(
                        "已熟悉团队流程和主要系统，能独立处理常规任务；下阶段重点是独立负责一个小模块。",
                        "Knows the team's process and main systems, handles routine work alone; next: own a small module end to end.",
                    ),
                };
                self.as_of(held.min(now)).probation().hold(&manager, k.id, note).await?;
            }
        }
        Ok(())
    }
}
