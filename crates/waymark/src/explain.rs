//! A service's refusal as the command line prints it: each field with what is wrong, or an
//! import's problems row by row (the first 200).

use waymark_app::AppError;

pub(crate) fn explain(e: AppError) -> anyhow::Error {
    match e {
        AppError::Invalid(fields) => anyhow::anyhow!(
            "{}",
            fields.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("\n")
        ),
        AppError::Import(rows) => {
            let mut s = format!("the file was not imported; {} problem(s):", rows.len());
            for r in rows.iter().take(200) {
                s.push_str(&format!("\n  {r}"));
            }
            anyhow::anyhow!(s)
        }
        other => anyhow::anyhow!(other),
    }
}
