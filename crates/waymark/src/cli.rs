//! Command-line interface. Every command takes the same storage options, so it can work on
//! the same data as a running server.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use waymark_app::accounts::{GrantedRole, NewUser};
use waymark_app::audit::Verification;
use waymark_app::audit_ship::Shipping;
use waymark_app::clock::SystemClock;
use waymark_app::demo::{DEMO_PASSWORD, DemoOptions};
use waymark_app::import::FileFormat;
use waymark_app::jobs::{JobsConfig, Worker};
use waymark_app::notify::{MailConfig, NotifyConfig};
use waymark_app::policy::Actor;
use waymark_app::secret::ServerKey;
use waymark_app::{App, AppConfig};
use waymark_store::Db;

use crate::bar::Watching;
use crate::config::{self, Overrides, Settings};
use crate::explain::explain;

#[derive(Parser)]
#[command(name = "waymark", version, about = "Waymark (路标): continuous performance management")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
pub struct Storage {
    /// Data directory (SQLite database lives here) [default: ./waymark-data]
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// PostgreSQL URL, e.g. postgres://user@127.0.0.1/waymark (env WAYMARK_DATABASE_URL)
    #[arg(long, global = true)]
    database_url: Option<String>,
    /// Configuration file (TOML) [default: ./waymark.toml if present]
    #[arg(long, global = true)]
    config: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web app (migrates first).
    Serve {
        #[command(flatten)]
        storage: Storage,
        /// Address to listen on [default: 127.0.0.1:8080]
        #[arg(long)]
        listen: Option<String>,
    },
    /// Run only the job worker (deliveries, the nightly sweep): for an instance that serves no
    /// pages, beside others on the same PostgreSQL database.
    Worker {
        #[command(flatten)]
        storage: Storage,
    },
    /// Apply database migrations.
    Migrate {
        #[command(flatten)]
        storage: Storage,
    },
    /// Create a demo organization (if the database has no people yet) and serve it.
    Demo {
        #[command(flatten)]
        storage: Storage,
        #[arg(long)]
        listen: Option<String>,
        /// Number of employees.
        #[arg(long, default_value_t = 200)]
        employees: usize,
        /// Seed: the same seed gives the same organization.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Names and units in zh-CN (default) or en.
        #[arg(long, default_value = "zh-CN")]
        locale: String,
        /// Create the data and exit.
        #[arg(long)]
        no_serve: bool,
        /// Personal goals per individual contributor this quarter (default: an OKR, and a KPI
        /// for half of them); e.g. 6 for the ~500 000-goal benchmark organization.
        #[arg(long, value_parser = clap::value_parser!(u16).range(1..=20))]
        goals_per_person: Option<u16>,
    },
    /// Import people or units from CSV or XLSX.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Export people or units to CSV or XLSX.
    Export {
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// The tamper-evident audit log.
    Audit {
        #[command(subcommand)]
        what: AuditWhat,
    },
    /// Goals: organization-wide maintenance.
    Goals {
        #[command(subcommand)]
        what: GoalsWhat,
    },
    /// Sign-in accounts.
    User {
        #[command(subcommand)]
        what: UserWhat,
    },
    /// Analytics run by hand: the flight-risk model's validation on labelled files.
    Insights {
        #[command(subcommand)]
        what: crate::insights::InsightsWhat,
    },
}

#[derive(Subcommand)]
enum ImportWhat {
    /// Employees from a .csv (UTF-8 or GBK/GB18030) or .xlsx file; all rows or none.
    Employees {
        file: PathBuf,
        #[command(flatten)]
        storage: Storage,
    },
    /// Units from a .csv or .xlsx file (部门编码, 部门名称, 上级部门编码 …); all rows or none.
    Units {
        file: PathBuf,
        #[command(flatten)]
        storage: Storage,
    },
}

#[derive(Subcommand)]
enum ExportWhat {
    /// Employees to FILE; the format follows its extension (.csv or .xlsx).
    Employees {
        file: PathBuf,
        /// Header language: zh or en.
        #[arg(long, default_value = "zh")]
        headers: String,
        #[command(flatten)]
        storage: Storage,
    },
    /// Units to FILE, parents first; the format follows its extension (.csv or .xlsx).
    Units {
        file: PathBuf,
        /// Header language: zh or en.
        #[arg(long, default_value = "zh")]
        headers: String,
        #[command(flatten)]
        storage: Storage,
    },
}

#[derive(Subcommand)]
enum AuditWhat {
    /// Check the hash chain; exits non-zero naming the first bad record.
    Verify {
        #[command(flatten)]
        storage: Storage,
        /// Checkpoints kept outside the server (saved e-mails, an IM group's export, a file of
        /// lines), to hold the chain against as well as the data directory's file. Repeatable.
        #[arg(long = "checkpoints", value_name = "FILE")]
        outside: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
enum GoalsWhat {
    /// Recompute every goal's progress through the whole alignment graph in one pass.
    Rollup {
        #[command(flatten)]
        storage: Storage,
    },
    /// Evaluate every tracked goal's status and risks now (what the server does each night).
    Sweep {
        #[command(flatten)]
        storage: Storage,
    },
}

#[derive(Subcommand)]
enum UserWhat {
    /// Create an account (password from --password or the first line of standard input).
    Create {
        username: String,
        #[arg(long)]
        password: Option<String>,
        /// Link the account to this employee.
        #[arg(long)]
        employee_no: Option<String>,
        /// Display name (defaults to the employee's name).
        #[arg(long)]
        name: Option<String>,
        /// Grant a role right away: hr, executive or admin (organization-wide).
        #[arg(long)]
        role: Option<String>,
        #[command(flatten)]
        storage: Storage,
    },
    /// Set a new password (signs the user out everywhere and revokes their API tokens).
    SetPassword {
        username: String,
        #[arg(long)]
        password: Option<String>,
        /// Keep the user's API tokens working.
        #[arg(long)]
        keep_tokens: bool,
        #[command(flatten)]
        storage: Storage,
    },
    /// Lock an account: its sessions end, and its password and tokens stop working until unlocked.
    Lock {
        username: String,
        #[command(flatten)]
        storage: Storage,
    },
    /// Unlock a locked account.
    Unlock {
        username: String,
        #[command(flatten)]
        storage: Storage,
    },
    /// Issue a personal API token for a user and print it (shown once).
    Token {
        username: String,
        /// What the token is for.
        #[arg(long, default_value = "cli")]
        name: String,
        #[command(flatten)]
        storage: Storage,
    },
    /// Grant a role (hr, executive, admin), over units given by code, or the whole organization.
    SetRole {
        username: String,
        role: String,
        /// Unit codes; none means the whole organization.
        #[arg(long = "unit")]
        units: Vec<String>,
        /// Take the role away instead.
        #[arg(long)]
        remove: bool,
        #[command(flatten)]
        storage: Storage,
    },
}

fn settings(storage: &Storage, listen: Option<String>) -> anyhow::Result<Settings> {
    config::load(
        storage.config.as_ref(),
        Overrides { listen, data_dir: storage.data_dir.clone(), database_url: storage.database_url.clone() },
    )
}

fn init_logs(s: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("WAYMARK_LOG").unwrap_or_else(|_| "info".into());
    let b = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if s.log_format == "json" { b.json().try_init() } else { b.try_init() };
}

async fn open(s: &Settings) -> anyhow::Result<App> {
    open_as(s, false).await
}

/// Opens the database and the app; `server`: for `serve` (see `Db::connect_for_server`).
async fn open_as(s: &Settings, server: bool) -> anyhow::Result<App> {
    let url = match &s.database_url {
        Some(u) => u.clone(),
        None => {
            std::fs::create_dir_all(&s.data_dir)
                .with_context(|| format!("cannot create data directory {}", s.data_dir.display()))?;
            waymark_store::sqlite_url_for_dir(&s.data_dir)
        }
    };
    let db = if server { Db::connect_for_server(&url).await } else { Db::connect(&url).await };
    let db = db.with_context(|| "cannot open the database")?;
    db.migrate().await.context("migration failed")?;
    let server_key = match &s.secret_key {
        Some(hex) => ServerKey::parse_hex(hex).map_err(|e| anyhow::anyhow!("configuration: {e}"))?,
        None => {
            std::fs::create_dir_all(&s.data_dir)
                .with_context(|| format!("cannot create data directory {}", s.data_dir.display()))?;
            let file = s.data_dir.join("secret.key");
            ServerKey::load_or_create(&file).with_context(|| format!("cannot read or make {}", file.display()))?
        }
    };
    let config = AppConfig {
        server_key,
        audit_checkpoints: Some(s.data_dir.join("audit-checkpoints.log")),
        audit_shipping: audit_shipping(s)?,
        ai: ai_endpoint(s)?,
        import_max_bytes: s.import_max_mb * 1024 * 1024,
        session_hours: s.session_hours,
        files_dir: s.data_dir.join("files"),
        attachment_max_bytes: s.attachment_max_mb * 1024 * 1024,
        notify: notify_config(s)?,
        jobs: JobsConfig { lease_secs: s.job_lease_secs, idle_ms: s.job_idle_ms, ..JobsConfig::default() },
        ..AppConfig::default()
    };
    let app = App::new(db, Arc::new(SystemClock), config);
    // A chain written before the audit key is checked and hashed again under it, once.
    app.audit().upgrade().await.context("cannot upgrade the audit chain")?;
    // Days and hours in the organization's time zone from the first request on.
    app.load_calendar().await.context("cannot read the organization's calendar")?;
    Ok(app)
}

fn notify_config(s: &Settings) -> anyhow::Result<NotifyConfig> {
    let mail = match &s.mail {
        None => None,
        Some(m) => Some(
            MailConfig::new(&m.host, m.port, &m.tls, m.username.clone(), m.password.clone(), &m.from, m.timeout_secs)
                .map_err(|e| anyhow::anyhow!("configuration: {e}"))?,
        ),
    };
    let public_url = s.public_url.clone().unwrap_or_else(|| format!("http://{}", s.listen));
    Ok(NotifyConfig { mail, public_url, im_hosts: s.im_hosts.clone() })
}

/// The checkpoints' destinations, checked before the server starts: a mistake here would
/// otherwise show only as failed jobs.
fn audit_shipping(s: &Settings) -> anyhow::Result<Shipping> {
    let Some(a) = &s.audit_shipping else { return Ok(Shipping::default()) };
    let im = (a.im_platform.as_deref(), a.im_url.as_deref(), a.im_secret.as_deref());
    Shipping::configured(&a.mail_to, s.mail.is_some(), im, &a.lang)
        .map_err(|e| anyhow::anyhow!("configuration: audit_shipping.{e}"))
}

/// The AI endpoint, checked before the server starts.
fn ai_endpoint(s: &Settings) -> anyhow::Result<Option<waymark_app::ai::AiConfig>> {
    let Some(a) = &s.ai else { return Ok(None) };
    waymark_app::ai::AiConfig::new(&a.endpoint, &a.model, a.api_key.clone(), a.timeout_secs)
        .map(Some)
        .map_err(|e| anyhow::anyhow!("configuration: ai.{e}"))
}

fn admin_actor() -> Actor {
    Actor { admin: true, ..Actor::system("cli") }
}

fn read_password(given: Option<String>) -> anyhow::Result<String> {
    if let Some(p) = given {
        return Ok(p);
    }
    eprintln!("password (one line on standard input):");
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve { storage, listen } => {
            let s = settings(&storage, listen)?;
            init_logs(&s);
            let app = open_as(&s, true).await?;
            serve(app, &s).await?;
        }
        Command::Worker { storage } => {
            let s = settings(&storage, None)?;
            init_logs(&s);
            let app = open(&s).await?;
            let worker = Worker::new(app.clone());
            tracing::info!(worker = worker.id(), "job worker started");
            println!("Waymark job worker {} is running", worker.id());
            tokio::select! {
                _ = worker.run() => {}
                _ = shutdown_signal() => {}
            }
            app.db.close().await;
        }
        Command::Migrate { storage } => {
            let s = settings(&storage, None)?;
            init_logs(&s);
            open(&s).await?;
            println!("database is up to date");
        }
        Command::Demo { storage, listen, employees, seed, locale, no_serve, goals_per_person } => {
            let s = settings(&storage, listen)?;
            init_logs(&s);
            let app = open_as(&s, !no_serve).await?;
            let started = Instant::now();
            let english = locale.to_lowercase().starts_with("en");
            let opts = DemoOptions {
                employees,
                seed,
                english,
                accounts: true,
                personal_goals: goals_per_person.map(usize::from),
                last_quarter: true,
            };
            let (bar, progress) = Watching::new();
            let watched = app.watched(progress);
            let summary = watched.create_demo(&opts).await.map_err(explain);
            let org_took = started.elapsed();
            let goals_started = Instant::now();
            let goals = match &summary {
                Ok(_) => watched.create_demo_goals(&opts).await.map_err(explain),
                Err(_) => Ok(None),
            };
            bar.done();
            let summary = summary?;
            if summary.created {
                println!(
                    "created a demo organization: {} people in {} units ({:.1} s)",
                    summary.employees,
                    summary.units,
                    org_took.as_secs_f64()
                );
            } else {
                println!("the database already has {} people; left as it is", summary.employees);
            }
            if let Some(g) = goals? {
                println!(
                    "created demo goals: {} goals with {} key results, {} alignment links and {} check-ins ({:.1} s)",
                    g.goals,
                    g.key_results,
                    g.links,
                    g.check_ins,
                    goals_started.elapsed().as_secs_f64()
                );
            }
            if !summary.logins.is_empty() {
                println!("demo sign-ins (password: {DEMO_PASSWORD}):");
                for l in &summary.logins {
                    println!("  {:<10} {}", l.username, l.name);
                }
            }
            if !no_serve {
                serve(app, &s).await?;
            }
        }
        Command::Import { what } => {
            let (file, storage, units) = match what {
                ImportWhat::Employees { file, storage } => (file, storage, false),
                ImportWhat::Units { file, storage } => (file, storage, true),
            };
            let s = settings(&storage, None)?;
            init_logs(&s);
            let app = open(&s).await?;
            let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file.file_name().and_then(|n| n.to_str()).map(str::to_string);
            let (bar, progress) = Watching::new();
            let app = app.watched(progress);
            let (imports, actor) = (app.imports(), Actor::system("cli"));
            let r = if units {
                imports.import_units(&actor, &bytes, name.as_deref()).await
            } else {
                imports.import_employees(&actor, &bytes, name.as_deref()).await
            };
            bar.done();
            let r = r.map_err(explain)?;
            println!("imported: {} created, {} updated, {} unchanged", r.created, r.updated, r.unchanged);
        }
        Command::Export { what } => {
            let (file, headers, storage, units) = match what {
                ExportWhat::Employees { file, headers, storage } => (file, headers, storage, false),
                ExportWhat::Units { file, headers, storage } => (file, headers, storage, true),
            };
            let s = settings(&storage, None)?;
            init_logs(&s);
            let app = open(&s).await?;
            let format = if file.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
                FileFormat::Xlsx
            } else {
                FileFormat::Csv
            };
            let (bar, progress) = Watching::new();
            let app = app.watched(progress);
            let (imports, actor) = (app.imports(), Actor::system("cli"));
            let bytes = if units {
                imports.export_units(&actor, format, headers != "en").await
            } else {
                imports.export_employees(&actor, format, headers != "en").await
            };
            bar.done();
            let bytes = bytes.map_err(explain)?;
            std::fs::write(&file, bytes).with_context(|| format!("cannot write {}", file.display()))?;
            println!("wrote {}", file.display());
        }
        Command::Audit { what: AuditWhat::Verify { storage, outside } } => {
            let s = settings(&storage, None)?;
            init_logs(&s);
            let app = open(&s).await?;
            let mut kept = Vec::new();
            for file in &outside {
                let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
                match app.audit().outside_checkpoints(&text) {
                    Ok(cps) => kept.extend(cps),
                    Err(b) => {
                        eprintln!("audit log BROKEN: {}: {b}", file.display());
                        return Ok(ExitCode::from(2));
                    }
                }
            }
            match app.audit().verify_with(kept).await.map_err(explain)? {
                Verification::Intact { records, checkpoints } => {
                    println!(
                        "audit log intact: {records} records, keyed hash chain verified, agrees with {checkpoints} \
                         signed checkpoint(s)"
                    );
                    // This run's view of the head is a checkpoint too.
                    app.audit().checkpoint(None).await.map_err(explain)?;
                }
                Verification::Broken(b) => {
                    eprintln!("audit log BROKEN: {b}");
                    return Ok(ExitCode::from(2));
                }
            }
        }
        Command::Goals { what: GoalsWhat::Rollup { storage } } => {
            let s = settings(&storage, None)?;
            init_logs(&s);
            let app = open(&s).await?;
            let r = app.goals().roll_up_everything(&Actor::system("cli")).await.map_err(explain)?;
            println!(
                "rolled up {} goals, {} key results, {} links: {} values changed; load {} ms, compute {} ms, total {} ms",
                r.goals, r.key_results, r.links, r.changed, r.load_ms, r.compute_ms, r.total_ms
            );
        }
        Command::Goals { what: GoalsWhat::Sweep { storage } } => {
            let s = settings(&storage, None)?;
            init_logs(&s);
            let app = open(&s).await?;
            let r = app.tracking().sweep(&Actor::system("cli")).await.map_err(explain)?;
            println!(
                "evaluated {} goals: {} status changes, {} alerts raised, {} resolved; {} ms",
                r.goals, r.status_changes, r.alerts_raised, r.alerts_resolved, r.elapsed_ms
            );
        }
        Command::User { what } => return user(what).await,
        Command::Insights { what } => crate::insights::run(what)?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn set_locked(admin: &Actor, username: &str, storage: &Storage, lock: bool) -> anyhow::Result<()> {
    let s = settings(storage, None)?;
    let app = open(&s).await?;
    app.accounts().set_locked(admin, username, lock).await.map_err(explain)?;
    println!("{username} {}", if lock { "locked" } else { "unlocked" });
    Ok(())
}

async fn user(what: UserWhat) -> anyhow::Result<ExitCode> {
    let admin = admin_actor();
    match what {
        UserWhat::Create { username, password, employee_no, name, role, storage } => {
            let s = settings(&storage, None)?;
            let app = open(&s).await?;
            let role = role
                .map(|r| GrantedRole::parse(&r).ok_or_else(|| anyhow::anyhow!("role must be hr, executive or admin")))
                .transpose()?;
            let password = read_password(password)?;
            app.accounts()
                .create_user(
                    &admin,
                    NewUser {
                        username: &username,
                        display_name: name.as_deref(),
                        password: &password,
                        employee_no: employee_no.as_deref(),
                    },
                )
                .await
                .map_err(explain)?;
            if let Some(r) = role {
                app.accounts().set_role(&admin, &username, r, vec![None]).await.map_err(explain)?;
            }
            println!("created user {username}");
        }
        UserWhat::SetPassword { username, password, keep_tokens, storage } => {
            let s = settings(&storage, None)?;
            let app = open(&s).await?;
            let password = read_password(password)?;
            app.accounts().set_password(&admin, &username, &password, keep_tokens).await.map_err(explain)?;
            let tokens = if keep_tokens { "API tokens kept" } else { "API tokens revoked" };
            println!("password changed for {username}; signed out everywhere, {tokens}");
        }
        UserWhat::Lock { username, storage } => set_locked(&admin, &username, &storage, true).await?,
        UserWhat::Unlock { username, storage } => set_locked(&admin, &username, &storage, false).await?,
        UserWhat::Token { username, name, storage } => {
            let s = settings(&storage, None)?;
            let app = open(&s).await?;
            let token =
                app.accounts().create_token_for(&Actor::system("cli"), &username, &name).await.map_err(explain)?;
            println!("{token}");
        }
        UserWhat::SetRole { username, role, units, remove, storage } => {
            let s = settings(&storage, None)?;
            let app = open(&s).await?;
            let r = GrantedRole::parse(&role).ok_or_else(|| anyhow::anyhow!("role must be hr, executive or admin"))?;
            let mut scope = Vec::new();
            for code in &units {
                scope.push(Some(
                    app.org()
                        .unit_id_by_code(&admin, code)
                        .await
                        .map_err(|_| anyhow::anyhow!("no unit has the code {code:?}"))?,
                ));
            }
            if scope.is_empty() && !remove {
                scope.push(None);
            }
            if remove {
                scope.clear();
            }
            app.accounts().set_role(&admin, &username, r, scope).await.map_err(explain)?;
            println!("{} {role} for {username}", if remove { "removed" } else { "granted" });
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn serve(app: App, s: &Settings) -> anyhow::Result<()> {
    let addr: SocketAddr =
        s.listen.parse().with_context(|| format!("--listen {:?} is not an address like 127.0.0.1:8080", s.listen))?;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("cannot listen on {addr}"))?;
    let db = app.db.clone();
    if s.worker {
        tokio::spawn(Worker::new(app.clone()).run());
    }
    // The feedback coach's Chinese dictionary, loaded before the first writer types.
    tokio::task::spawn_blocking(waymark_domain::coach::warm_up);
    let public_url = s.public_url.clone().unwrap_or_else(|| format!("http://{}", s.listen));
    let web = waymark_web::security::WebConfig {
        // Cookies are Secure when users reach Waymark over https, whatever the proxy says.
        secure_cookies: s.secure_cookies || public_url.starts_with("https://"),
        trusted_proxies: waymark_web::security::WebConfig::parse_proxies(&s.trusted_proxies)
            .map_err(|e| anyhow::anyhow!("configuration: {e}"))?,
        metrics_token: s.metrics_token.clone().filter(|t| !t.is_empty()),
        origins: vec![waymark_web::security::origin_of(&public_url)],
        reads_at_once: s.reads_at_once.filter(|n| *n > 0),
    };
    let state = waymark_web::AppState::with_web(app, web);
    if let Some(m) = &s.metrics_listen {
        let maddr: SocketAddr =
            m.parse().with_context(|| format!("metrics_listen {m:?} is not an address like 127.0.0.1:9090"))?;
        let ml = tokio::net::TcpListener::bind(maddr).await.with_context(|| format!("cannot listen on {maddr}"))?;
        let metrics = waymark_web::metrics::metrics_only(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(ml, metrics).await {
                tracing::error!(error = %e, "the metrics address stopped");
            }
        });
    }
    let router = waymark_web::router(state);
    tracing::info!(%addr, "Waymark is listening: http://{addr}/");
    println!("Waymark is listening on http://{addr}/");
    axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
