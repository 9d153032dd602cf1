//! Progress of long work (SPEC Q-5): imports, exports, demo generation and bulk assignment say
//! which step they are on and how far through it, to whoever watches — a bar on the command
//! line, a line on the page while the form is being sent. Work nobody watches reports into
//! nothing, at no cost.

use std::sync::Arc;

/// The step long work is on; each has a name in both languages (`progress-step-<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Reading and parsing the uploaded file.
    Reading,
    /// Checking every row before anything is written.
    Checking,
    /// Writing, all or nothing.
    Writing,
    /// The demo's people and units.
    Organization,
    /// The demo's goals and their roll-up.
    Goals,
    /// The demo's check-in history.
    CheckIns,
    /// The demo's review cycles and the rest of its history.
    History,
}

/// The message naming a step, by its code (the page and the command line say the same).
pub fn message_key(code: &str) -> String {
    format!("progress-step-{code}")
}

impl Step {
    pub fn code(self) -> &'static str {
        match self {
            Step::Reading => "reading",
            Step::Checking => "checking",
            Step::Writing => "writing",
            Step::Organization => "organization",
            Step::Goals => "goals",
            Step::CheckIns => "check-ins",
            Step::History => "history",
        }
    }
}

/// Someone watching long work.
pub trait Watch: Send + Sync {
    /// A new step of `total` units (0 when its length is not known).
    fn step(&self, step: Step, total: u64);
    /// `n` more units of the current step done.
    fn advance(&self, n: u64);
}

/// Where long work reports its progress: to a watcher, or to nobody.
#[derive(Clone, Default)]
pub struct Progress(Option<Arc<dyn Watch>>);

impl Progress {
    pub fn to(watch: Arc<dyn Watch>) -> Self {
        Progress(Some(watch))
    }

    pub fn step(&self, step: Step, total: usize) {
        if let Some(w) = &self.0 {
            w.step(step, total as u64);
        }
    }

    pub fn advance(&self, n: usize) {
        if let Some(w) = &self.0 {
            w.advance(n as u64);
        }
    }
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "Progress(watched)" } else { "Progress(none)" })
    }
}

/// The latest state of watched work, for a page to poll.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    pub step: Option<&'static str>,
    pub done: u64,
    pub total: u64,
}

/// A watcher that keeps the latest state for someone to read (the page's progress line).
#[derive(Default)]
pub struct Latest(std::sync::Mutex<Snapshot>);

impl Latest {
    pub fn get(&self) -> Snapshot {
        self.0.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl Watch for Latest {
    fn step(&self, step: Step, total: u64) {
        if let Ok(mut s) = self.0.lock() {
            *s = Snapshot { step: Some(step.code()), done: 0, total };
        }
    }
    fn advance(&self, n: u64) {
        if let Ok(mut s) = self.0.lock() {
            s.done += n;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q5_the_latest_step_and_count_are_kept() {
        let latest = Arc::new(Latest::default());
        let p = Progress::to(latest.clone());
        p.step(Step::Checking, 10);
        p.advance(4);
        p.advance(3);
        assert_eq!(latest.get(), Snapshot { step: Some("checking"), done: 7, total: 10 });
        // A new step starts from nothing.
        p.step(Step::Writing, 10);
        assert_eq!(latest.get(), Snapshot { step: Some("writing"), done: 0, total: 10 });
        // Nobody watching: nothing happens, nothing fails.
        Progress::default().advance(5);
    }
}
