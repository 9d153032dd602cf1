//! The modules a signed-in person's navigation offers (issue 23, item 3): each link only where
//! its page opens for them, decided here, by asking the policy, not in a template.

use crate::policy::{Action, Actor, Facts, Resource, allowed};

/// One link of the navigation; `key` is its text in the language files, `nav` the name pages
/// mark as current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MenuLink {
    pub nav: &'static str,
    pub key: &'static str,
    pub href: &'static str,
}

const fn link(nav: &'static str, key: &'static str, href: &'static str) -> MenuLink {
    MenuLink { nav, key, href }
}

/// The links of the actor's navigation, in order.
pub fn menu(actor: &Actor) -> Vec<MenuLink> {
    let person = actor.employee_id.is_some();
    let hr = actor.is_hr();
    let mut out = vec![link("home", "nav-home", "/")];
    if person || hr || actor.executive.is_some() {
        out.push(link("goals", "nav-goals", "/goals"));
    }
    // Tracking opens on the widest board the actor may read: HR's, the executive board, or
    // one's own weekly report.
    let scope = Facts { in_hr_scope: hr, in_exec_scope: actor.executive.is_some(), ..Facts::default() };
    if allowed(actor, Action::Read, Resource::HrBoard, scope) {
        out.push(link("tracking", "nav-tracking", "/tracking/hr"));
    } else if allowed(actor, Action::Read, Resource::ExecutiveBoard, scope) {
        out.push(link("tracking", "nav-tracking", "/tracking/executive"));
    } else if person {
        out.push(link("tracking", "nav-tracking", "/tracking/weekly"));
    }
    if person {
        out.push(link("one-on-ones", "nav-one-on-one", "/one-on-ones"));
        out.push(link("feedback", "nav-feedback", "/feedback"));
        out.push(link("recognition", "nav-recognition", "/recognition"));
    }
    if person || hr {
        out.push(link("reviews", "nav-reviews", "/reviews"));
    }
    // Insights open on the signals (I-4): everyone with a record reads their own; HR their units'.
    if allowed(actor, Action::Read, Resource::Signal, Facts { is_self: person, in_hr_scope: hr, ..Facts::default() }) {
        out.push(link("insights", "nav-insights", "/signals"));
    }
    out.push(link("org", "nav-org", "/org"));
    if hr {
        out.push(link("admin", "nav-admin", "/admin"));
    }
    if allowed(actor, Action::Read, Resource::Accounts, Facts::default()) {
        out.push(link("security", "nav-security", "/admin/accounts"));
    }
    if allowed(actor, Action::Read, Resource::Jobs, Facts::default()) {
        out.push(link("jobs", "nav-jobs", "/admin/jobs"));
    }
    if allowed(actor, Action::Write, Resource::Integrations, Facts::default()) {
        out.push(link("integrations", "nav-integrations", "/admin/integrations"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hrefs(a: &Actor) -> Vec<&'static str> {
        menu(a).into_iter().map(|l| l.href).collect()
    }

    #[test]
    fn the_system_administrator_gets_their_own_pages_and_no_performance_module() {
        let admin = Actor { user_id: Some(uuid::Uuid::nil()), admin: true, ..Actor::system("x") };
        let admin = Actor { system: false, ..admin };
        let h = hrefs(&admin);
        assert!(h.contains(&"/admin/accounts") && h.contains(&"/admin/jobs") && h.contains(&"/admin/integrations"));
        assert!(!h.iter().any(|l| l.starts_with("/tracking") || *l == "/goals" || *l == "/reviews"), "{h:?}");
    }

    #[test]
    fn an_employee_tracks_their_week() {
        let e = Actor {
            user_id: Some(uuid::Uuid::nil()),
            employee_id: Some(uuid::Uuid::nil()),
            system: false,
            ..Actor::system("x")
        };
        let h = hrefs(&e);
        assert!(h.contains(&"/tracking/weekly") && h.contains(&"/one-on-ones"));
        assert!(!h.contains(&"/admin/jobs") && !h.contains(&"/admin"), "{h:?}");
    }
}
