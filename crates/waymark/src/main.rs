//! The `waymark` binary: serve, migrate, demo, import/export, audit verify, user management,
//! the flight-risk model's validation.
//! Configuration: defaults → a TOML file (`--config`, or `waymark.toml` in the working
//! directory) → `WAYMARK_*` environment variables → command-line flags.

mod bar;
mod cli;
mod config;
mod explain;
mod insights;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args = <cli::Cli as clap::Parser>::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(cli::run(args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
