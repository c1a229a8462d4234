//! `zenalto admin …`: operator tasks that go through the same services as the API.

use std::io::BufRead;

use anyhow::Context;
use clap::Subcommand;
use zenalto_domain::EmailAddress;
use zenalto_services::{Clock, RequestMeta, Services, crypto, keys::Keys};
use zenalto_settings::Settings;
use zenalto_store::repo::outbox;

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Create a verified user with a workspace they own.
    CreateUser {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// Name of the user's first workspace.
        #[arg(long)]
        workspace: Option<String>,
        /// Password; read from the first line of stdin when omitted (keeps it out of `ps`).
        #[arg(long)]
        password: Option<String>,
    },
    /// Set a user's password, clear lockouts and sign out all their sessions.
    ResetPassword {
        #[arg(long)]
        email: String,
        /// Password; read from the first line of stdin when omitted.
        #[arg(long)]
        password: Option<String>,
    },
    /// Add a new encryption key, make it active and re-encrypt every stored secret with it.
    RotateKey,
    /// Show mail in the local outbox (used when no SMTP server is configured).
    Outbox {
        /// Only mail to this address.
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: i64,
    },
}

fn password_or_stdin(password: Option<String>) -> anyhow::Result<String> {
    match password {
        Some(p) => Ok(p),
        None => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line).context("cannot read the password from stdin")?;
            Ok(line.trim_end_matches(['\n', '\r']).to_owned())
        }
    }
}

async fn services(settings: &Settings) -> anyhow::Result<Services> {
    zenalto_server::prepare(settings, Clock::system()).await
}

pub async fn run(command: AdminCommand, settings: &Settings) -> anyhow::Result<()> {
    match command {
        AdminCommand::CreateUser { email, name, workspace, password } => {
            let password = zenalto_domain::Password::parse(&password_or_stdin(password)?).map_err(|e| anyhow::anyhow!("password {e}"))?;
            let email = EmailAddress::parse(&email).map_err(|e| anyhow::anyhow!("email: {e}"))?;
            let services = services(settings).await?;
            let hash = crypto::hash_password(password.expose().to_owned()).await?;
            let workspace = workspace.unwrap_or_else(|| format!("{name}'s workspace"));
            let meta = RequestMeta { user_agent: Some("zenalto admin".into()), ..RequestMeta::default() };
            let created = services.create_account(&email, &name, &hash, &workspace, true, &meta).await?;
            println!("created user {} ({}) owning workspace {}", created.user_id, created.email, created.workspace_id);
            services.db.close().await;
        }
        AdminCommand::ResetPassword { email, password } => {
            let password = password_or_stdin(password)?;
            let services = services(settings).await?;
            services.admin_set_password(&email, &password).await.map_err(|e| match e {
                zenalto_services::ServiceError::NotFound => anyhow::anyhow!("no user has the e-mail address {email}"),
                e => e.into(),
            })?;
            println!("password set for {email}; all of their sessions were signed out");
            services.db.close().await;
        }
        AdminCommand::RotateKey => {
            let mut keys = Keys::load_or_generate(settings)?;
            let new_id = keys.add_encryption_key()?;
            let services = services(settings).await?;
            let count = services.reencrypt_secrets().await?;
            println!("encryption key {new_id} is now active; re-encrypted {count} stored secrets");
            services.db.close().await;
        }
        AdminCommand::Outbox { to, limit } => {
            let services = services(settings).await?;
            let mut conn = services.db.read().await?;
            let mails = outbox::recent(&mut conn, to.as_deref(), limit.clamp(1, 500)).await?;
            if mails.is_empty() {
                println!("the outbox is empty");
            }
            for mail in mails {
                println!("── {} · {} · to {} · {}", mail.created_at, mail.status, mail.to_address, mail.subject);
                if !mail.body.is_empty() {
                    println!("{}", mail.body.trim_end());
                }
                if let Some(error) = mail.last_error {
                    println!("(last error: {error})");
                }
            }
            drop(conn);
            services.db.close().await;
        }
    }
    Ok(())
}
