//! `waymark insights …`: the analytics an operator runs by hand. For now the flight-risk
//! model's validation on labelled files (issue 26, item 3), which needs no database.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Subcommand;
use waymark_app::flight_risk::{self, ModelCheck};
use waymark_domain::flight_risk::{DEFAULT_C, Evaluation};

#[derive(Subcommand)]
pub enum InsightsWhat {
    /// The flight-risk (attrition) model.
    Attrition {
        #[command(subcommand)]
        what: AttritionWhat,
    },
}

#[derive(Subcommand)]
pub enum AttritionWhat {
    /// Validate the model on a labelled file of people (an outcome column saying who left, the
    /// other columns their features; .csv or .xlsx): stratified k-fold on TRAIN, or fitted on
    /// TRAIN and scored on TEST. Prints `name value` lines.
    Evaluate {
        /// The people to fit (and, without --test, to cross-validate) on.
        #[arg(long)]
        train: PathBuf,
        /// People the model never saw, to score on.
        #[arg(long)]
        test: Option<PathBuf>,
        /// The outcome column.
        #[arg(long)]
        label: String,
        /// The outcome value that means "left".
        #[arg(long, default_value = "Yes")]
        positive: String,
        /// Folds of the cross-validation (without --test).
        #[arg(long, default_value_t = 5)]
        folds: usize,
        /// Regularization strength (scikit-learn's C: smaller is stronger).
        #[arg(long, default_value_t = DEFAULT_C, allow_negative_numbers = true)]
        c: f64,
    },
}

/// A labelled file may be this large.
const MAX_BYTES: u64 = 512 * 1024 * 1024;

pub fn run(what: InsightsWhat) -> anyhow::Result<()> {
    let InsightsWhat::Attrition { what: AttritionWhat::Evaluate { train, test, label, positive, folds, c } } = what;
    let train_bytes = read(&train)?;
    let test_bytes = test.as_deref().map(read).transpose()?;
    let names = (train.display().to_string(), test.as_ref().map(|t| t.display().to_string()).unwrap_or_default());
    let check = ModelCheck {
        train: (&train_bytes, &names.0),
        test: test_bytes.as_deref().map(|b| (b, names.1.as_str())),
        label: &label,
        positive: &positive,
        folds,
        c,
    };
    let started = Instant::now();
    let e = flight_risk::evaluate(&check, &flight_risk::limits(MAX_BYTES as usize)).map_err(crate::explain::explain)?;
    print!("{}", report(&e, test.as_deref(), started.elapsed().as_secs_f64()));
    Ok(())
}

fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    let size = std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?.len();
    if size > MAX_BYTES {
        anyhow::bail!("{} is {size} bytes; a labelled file may be at most {MAX_BYTES}", path.display());
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// The figures as `name value` lines: what was scored, the three measures, the calibration
/// table and the strongest features.
fn report(e: &Evaluation, test: Option<&Path>, seconds: f64) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    match (e.folds, test) {
        (Some(k), _) => line(format!("validation {k}-fold")),
        (None, Some(t)) => line(format!("validation held-out {}", t.display())),
        (None, None) => {}
    }
    line(format!("people {}", e.people));
    line(format!("leavers {}", e.leavers));
    line(format!("roc_auc {:.4}", e.roc_auc));
    line(format!("pr_auc {:.4}", e.pr_auc));
    line(format!("brier {:.4}", e.brier));
    line(format!("seconds {seconds:.2}"));
    for b in &e.calibration {
        line(format!(
            "calibration {:.1}-{:.1} people {} predicted {:.3} left {:.3}",
            b.from, b.to, b.people, b.mean_predicted, b.share_left
        ));
    }
    for (name, weight) in &e.strongest {
        line(format!("strongest {name} {weight:+.3}"));
    }
    out
}
