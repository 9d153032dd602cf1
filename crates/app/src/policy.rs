//! The one place that decides who may do what (SPEC §0, P-2). Services resolve the facts
//! (is this the actor's own record, is the person in the actor's reporting line or HR
//! scope) and ask [`allowed`]; handlers never decide.

use std::collections::HashSet;
use uuid::Uuid;

/// Units a role grant covers; `Units` holds the granted units with all their sub-units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Organization,
    Units(HashSet<Uuid>),
}

impl Scope {
    pub fn covers(&self, unit: Uuid) -> bool {
        match self {
            Scope::Organization => true,
            Scope::Units(u) => u.contains(&unit),
        }
    }
}

/// Who is acting, resolved once per request from a session or API token.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<Uuid>,
    /// Username (or `system:<what>`), as the audit log records it.
    pub label: String,
    /// The name shown in the page header.
    pub display_name: String,
    pub employee_id: Option<Uuid>,
    /// Has at least one direct report (manager rights follow the reporting line).
    pub is_manager: bool,
    pub hr: Option<Scope>,
    pub executive: Option<Scope>,
    pub admin: bool,
    /// The command line acting on the operator's behalf: may change anything.
    pub system: bool,
    pub locale: Option<String>,
}

impl Actor {
    pub fn system(label: &str) -> Self {
        Actor {
            user_id: None,
            label: format!("system:{label}"),
            display_name: label.to_string(),
            employee_id: None,
            is_manager: false,
            hr: None,
            executive: None,
            admin: false,
            system: true,
            locale: None,
        }
    }
    /// Nobody signed in (a sign-in attempt, as the audit log names it): may do nothing.
    pub fn anonymous() -> Self {
        Actor { system: false, label: "anonymous".into(), display_name: String::new(), ..Actor::system("") }
    }
    pub fn is_hr(&self) -> bool {
        self.hr.is_some()
    }
    /// The actor's roles, by their stable names: employee, manager, hr, executive, admin.
    pub fn roles(&self) -> Vec<&'static str> {
        [
            (self.employee_id.is_some(), "employee"),
            (self.is_manager, "manager"),
            (self.hr.is_some(), "hr"),
            (self.executive.is_some(), "executive"),
            (self.admin, "admin"),
        ]
        .into_iter()
        .filter_map(|(has, name)| has.then_some(name))
        .collect()
    }

    pub fn org_wide_hr(&self) -> bool {
        self.system || self.hr == Some(Scope::Organization)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Write,
}

/// What is being accessed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    /// Name, number, unit, title, manager: the org chart everyone sees.
    Directory,
    /// E-mail, dates, status history and other HR records of one person.
    PersonalRecord,
    /// Goals, feedback, reviews, development of one person (later modules).
    PerformanceContent,
    /// Units: create, rename, move.
    OrgStructure,
    /// Bulk import and export of people data.
    PeopleTransfer,
    AuditLog,
    /// The signed checkpoints of the audit chain's head and the chain's state: the system
    /// administrator, who keeps the data directory and the backups (no record's content).
    AuditCheckpoints,
    /// Sign-in failures and the throttled accounts and addresses: the system administrator.
    SignInThrottles,
    /// User accounts and role grants.
    Accounts,
    /// Aggregated dashboards over a unit.
    Analytics,
    /// A goal (SPEC §2): public inside the organization unless private (G-13).
    Goal,
    /// The goal periods of the organization (G-3): everyone reads them, org-wide HR sets them.
    GoalPeriod,
    /// Deciding a goal's pending approval step (G-10): the named approver of a manager step,
    /// HR of the goal's unit for filing.
    GoalApproval,
    /// The approval nodes of a unit's goals (G-10): HR of that unit.
    ApprovalRules,
    /// Support promised for a goal (G-12): recorded by the owner's managers or HR.
    GoalCommitment,
    /// Goal templates and the key-result library (G-8): everyone uses them, HR keeps them.
    GoalLibrary,
    /// The organization's tracking thresholds and the sweep (T-3, T-4): everyone reads them
    /// (the lights are explained with them), org-wide HR sets them and runs the sweep.
    TrackingSettings,
    /// The HR board of a unit (T-5): its lists name people and goals, private ones included,
    /// so HR of the unit only (executives get the strategic board).
    HrBoard,
    /// One's own notification channels (T-7): the person themselves only.
    NotificationPrefs,
    /// The executive board of strategic goals (T-5): executives and HR (the goals on it are
    /// further filtered by who may read each).
    ExecutiveBoard,
    /// The organization's calendar: time zone, holidays and the reminder schedule (T-6).
    /// Everyone reads it (which days are off), org-wide HR sets it.
    Calendar,
    /// A person's weekly report (T-2): written by the person only; read by them, their
    /// managers (the team digest) and HR of their unit.
    WeeklyReport,
    /// Following up a report's work (T-6): acknowledging their weekly report, marking their
    /// check-ins seen — their managers. Reading a manager's follow-up rate: the manager
    /// themselves, their own managers and HR of their unit.
    FollowUp,
    /// The job queue (T-7): deliveries and scheduled work with their failures, and retrying
    /// them; the system administrator, who keeps the mail server and the instances running.
    Jobs,
    /// Acting as someone else, e.g. issuing an API token for another user: the operator's
    /// command line only, never a signed-in person (an admin would otherwise become HR).
    Impersonation,
    /// A 1:1 between a manager and a direct report (F-1): its times, agenda, shared notes,
    /// action items and linked goals belong to the two of them — not their other managers, not
    /// HR, not administrators (who see only how many were held, in the follow-up rate).
    /// `is_self`: the actor is one of the two.
    OneOnOne,
    /// A private note on a 1:1: its author only, whoever else asks. `is_self`: the author.
    PrivateNote,
    /// One's own calendar subscription feed. `is_self`: the feed's owner.
    CalendarFeed,
    /// The coaching question bank (F-8): everyone reads it, HR adds to it.
    CoachingPrompts,
    /// Feedback shared with its recipient or public (F-2). Write: anyone of the organization
    /// gives it. Read: `assigned` the giver, `is_self` the recipient, their managers, HR of their
    /// unit; `public` praise everyone of the organization.
    Feedback,
    /// Feedback for the recipient's managers only: the giver, those managers and HR of the
    /// recipient's unit, never the recipient (`is_self` grants nothing here).
    ManagerFeedback,
    /// A request for feedback. Write: about oneself (`is_self`) or a report (`manages`). Read:
    /// its requester (`is_self`) and the people it asks (`assigned`).
    FeedbackRequest,
    /// The balance of a manager's own feedback (F-4): the manager, their managers, HR of their unit.
    FeedbackBalance,
    /// A person's key-event journal (F-5), their performance content. Read: the person, their
    /// managers, HR of their unit. Write (`assigned`: the actor is, or will be, the entry's
    /// author): the person about themselves or a manager about a report, each their own entries.
    Journal,
    /// A light 360 survey about one person (F-6): its project, questions and state. Write
    /// (setting one up): about oneself, a report, or a person in HR scope. Read: the person, the
    /// creator and invitees (`assigned`), their managers, HR of their unit.
    Light360,
    /// Answering a light 360: the people invited (`assigned`) only.
    Light360Answer,
    /// A light 360's results: the person, their managers and HR of their unit; not the
    /// invitees, not administrators.
    Light360Results,
    /// Inbound webhook integrations with their secrets, and people's ids in other systems
    /// (F-7): the system administrator, who keeps the integrations (SPEC §0).
    Integrations,
    /// A feedback to-do made by an event elsewhere (F-7): its owner only (`is_self`).
    FeedbackTodo,
    /// A kudos. Write: anyone of the organization thanks others. Read: organization-wide
    /// kudos (`public`) every member; team kudos the giver and recipients (`is_self`), people of
    /// their units (`assigned`), their managers and HR of their units.
    Kudos,
    /// Company values and the reward menu: everyone signed in reads them, HR keeps
    /// them and handles the redemption queue.
    RecognitionSettings,
    /// Redeeming points: the person asks (`is_self`), HR of their unit decides.
    Redemption,
    /// The recognition network over people: HR, within their units.
    RecognitionNetwork,
    /// Review templates (V-2): everyone signed in reads them (a reviewer sees what is rated),
    /// HR keeps them.
    ReviewTemplate,
    /// A review cycle with its participants and health (V-1): HR whose scope holds the cycle's
    /// units (`in_hr_scope`).
    ReviewCycle,
    /// The list of review cycles and setting one up (V-1): HR of any scope; each cycle listed
    /// or named units are then checked as `ReviewCycle`.
    ReviewCycles,
    /// One review of a participant. Write: its reviewer only (`assigned`). Read: the reviewer,
    /// the participant's managers and HR of their unit — not the participant, for reviews by
    /// others (peers are not named to the person reviewed).
    Review,
    /// A participant's score with its explanation before it is released: their managers and HR
    /// of their unit.
    ReviewResult,
    /// A released result (V-6): also the person, who acknowledges it and may appeal it (Write).
    ReleasedReviewResult,
    /// An appeal (申诉) against a result: the person who made it and HR of their unit — not
    /// their managers. Write (assigning it to a handler): HR of their unit.
    ReviewAppeal,
    /// The review conversation and its outputs (V-5): recorded by the person's managers; read by
    /// the person, their managers and HR of their unit.
    ReviewConversation,
    /// A development plan (D-1): read by the person, their managers and HR of their unit; made
    /// and kept by the person themselves, their managers or HR of their unit.
    DevelopmentPlan,
    /// A development report (D-2) while it is worked on, with its analysis and recommendations:
    /// read and written by the person's managers and HR of their unit, never about themselves
    /// (HR who is the person reads only what is shared with them).
    DevelopmentReport,
    /// A development report once shared: the person, their managers and HR of their unit.
    SharedDevelopmentReport,
    /// A participant's potential (V-7): assessed and read by their managers and HR of their unit;
    /// not the person (a talent review is not shown to the one reviewed).
    PotentialAssessment,
    /// The names of the nine boxes: everyone reads them, org-wide HR sets them.
    NineBoxNames,
    /// A new hire's probation (V-8): read by the person, their managers and HR of their unit;
    /// checkpoints held and the conversion decided by their managers or HR (starting one, with
    /// the contract terms, is HR's: `PersonalRecord` write).
    Probation,
    /// Deciding an appeal and answering it: the HR user it is assigned to (`assigned`), while
    /// the person is in their scope.
    AppealDecision,
    /// A promotion nomination from a released result (V-9): made and read by the person's
    /// managers and HR of their unit — not the person, until it is approved — never about
    /// oneself.
    PromotionNomination,
    /// Approving or declining a nomination: HR of the person's unit, not about themselves.
    PromotionDecision,
    /// An incentive granted on a result (V-9): read by the person, their managers and HR of
    /// their unit; granted by HR of their unit, not to themselves.
    ResultIncentive,
    /// A risk or potential signal about a person with its evidence (I-4). Read: the person
    /// first, HR of their unit, their managers only where HR's setting opens names to them
    /// (`org_allows`). Write (answering it, choosing to be told first): the person only.
    Signal,
    /// Replying to a person's answer to a signal: HR of their unit, never about themselves.
    SignalReply,
    /// How many people of a group have signals (no names): the group's managers and HR.
    SignalCounts,
    /// Who else sees names, and running the computation: everyone reads the setting (pages
    /// say who sees what), org-wide HR sets it and runs the rules.
    SignalSettings,
    /// The flight-risk model fitted on the organization's history: HR reads its validation
    /// (figures about the organization, never a person), org-wide HR fits it.
    SignalModel,
    /// A person's weekly working hours and leave, from the attendance system.
    WorkTime,
}

/// How the target relates to the actor; computed by the service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    pub is_self: bool,
    /// The target is in the actor's reporting line, at any depth.
    pub manages: bool,
    /// The target's unit is inside the actor's HR scope.
    pub in_hr_scope: bool,
    /// The target's unit is inside the actor's executive scope.
    pub in_exec_scope: bool,
    /// The target is visible to everyone in the organization (a public goal).
    pub public: bool,
    /// The task is assigned to the actor by name (e.g. the approver of a goal's manager step).
    pub assigned: bool,
    /// An organization setting opens the record to the actor's relation (HR lets managers see
    /// the names of their line's signals).
    pub org_allows: bool,
}

/// Whether any record about someone else could be open to the actor for this: the policy asked
/// with every relation the actor's roles can have (managing, HR and executive scope, assigned,
/// public). A service may use it to stop early with an empty answer (most home pages need no
/// query for HR's queues), never to grant: each record is still asked with [`allowed`].
pub fn could_about_others(actor: &Actor, action: Action, resource: Resource) -> bool {
    let widest = Facts {
        is_self: false,
        manages: actor.is_manager,
        in_hr_scope: actor.hr.is_some(),
        in_exec_scope: actor.executive.is_some(),
        public: true,
        // Tasks are assigned to people and HR users, never to a bare administrator account.
        assigned: actor.employee_id.is_some() || actor.hr.is_some(),
        // Whatever a setting could open.
        org_allows: true,
    };
    allowed(actor, action, resource, widest)
}

pub fn allowed(actor: &Actor, action: Action, resource: Resource, f: Facts) -> bool {
    use Action::*;
    use Resource::*;
    if actor.system {
        return true;
    }
    // The subject is the actor (issue 21, item 4): rights over others — managing a line, HR
    // or executive scope — give nothing over one's own records. About themselves everyone acts
    // as the employee they are: HR does not read manager-only feedback about themselves, their
    // own result before release or their manager's review of them, nor assess their own
    // potential or change their own level.
    let f = if f.is_self { Facts { manages: false, in_hr_scope: false, in_exec_scope: false, ..f } } else { f };
    let signed_in_person = actor.user_id.is_some();
    match (resource, action) {
        (Directory, Read) => signed_in_person,
        (Directory, Write) | (PersonalRecord, Write) | (OrgStructure, Write) => f.in_hr_scope,
        (PersonalRecord, Read) => f.is_self || f.manages || f.in_hr_scope,
        (PerformanceContent, Read) => f.is_self || f.manages || f.in_hr_scope,
        (PerformanceContent, Write) => f.is_self || f.manages,
        (OrgStructure, Read) => signed_in_person,
        (PeopleTransfer, _) => actor.is_hr(),
        // Org-wide HR reads the whole log; unit-scoped HR the records about their units.
        (AuditLog, Read) => (actor.org_wide_hr() && !f.is_self) || f.in_hr_scope,
        (AuditLog, Write) => false,
        (AuditCheckpoints, Read) | (SignInThrottles, Read) => actor.admin,
        (AuditCheckpoints, Write) | (SignInThrottles, Write) => false,
        (Accounts, _) => actor.admin,
        (Analytics, Read) => f.in_exec_scope || f.in_hr_scope || f.manages,
        (Analytics, Write) => false,
        (Impersonation, _) => false,
        // Public goals are for the people of the organization; a bare admin account is not one.
        (Goal, Read) => {
            let member = actor.employee_id.is_some() || actor.hr.is_some() || actor.executive.is_some();
            (f.public && member) || f.is_self || f.manages || f.in_hr_scope
        }
        (Goal, Write) => f.is_self || f.manages || f.in_hr_scope,
        (GoalPeriod, Read) => signed_in_person,
        (GoalPeriod, Write) => actor.org_wide_hr(),
        (GoalApproval, Read) => f.assigned || f.in_hr_scope,
        (GoalApproval, Write) => f.assigned || f.in_hr_scope,
        (ApprovalRules, Read) => actor.is_hr(),
        (ApprovalRules, Write) => f.in_hr_scope,
        (GoalCommitment, Read) => f.public || f.is_self || f.manages || f.in_hr_scope,
        (GoalCommitment, Write) => f.manages || f.in_hr_scope,
        (GoalLibrary, Read) => signed_in_person,
        (GoalLibrary, Write) => actor.is_hr(),
        (TrackingSettings, Read) => signed_in_person,
        (TrackingSettings, Write) => actor.org_wide_hr(),
        (HrBoard, Read) => f.in_hr_scope,
        (HrBoard, Write) => false,
        (NotificationPrefs, _) => signed_in_person && f.is_self,
        (ExecutiveBoard, Read) => actor.executive.is_some() || actor.is_hr(),
        (ExecutiveBoard, Write) => false,
        (Calendar, Read) => signed_in_person,
        (Calendar, Write) => actor.org_wide_hr(),
        (WeeklyReport, Read) => f.is_self || f.manages || f.in_hr_scope,
        (WeeklyReport, Write) => signed_in_person && f.is_self,
        (FollowUp, Read) => f.is_self || f.manages || f.in_hr_scope,
        (FollowUp, Write) => f.manages,
        (Jobs, _) => actor.admin,
        (OneOnOne, _) | (PrivateNote, _) | (CalendarFeed, _) => signed_in_person && f.is_self,
        (CoachingPrompts, Read) => signed_in_person,
        (CoachingPrompts, Write) => actor.is_hr(),
        (Feedback, Read) => {
            let member = actor.employee_id.is_some() || actor.hr.is_some() || actor.executive.is_some();
            f.assigned || f.is_self || f.manages || f.in_hr_scope || (f.public && member)
        }
        (Feedback, Write) => actor.employee_id.is_some(),
        (ManagerFeedback, Read) => f.assigned || f.manages || f.in_hr_scope,
        (ManagerFeedback, Write) => actor.employee_id.is_some(),
        (FeedbackRequest, Read) => f.is_self || f.assigned,
        (FeedbackRequest, Write) => actor.employee_id.is_some() && (f.is_self || f.manages),
        (FeedbackBalance, Read) => f.is_self || f.manages || f.in_hr_scope,
        (FeedbackBalance, Write) => false,
        (Journal, Read) => f.is_self || f.manages || f.in_hr_scope,
        (Journal, Write) => actor.employee_id.is_some() && f.assigned && (f.is_self || f.manages),
        (Light360, Read) => f.is_self || f.assigned || f.manages || f.in_hr_scope,
        (Light360, Write) => actor.employee_id.is_some() && (f.is_self || f.manages || f.in_hr_scope),
        (Light360Answer, Write) => actor.employee_id.is_some() && f.assigned,
        (Light360Answer, Read) => false,
        (Light360Results, Read) => f.is_self || f.manages || f.in_hr_scope,
        (Light360Results, Write) => false,
        (Integrations, _) => actor.admin,
        (FeedbackTodo, _) => signed_in_person && f.is_self,
        (Kudos, Read) => {
            let member = actor.employee_id.is_some() || actor.hr.is_some() || actor.executive.is_some();
            (f.public && member) || f.is_self || f.assigned || f.manages || f.in_hr_scope
        }
        (Kudos, Write) => actor.employee_id.is_some(),
        (RecognitionSettings, Read) => signed_in_person,
        (RecognitionSettings, Write) => actor.is_hr(),
        (Redemption, Read) => f.is_self || f.in_hr_scope,
        (Redemption, Write) => (f.is_self && actor.employee_id.is_some()) || f.in_hr_scope,
        (RecognitionNetwork, Read) => actor.is_hr(),
        (RecognitionNetwork, Write) => false,
        (ReviewTemplate, Read) => signed_in_person,
        (ReviewTemplate, Write) => actor.is_hr(),
        (ReviewCycle, _) => f.in_hr_scope,
        (ReviewCycles, _) => actor.is_hr(),
        (Review, Read) => f.assigned || f.manages || f.in_hr_scope,
        (Review, Write) => actor.employee_id.is_some() && f.assigned,
        (ReviewResult, Read) => f.manages || f.in_hr_scope,
        (ReviewResult, Write) => false,
        (ReleasedReviewResult, Read) => f.is_self || f.manages || f.in_hr_scope,
        (ReleasedReviewResult, Write) => actor.employee_id.is_some() && f.is_self,
        (ReviewAppeal, Read) => f.is_self || f.in_hr_scope,
        (ReviewAppeal, Write) => f.in_hr_scope,
        (ReviewConversation, Read) => f.is_self || f.manages || f.in_hr_scope,
        (ReviewConversation, Write) => actor.employee_id.is_some() && f.manages && !f.is_self,
        (DevelopmentPlan, Read) => f.is_self || f.manages || f.in_hr_scope,
        (DevelopmentPlan, Write) => (actor.employee_id.is_some() && (f.is_self || f.manages)) || f.in_hr_scope,
        (DevelopmentReport, Read | Write) => (f.manages || f.in_hr_scope) && !f.is_self,
        (SharedDevelopmentReport, Read) => f.is_self || f.manages || f.in_hr_scope,
        (SharedDevelopmentReport, Write) => false,
        (PotentialAssessment, Read) => f.manages || f.in_hr_scope,
        (PotentialAssessment, Write) => (actor.employee_id.is_some() && f.manages && !f.is_self) || f.in_hr_scope,
        (NineBoxNames, Read) => signed_in_person,
        (NineBoxNames, Write) => actor.org_wide_hr(),
        (Probation, Read) => f.is_self || f.manages || f.in_hr_scope,
        (Probation, Write) => (actor.employee_id.is_some() && f.manages && !f.is_self) || f.in_hr_scope,
        (AppealDecision, Read) => f.in_hr_scope,
        (AppealDecision, Write) => f.assigned && f.in_hr_scope,
        (PromotionNomination, Read) => f.manages || f.in_hr_scope,
        (PromotionNomination, Write) => !f.is_self && ((actor.employee_id.is_some() && f.manages) || f.in_hr_scope),
        (PromotionDecision, Read) => f.in_hr_scope,
        (PromotionDecision, Write) => f.in_hr_scope && !f.is_self,
        (ResultIncentive, Read) => f.is_self || f.manages || f.in_hr_scope,
        (ResultIncentive, Write) => f.in_hr_scope && !f.is_self,
        (Signal, Read) => f.is_self || f.in_hr_scope || (f.manages && f.org_allows),
        (Signal, Write) => actor.employee_id.is_some() && f.is_self,
        (SignalReply, Read) => f.is_self || f.in_hr_scope,
        (SignalReply, Write) => f.in_hr_scope,
        (SignalCounts, Read) => f.manages || f.in_hr_scope,
        (SignalCounts, Write) => false,
        (SignalSettings, Read) => signed_in_person,
        (SignalSettings, Write) => actor.org_wide_hr(),
        (SignalModel, Read) => actor.is_hr() || actor.system,
        (SignalModel, Write) => actor.org_wide_hr(),
        // HR of the person's unit records them (never their own); the person and that HR read
        // them. Managers see what the signals make of them, not the weeks themselves.
        (WorkTime, Read) => f.is_self || f.in_hr_scope,
        (WorkTime, Write) => f.in_hr_scope,
    }
}

#[cfg(test)]
mod tests {
    //! The role × resource × action matrix (ISSUE 2 item 6, SPEC §0).
    use super::*;
    use Action::*;
    use Resource::*;

    fn person() -> Actor {
        Actor {
            user_id: Some(Uuid::from_u128(1)),
            label: "u".into(),
            display_name: "U".into(),
            employee_id: Some(Uuid::from_u128(2)),
            is_manager: false,
            hr: None,
            executive: None,
            admin: false,
            system: false,
            locale: None,
        }
    }
    fn manager() -> Actor {
        Actor { is_manager: true, ..person() }
    }
    fn hr() -> Actor {
        Actor { hr: Some(Scope::Units(HashSet::from([Uuid::from_u128(10)]))), ..person() }
    }
    fn exec() -> Actor {
        Actor { executive: Some(Scope::Organization), ..person() }
    }
    fn admin() -> Actor {
        Actor { admin: true, employee_id: None, ..person() }
    }
    const PEER: Facts = Facts {
        is_self: false,
        manages: false,
        in_hr_scope: false,
        in_exec_scope: false,
        public: false,
        assigned: false,
        org_allows: false,
    };
    const ASSIGNED: Facts = Facts { assigned: true, ..PEER };
    const SELF: Facts = Facts { is_self: true, ..PEER };
    const PUBLIC: Facts = Facts { public: true, ..PEER };
    const REPORT: Facts = Facts { manages: true, ..PEER };
    const IN_HR: Facts = Facts { in_hr_scope: true, ..PEER };
    const IN_EXEC: Facts = Facts { in_exec_scope: true, ..PEER };

    #[test]
    fn could_about_others_answers_for_the_roles_alone() {
        // Probations of others: managers and HR follow them, an employee only their own.
        assert!(!could_about_others(&person(), Read, Probation));
        assert!(could_about_others(&manager(), Read, Probation));
        assert!(could_about_others(&hr(), Read, Probation));
        // Unassigned appeals wait on HR only; the kudos feed is for members of the organization.
        assert!(!could_about_others(&manager(), Write, ReviewAppeal));
        assert!(could_about_others(&hr(), Write, ReviewAppeal));
        assert!(could_about_others(&person(), Read, Kudos));
        assert!(!could_about_others(&admin(), Read, Kudos));
    }

    #[test]
    fn matrix() {
        let cases: &[(&str, Actor, Action, Resource, Facts, bool)] = &[
            // employee
            ("employee reads the directory", person(), Read, Directory, PEER, true),
            ("employee reads own record", person(), Read, PersonalRecord, SELF, true),
            ("employee reads a peer's private record", person(), Read, PersonalRecord, PEER, false),
            ("employee reads a peer's performance content", person(), Read, PerformanceContent, PEER, false),
            ("employee writes own performance content", person(), Write, PerformanceContent, SELF, true),
            ("employee edits own HR record", person(), Write, PersonalRecord, SELF, false),
            ("employee imports people", person(), Write, PeopleTransfer, PEER, false),
            ("employee reads the audit log", person(), Read, AuditLog, PEER, false),
            // manager
            ("manager reads a report's record", manager(), Read, PersonalRecord, REPORT, true),
            ("manager reads a report's performance", manager(), Read, PerformanceContent, REPORT, true),
            ("manager outside their line", manager(), Read, PerformanceContent, PEER, false),
            ("manager edits a report's HR record", manager(), Write, PersonalRecord, REPORT, false),
            ("manager sees analytics of their line", manager(), Read, Analytics, REPORT, true),
            // HR
            ("HR reads a record in scope", hr(), Read, PersonalRecord, IN_HR, true),
            ("HR edits a record in scope", hr(), Write, PersonalRecord, IN_HR, true),
            ("HR outside their units", hr(), Read, PersonalRecord, PEER, false),
            ("HR edits outside their units", hr(), Write, PersonalRecord, PEER, false),
            ("HR changes units in scope", hr(), Write, OrgStructure, IN_HR, true),
            // The list of review cycles and setting one up (issue 24: decided here, not in the service)
            ("HR lists review cycles", hr(), Read, ReviewCycles, PEER, true),
            ("HR sets up a review cycle", hr(), Write, ReviewCycles, PEER, true),
            ("a manager sets up a review cycle", manager(), Write, ReviewCycles, REPORT, false),
            ("an executive lists review cycles", exec(), Read, ReviewCycles, IN_EXEC, false),
            ("an administrator sets up a review cycle", admin(), Write, ReviewCycles, PEER, false),
            ("HR imports", hr(), Write, PeopleTransfer, PEER, true),
            ("HR records working time in their units", hr(), Write, WorkTime, IN_HR, true),
            ("HR records working time outside their units", hr(), Write, WorkTime, PEER, false),
            ("HR records their own working time", hr(), Write, WorkTime, Facts { is_self: true, ..IN_HR }, false),
            ("a manager records a report's working time", manager(), Write, WorkTime, REPORT, false),
            ("a manager reads a report's working weeks", manager(), Read, WorkTime, REPORT, false),
            ("an employee reads their own working weeks", person(), Read, WorkTime, SELF, true),
            ("an employee records their own working time", person(), Write, WorkTime, SELF, false),
            ("unit-scoped HR reads the whole audit log", hr(), Read, AuditLog, PEER, false),
            ("unit-scoped HR reads audit records of their units", hr(), Read, AuditLog, IN_HR, true),
            (
                "org-wide HR reads the audit log",
                Actor { hr: Some(Scope::Organization), ..person() },
                Read,
                AuditLog,
                PEER,
                true,
            ),
            ("HR manages accounts", hr(), Write, Accounts, PEER, false),
            // executive
            ("executive reads analytics in scope", exec(), Read, Analytics, IN_EXEC, true),
            ("executive reads a person's performance content", exec(), Read, PerformanceContent, IN_EXEC, false),
            ("executive reads a person's private record", exec(), Read, PersonalRecord, IN_EXEC, false),
            ("executive edits people", exec(), Write, PersonalRecord, IN_EXEC, false),
            // system admin
            ("admin manages accounts", admin(), Write, Accounts, PEER, true),
            ("admin reads performance content", admin(), Read, PerformanceContent, PEER, false),
            ("admin reads a private record", admin(), Read, PersonalRecord, PEER, false),
            ("admin reads the audit log", admin(), Read, AuditLog, PEER, false),
            ("admin imports people", admin(), Write, PeopleTransfer, PEER, false),
            ("admin issues a token for someone else", admin(), Write, Impersonation, PEER, false),
            ("admin retries a failed delivery", admin(), Write, Jobs, PEER, true),
            ("HR reads the job queue", Actor { hr: Some(Scope::Organization), ..person() }, Read, Jobs, PEER, false),
            ("employee sets own notification channels", person(), Write, NotificationPrefs, SELF, true),
            ("HR sets someone's notification channels", hr(), Write, NotificationPrefs, IN_HR, false),
            // T-2, T-6: weekly reports, follow-up and the calendar
            ("employee writes own weekly report", person(), Write, WeeklyReport, SELF, true),
            ("manager writes a report's weekly report", manager(), Write, WeeklyReport, REPORT, false),
            ("manager reads a report's weekly report", manager(), Read, WeeklyReport, REPORT, true),
            ("HR reads a weekly report in scope", hr(), Read, WeeklyReport, IN_HR, true),
            ("peer reads a weekly report", person(), Read, WeeklyReport, PEER, false),
            ("manager acknowledges a report's week", manager(), Write, FollowUp, REPORT, true),
            ("employee acknowledges own week", person(), Write, FollowUp, SELF, false),
            ("HR acknowledges someone's week", hr(), Write, FollowUp, IN_HR, false),
            ("manager reads own follow-up rate", manager(), Read, FollowUp, SELF, true),
            ("HR reads a manager's follow-up rate", hr(), Read, FollowUp, IN_HR, true),
            ("peer reads a manager's follow-up rate", person(), Read, FollowUp, PEER, false),
            ("employee reads the calendar", person(), Read, Calendar, PEER, true),
            ("executive reads the strategic board", exec(), Read, ExecutiveBoard, PEER, true),
            ("manager reads the strategic board", manager(), Read, ExecutiveBoard, PEER, false),
            ("unit HR sets the calendar", hr(), Write, Calendar, IN_HR, false),
            (
                "org HR sets the calendar",
                Actor { hr: Some(Scope::Organization), ..person() },
                Write,
                Calendar,
                PEER,
                true,
            ),
            ("operator issues a token for someone else", Actor::system("cli"), Write, Impersonation, PEER, true),
            // 1:1s (F-1): the two participants only; private notes their author only
            ("a participant reads their 1:1", person(), Read, OneOnOne, SELF, true),
            ("a manager higher up reads a report's 1:1", manager(), Read, OneOnOne, REPORT, false),
            ("HR reads a 1:1 in scope", hr(), Read, OneOnOne, IN_HR, false),
            (
                "org-wide HR reads a 1:1",
                Actor { hr: Some(Scope::Organization), ..person() },
                Read,
                OneOnOne,
                PEER,
                false,
            ),
            ("admin reads a 1:1", admin(), Read, OneOnOne, PEER, false),
            ("the author reads their private note", person(), Read, PrivateNote, SELF, true),
            ("the other participant reads a private note", manager(), Read, PrivateNote, REPORT, false),
            ("HR reads a private note", hr(), Read, PrivateNote, IN_HR, false),
            ("admin reads a private note", admin(), Read, PrivateNote, PEER, false),
            ("someone else's calendar feed", hr(), Read, CalendarFeed, IN_HR, false),
            ("employee reads the coaching prompts", person(), Read, CoachingPrompts, PEER, true),
            ("manager adds a coaching prompt", manager(), Write, CoachingPrompts, PEER, false),
            ("HR adds a coaching prompt", hr(), Write, CoachingPrompts, PEER, true),
            // feedback (F-2, F-4): assigned = the giver, is_self = the recipient
            ("the recipient reads shared feedback", person(), Read, Feedback, SELF, true),
            ("the recipient reads feedback for their managers", person(), Read, ManagerFeedback, SELF, false),
            ("the giver reads feedback for the managers", person(), Read, ManagerFeedback, ASSIGNED, true),
            ("a manager up the line reads feedback for managers", manager(), Read, ManagerFeedback, REPORT, true),
            ("HR in scope reads feedback for managers", hr(), Read, ManagerFeedback, IN_HR, true),
            ("a colleague reads someone's shared feedback", person(), Read, Feedback, PEER, false),
            ("a colleague reads public praise", person(), Read, Feedback, PUBLIC, true),
            ("admin reads public praise", admin(), Read, Feedback, PUBLIC, false),
            ("admin reads feedback for managers", admin(), Read, ManagerFeedback, PEER, false),
            ("an employee gives feedback", person(), Write, Feedback, PEER, true),
            ("admin gives feedback", admin(), Write, Feedback, PEER, false),
            ("asking feedback about oneself", person(), Write, FeedbackRequest, SELF, true),
            ("asking feedback about a report", manager(), Write, FeedbackRequest, REPORT, true),
            ("asking feedback about a colleague", person(), Write, FeedbackRequest, PEER, false),
            ("HR asks feedback about someone in scope", hr(), Write, FeedbackRequest, IN_HR, false),
            ("someone asked reads the request", person(), Read, FeedbackRequest, ASSIGNED, true),
            ("HR reads a request", hr(), Read, FeedbackRequest, IN_HR, false),
            ("a manager's own balance", manager(), Read, FeedbackBalance, SELF, true),
            ("a report reads their manager's balance", person(), Read, FeedbackBalance, PEER, false),
            ("HR reads a manager's balance in scope", hr(), Read, FeedbackBalance, IN_HR, true),
            // key-event journal (F-5): assigned = the entry's author
            (
                "employee writes an event about themselves",
                person(),
                Write,
                Journal,
                Facts { assigned: true, ..SELF },
                true,
            ),
            (
                "manager writes an event about a report",
                manager(),
                Write,
                Journal,
                Facts { assigned: true, ..REPORT },
                true,
            ),
            ("manager edits the report's own entry", manager(), Write, Journal, REPORT, false),
            ("employee writes about a colleague", person(), Write, Journal, ASSIGNED, false),
            ("HR writes an event in scope", hr(), Write, Journal, Facts { assigned: true, ..IN_HR }, false),
            ("employee reads entries about themselves", person(), Read, Journal, SELF, true),
            ("HR reads a journal in scope", hr(), Read, Journal, IN_HR, true),
            ("a colleague reads someone's journal", person(), Read, Journal, PEER, false),
            ("admin reads a journal", admin(), Read, Journal, PEER, false),
            ("executive reads a journal in scope", exec(), Read, Journal, IN_EXEC, false),
            // light 360 (F-6): assigned = the creator or an invitee
            ("an invitee reads the survey", person(), Read, Light360, ASSIGNED, true),
            ("an invitee answers", person(), Write, Light360Answer, ASSIGNED, true),
            ("the person answers their own survey", person(), Write, Light360Answer, SELF, false),
            ("a colleague not invited answers", person(), Write, Light360Answer, PEER, false),
            ("an invitee reads the results", person(), Read, Light360Results, ASSIGNED, false),
            ("the person reads their results", person(), Read, Light360Results, SELF, true),
            ("a manager reads a report's results", manager(), Read, Light360Results, REPORT, true),
            ("HR reads results in scope", hr(), Read, Light360Results, IN_HR, true),
            ("admin reads results", admin(), Read, Light360Results, PEER, false),
            ("HR sets up a survey in scope", hr(), Write, Light360, IN_HR, true),
            ("a colleague sets up a survey about someone", person(), Write, Light360, PEER, false),
            // inbound webhooks (F-7)
            ("admin sets up an integration", admin(), Write, Integrations, PEER, true),
            (
                "HR sets up an integration",
                Actor { hr: Some(Scope::Organization), ..person() },
                Write,
                Integrations,
                PEER,
                false,
            ),
            ("a person dismisses their own to-do", person(), Write, FeedbackTodo, SELF, true),
            ("a manager dismisses a report's to-do", manager(), Write, FeedbackTodo, REPORT, false),
            // recognition: assigned = same unit as someone the kudos involves
            ("a colleague reads organization-wide kudos", person(), Read, Kudos, PUBLIC, true),
            ("admin reads organization-wide kudos", admin(), Read, Kudos, PUBLIC, false),
            ("someone of the team reads team kudos", person(), Read, Kudos, ASSIGNED, true),
            ("someone elsewhere reads team kudos", person(), Read, Kudos, PEER, false),
            ("admin thanks someone", admin(), Write, Kudos, PEER, false),
            ("employee edits the reward menu", person(), Write, RecognitionSettings, PEER, false),
            ("HR edits the reward menu", hr(), Write, RecognitionSettings, PEER, true),
            ("HR decides a redemption in scope", hr(), Write, Redemption, IN_HR, true),
            ("a manager decides a report's redemption", manager(), Write, Redemption, REPORT, false),
            ("HR reads the recognition network", hr(), Read, RecognitionNetwork, PEER, true),
            ("a manager reads the recognition network", manager(), Read, RecognitionNetwork, REPORT, false),
            // goals (G-13)
            ("employee reads a peer's public goal", person(), Read, Goal, PUBLIC, true),
            ("employee reads a peer's private goal", person(), Read, Goal, PEER, false),
            ("employee edits a peer's public goal", person(), Write, Goal, PUBLIC, false),
            ("employee edits own goal", person(), Write, Goal, SELF, true),
            ("manager reads a report's private goal", manager(), Read, Goal, REPORT, true),
            ("manager outside their line reads a private goal", manager(), Read, Goal, PEER, false),
            ("HR reads a private goal in scope", hr(), Read, Goal, IN_HR, true),
            ("HR reads a private goal outside their units", hr(), Read, Goal, PEER, false),
            ("executive reads a public goal", exec(), Read, Goal, PUBLIC, true),
            ("executive reads a private goal in scope", exec(), Read, Goal, IN_EXEC, false),
            // goal approval (G-10)
            ("the named approver decides", manager(), Write, GoalApproval, ASSIGNED, true),
            ("a manager higher up the line who is not named", manager(), Write, GoalApproval, REPORT, false),
            ("the goal's owner approves their own goal", person(), Write, GoalApproval, SELF, false),
            ("HR files a goal of their units", hr(), Write, GoalApproval, IN_HR, true),
            ("HR files a goal outside their units", hr(), Write, GoalApproval, PEER, false),
            ("admin approves goals", admin(), Write, GoalApproval, PEER, false),
            ("HR sets approval nodes of their units", hr(), Write, ApprovalRules, IN_HR, true),
            ("HR sets approval nodes elsewhere", hr(), Write, ApprovalRules, PEER, false),
            ("a manager sets approval nodes", manager(), Write, ApprovalRules, REPORT, false),
            // resource commitments (G-12)
            ("a manager promises support for a report's goal", manager(), Write, GoalCommitment, REPORT, true),
            ("an owner promises themselves support", person(), Write, GoalCommitment, SELF, false),
            ("HR records support in scope", hr(), Write, GoalCommitment, IN_HR, true),
            ("admin reads a public goal", admin(), Read, Goal, PUBLIC, false),
            // templates and the key-result library (G-8)
            ("employee reads the goal library", person(), Read, GoalLibrary, PEER, true),
            ("employee edits the goal library", person(), Write, GoalLibrary, PEER, false),
            ("manager edits the goal library", manager(), Write, GoalLibrary, REPORT, false),
            ("HR keeps the goal library", hr(), Write, GoalLibrary, PEER, true),
            ("admin edits the goal library", admin(), Write, GoalLibrary, PEER, false),
            ("employee reads the tracking thresholds", person(), Read, TrackingSettings, PEER, true),
            ("unit HR sets the tracking thresholds", hr(), Write, TrackingSettings, IN_HR, false),
            ("manager sees the HR board of their line", manager(), Read, HrBoard, REPORT, false),
            ("HR sees the HR board of a unit in scope", hr(), Read, HrBoard, IN_HR, true),
            ("HR sees the HR board outside their units", hr(), Read, HrBoard, PEER, false),
            ("executive sees the HR board", exec(), Read, HrBoard, IN_EXEC, false),
            ("employee sets a goal period", person(), Write, GoalPeriod, PEER, false),
            ("unit-scoped HR sets a goal period", hr(), Write, GoalPeriod, IN_HR, false),
            ("employee reads the goal periods", person(), Read, GoalPeriod, PEER, true),
            (
                "org-wide HR sets a goal period",
                Actor { hr: Some(Scope::Organization), ..person() },
                Write,
                GoalPeriod,
                PEER,
                true,
            ),
            // V-6: results after release, appeals
            ("person reads own result before release", person(), Read, ReviewResult, SELF, false),
            ("person reads own released result", person(), Read, ReleasedReviewResult, SELF, true),
            ("person acknowledges or appeals own result", person(), Write, ReleasedReviewResult, SELF, true),
            ("manager acknowledges for a report", manager(), Write, ReleasedReviewResult, REPORT, false),
            ("peer reads a released result", person(), Read, ReleasedReviewResult, PEER, false),
            ("person reads own appeal", person(), Read, ReviewAppeal, SELF, true),
            ("manager reads a report's appeal", manager(), Read, ReviewAppeal, REPORT, false),
            ("HR assigns an appeal in scope", hr(), Write, ReviewAppeal, IN_HR, true),
            ("HR assigns an appeal outside scope", hr(), Write, ReviewAppeal, PEER, false),
            ("unassigned HR decides an appeal", hr(), Write, AppealDecision, IN_HR, false),
            ("assigned HR decides an appeal", hr(), Write, AppealDecision, Facts { assigned: true, ..IN_HR }, true),
            ("assignee who left the scope decides", hr(), Write, AppealDecision, ASSIGNED, false),
            // V-5, D-1
            ("manager records a report's review conversation", manager(), Write, ReviewConversation, REPORT, true),
            ("person records their own conversation", person(), Write, ReviewConversation, SELF, false),
            ("HR records a conversation", hr(), Write, ReviewConversation, IN_HR, false),
            ("person reads their conversation", person(), Read, ReviewConversation, SELF, true),
            ("peer reads a conversation", person(), Read, ReviewConversation, PEER, false),
            ("person keeps their own plan", person(), Write, DevelopmentPlan, SELF, true),
            ("HR keeps a plan in scope", hr(), Write, DevelopmentPlan, IN_HR, true),
            ("peer reads a plan", person(), Read, DevelopmentPlan, PEER, false),
            // D-2
            ("manager writes a report's development report", manager(), Write, DevelopmentReport, REPORT, true),
            ("HR writes a development report in scope", hr(), Write, DevelopmentReport, IN_HR, true),
            ("HR reads a draft report outside scope", hr(), Read, DevelopmentReport, PEER, false),
            ("HR reads their own draft report", hr(), Read, DevelopmentReport, Facts { is_self: true, ..IN_HR }, false),
            ("HR writes their own report", hr(), Write, DevelopmentReport, Facts { is_self: true, ..IN_HR }, false),
            ("person reads their own draft report", person(), Read, DevelopmentReport, SELF, false),
            ("person reads their shared report", person(), Read, SharedDevelopmentReport, SELF, true),
            ("peer reads a shared report", person(), Read, SharedDevelopmentReport, PEER, false),
            ("person edits their shared report", person(), Write, SharedDevelopmentReport, SELF, false),
            // V-7
            ("person reads their own potential", person(), Read, PotentialAssessment, SELF, false),
            ("manager assesses a report's potential", manager(), Write, PotentialAssessment, REPORT, true),
            ("HR assesses potential in scope", hr(), Write, PotentialAssessment, IN_HR, true),
            ("unit HR names the boxes", hr(), Write, NineBoxNames, PEER, false),
            // V-8
            ("new hire reads their probation", person(), Read, Probation, SELF, true),
            ("new hire decides their own conversion", person(), Write, Probation, SELF, false),
            ("manager holds a report's checkpoint", manager(), Write, Probation, REPORT, true),
            // V-9
            ("manager nominates a report for promotion", manager(), Write, PromotionNomination, REPORT, true),
            ("person nominates themselves", person(), Write, PromotionNomination, SELF, false),
            ("HR nominates themselves", hr(), Write, PromotionNomination, Facts { is_self: true, ..IN_HR }, false),
            ("peer reads a nomination", person(), Read, PromotionNomination, PEER, false),
            ("manager decides a nomination", manager(), Write, PromotionDecision, REPORT, false),
            ("HR decides a nomination in scope", hr(), Write, PromotionDecision, IN_HR, true),
            ("HR decides a nomination outside scope", hr(), Write, PromotionDecision, PEER, false),
            ("person reads their incentives", person(), Read, ResultIncentive, SELF, true),
            ("manager grants an incentive", manager(), Write, ResultIncentive, REPORT, false),
            ("HR grants an incentive in scope", hr(), Write, ResultIncentive, IN_HR, true),
            // issue 21, item 4: HR (and any manager) about themselves acts as an employee
            (
                "HR reads manager-only feedback about themselves",
                hr(),
                Read,
                ManagerFeedback,
                Facts { is_self: true, ..IN_HR },
                false,
            ),
            (
                "HR reads their own result before release",
                hr(),
                Read,
                ReviewResult,
                Facts { is_self: true, ..IN_HR },
                false,
            ),
            ("HR reads their manager's review of them", hr(), Read, Review, Facts { is_self: true, ..IN_HR }, false),
            (
                "HR writes their own self-review",
                hr(),
                Write,
                Review,
                Facts { is_self: true, assigned: true, ..IN_HR },
                true,
            ),
            (
                "HR assesses their own potential",
                hr(),
                Write,
                PotentialAssessment,
                Facts { is_self: true, ..IN_HR },
                false,
            ),
            ("HR reads their own potential", hr(), Read, PotentialAssessment, Facts { is_self: true, ..IN_HR }, false),
            ("HR changes their own level", hr(), Write, PersonalRecord, Facts { is_self: true, ..IN_HR }, false),
            ("HR reads their own record", hr(), Read, PersonalRecord, Facts { is_self: true, ..IN_HR }, true),
            ("HR calibrates their own grade", hr(), Write, ReviewCycle, Facts { is_self: true, ..IN_HR }, false),
            ("HR assigns their own appeal", hr(), Write, ReviewAppeal, Facts { is_self: true, ..IN_HR }, false),
            ("HR files their own goal", hr(), Write, GoalApproval, Facts { is_self: true, ..IN_HR }, false),
            (
                "HR holds their own probation checkpoint",
                hr(),
                Write,
                Probation,
                Facts { is_self: true, ..IN_HR },
                false,
            ),
            (
                "HR reads their own nomination before approval",
                hr(),
                Read,
                PromotionNomination,
                Facts { is_self: true, ..IN_HR },
                false,
            ),
            (
                "HR reads their own released result",
                hr(),
                Read,
                ReleasedReviewResult,
                Facts { is_self: true, ..IN_HR },
                true,
            ),
            (
                "org-wide HR reads the audit records about themselves",
                Actor { hr: Some(Scope::Organization), ..person() },
                Read,
                AuditLog,
                SELF,
                false,
            ),
            (
                "HR reads their own light 360 results",
                hr(),
                Read,
                Light360Results,
                Facts { is_self: true, ..IN_HR },
                true,
            ),
            (
                "a manager's manager-only feedback about themselves",
                manager(),
                Read,
                ManagerFeedback,
                Facts { is_self: true, manages: true, ..PEER },
                false,
            ),
            (
                "an executive's analytics about themselves",
                exec(),
                Read,
                PersonalRecord,
                Facts { is_self: true, in_exec_scope: true, ..PEER },
                true,
            ),
            // nobody writes the audit log by hand
            ("system writes anything", Actor::system("cli"), Write, PersonalRecord, PEER, true),
            // signals (I-4, issue 26 item 2)
            ("employee reads own signal", person(), Read, Signal, SELF, true),
            ("employee answers own signal", person(), Write, Signal, SELF, true),
            ("employee reads a peer's signal", person(), Read, Signal, PEER, false),
            ("manager reads a report's signal by default", manager(), Read, Signal, REPORT, false),
            (
                "manager reads a report's signal when HR allows names",
                manager(),
                Read,
                Signal,
                Facts { org_allows: true, ..REPORT },
                true,
            ),
            (
                "a setting opens nothing outside the line",
                manager(),
                Read,
                Signal,
                Facts { org_allows: true, ..PEER },
                false,
            ),
            (
                "manager answers a report's signal",
                manager(),
                Write,
                Signal,
                Facts { org_allows: true, ..REPORT },
                false,
            ),
            ("manager counts their line's signals", manager(), Read, SignalCounts, REPORT, true),
            ("employee counts a group's signals", person(), Read, SignalCounts, PEER, false),
            ("HR reads a signal in scope", hr(), Read, Signal, IN_HR, true),
            ("HR replies to an answer in scope", hr(), Write, SignalReply, IN_HR, true),
            ("HR answers someone's signal", hr(), Write, Signal, IN_HR, false),
            ("HR replies about themselves", hr(), Write, SignalReply, Facts { in_hr_scope: true, ..SELF }, false),
            ("HR reads a signal outside scope", hr(), Read, Signal, PEER, false),
            ("executive reads a signal in exec scope", exec(), Read, Signal, IN_EXEC, false),
            ("admin reads a signal", admin(), Read, Signal, PEER, false),
            ("unit HR sets who sees names", hr(), Write, SignalSettings, IN_HR, false),
            (
                "org-wide HR sets who sees names",
                Actor { hr: Some(Scope::Organization), ..person() },
                Write,
                SignalSettings,
                PEER,
                true,
            ),
            ("unit HR reads the flight model's validation", hr(), Read, SignalModel, Facts::default(), true),
            ("unit HR fits the flight model", hr(), Write, SignalModel, Facts::default(), false),
            ("a manager reads the flight model", manager(), Read, SignalModel, Facts::default(), false),
            ("an employee reads the flight model", person(), Read, SignalModel, Facts::default(), false),
            ("an executive reads the flight model", exec(), Read, SignalModel, Facts::default(), false),
            (
                "org-wide HR fits the flight model",
                Actor { hr: Some(Scope::Organization), ..person() },
                Write,
                SignalModel,
                Facts::default(),
                true,
            ),
        ];
        for (what, actor, action, resource, facts, expect) in cases {
            assert_eq!(allowed(actor, *action, *resource, *facts), *expect, "{what}");
        }
    }

    #[test]
    fn scope_covers_granted_units_only() {
        let s = Scope::Units(HashSet::from([Uuid::from_u128(10), Uuid::from_u128(11)]));
        assert!(s.covers(Uuid::from_u128(11)));
        assert!(!s.covers(Uuid::from_u128(12)));
        assert!(Scope::Organization.covers(Uuid::from_u128(12)));
    }
}
