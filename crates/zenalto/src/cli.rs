//! Command-line interface: `serve`, `worker`, `migrate`, `admin`, `bench`, `openapi`, `config`.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};
use tokio_util::sync::CancellationToken;
use zenalto_server::Roles;
use zenalto_services::Clock;
use zenalto_settings::Settings;

use crate::admin::AdminCommand;

#[derive(Parser)]
#[command(name = "zenalto", version, about = "Zenalto: AI-native social media management")]
pub struct Cli {
    /// TOML configuration file (optional; environment variables ZENALTO__… override it).
    #[arg(long, global = true, env = "ZENALTO_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the API, the web UI and (unless --no-workers) the background workers.
    Serve {
        /// Serve the API only; run `zenalto worker` elsewhere.
        #[arg(long)]
        no_workers: bool,
        /// Listen address, overriding server.bind.
        #[arg(long)]
        bind: Option<std::net::SocketAddr>,
    },
    /// Run only the background workers.
    Worker,
    /// Apply database migrations and exit.
    Migrate,
    /// Operator tasks: users, passwords, encryption keys, the local mail outbox.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Measure start-up time, idle memory and request throughput (see docs/benchmarks.md).
    Bench(crate::bench::BenchArgs),
    /// Print the OpenAPI document (the web app's API client is generated from it).
    Openapi,
    /// Print the effective configuration (secrets masked), or the example file.
    Config {
        /// Print the example configuration generated from the defaults.
        #[arg(long)]
        example: bool,
    },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    match cli.command {
        Command::Config { example: true } => {
            print!("{}", zenalto_settings::example::example_toml());
            Ok(())
        }
        Command::Openapi => {
            println!("{}", serde_json::to_string_pretty(&zenalto_api::openapi()).context("cannot render the OpenAPI document")?);
            Ok(())
        }
        Command::Config { example: false } => {
            print!("{}", toml::to_string_pretty(&settings).context("cannot render the configuration")?);
            Ok(())
        }
        Command::Serve { no_workers, bind } => {
            zenalto_server::init_tracing(&settings.log);
            if let Some(bind) = bind {
                settings.server.bind = bind;
            }
            let listener = tokio::net::TcpListener::bind(settings.server.bind)
                .await
                .with_context(|| format!("cannot listen on {}", settings.server.bind))?;
            let services = zenalto_server::prepare(&settings, Clock::system()).await?;
            let shutdown = CancellationToken::new();
            zenalto_server::cancel_on_signals(shutdown.clone());
            let roles = Roles { api: true, workers: settings.workers.enabled && !no_workers };
            zenalto_server::run(services, Some(listener), roles, shutdown).await
        }
        Command::Worker => {
            zenalto_server::init_tracing(&settings.log);
            let services = zenalto_server::prepare(&settings, Clock::system()).await?;
            let shutdown = CancellationToken::new();
            zenalto_server::cancel_on_signals(shutdown.clone());
            zenalto_server::run(services, None, Roles { api: false, workers: true }, shutdown).await
        }
        Command::Migrate => {
            zenalto_server::init_tracing(&settings.log);
            let services = zenalto_server::prepare(&settings, Clock::system()).await?;
            services.db.close().await;
            println!("migrations applied");
            Ok(())
        }
        Command::Admin { command } => crate::admin::run(command, &settings).await,
        Command::Bench(args) => crate::bench::run(args).await,
    }
}
