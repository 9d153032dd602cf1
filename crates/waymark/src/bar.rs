//! The command line's progress bar for long work (SPEC Q-5): the step in words and, when its
//! length is known, how far through it. Drawn on standard error, and only on a terminal: a
//! script or a CI log reading the output gets the result lines alone.

use std::sync::Arc;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use waymark_app::i18n::Lang;
use waymark_app::progress::{Progress, Step, Watch, message_key};

struct Bar(ProgressBar);

impl Watch for Bar {
    fn step(&self, step: Step, total: u64) {
        let style = if total > 0 {
            ProgressStyle::with_template("{msg:>30} [{bar:30}] {pos}/{len} ({elapsed})")
        } else {
            ProgressStyle::with_template("{msg:>30} {spinner} ({elapsed})")
        };
        if let Ok(style) = style {
            self.0.set_style(style.progress_chars("=> "));
        }
        self.0.reset();
        self.0.set_length(total);
        // The command line speaks English, in the words the English pages use.
        self.0.set_message(Lang::En.t(&message_key(step.code())));
        self.0.tick();
    }

    fn advance(&self, n: u64) {
        self.0.inc(n);
    }
}

/// A bar to watch long work with; `done` clears it.
pub struct Watching(ProgressBar);

impl Watching {
    pub fn new() -> (Watching, Progress) {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} ({elapsed})") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(200));
        (Watching(bar.clone()), Progress::to(Arc::new(Bar(bar))))
    }

    pub fn done(self) {
        self.0.finish_and_clear();
    }
}
