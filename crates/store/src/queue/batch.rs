//! Set-based statements for the publishing worker's batch path: one statement per step for a
//! whole claimed batch instead of one per job, so a batch costs a handful of round trips and two
//! commits. Rows span workspaces (a claim does), so every statement names the batch's
//! workspaces beside its ids, never bare ids alone (`Lists`). `UPDATE … FROM (VALUES …)` works on
//! PostgreSQL and on SQLite (3.33+). Placeholders come from `Binds`, in the order values are bound.

use sqlx::AnyConnection;
use zenalto_domain::{AttemptId, JobId, Timestamp, WorkspaceId};

use super::binds::Binds;
use crate::{
    Backend, Result,
    repo::{attempts::AttemptRow, posts::PostRow, social_accounts::SocialAccountRow, targets::TargetRow},
};

/// A `(workspace_id, id)` pair.
pub type Key = (WorkspaceId, String);

/// The rows of a batch, as the plain lists its statements match on: the ids and, deduplicated,
/// the workspaces they belong to.
///
/// Every statement below names both: `column IN (ids) AND workspace_id IN (workspaces)`, so no
/// statement can reach outside the batch's workspaces. The pairing itself holds by construction
/// (a job's post and target ids were written in the same transaction as the post, in its
/// workspace) and the readers check it again on the rows they get back.
///
/// Plain lists rather than `(workspace_id, id) IN (VALUES …)` because of what PostgreSQL's
/// planner makes of each: an id list on an indexed column is priced as that many index lookups,
/// while for the VALUES pairs it chose, as its estimates went, either to scan and hash the whole
/// table for every batch or to compare every row with every pair (256 × 256 for a batch).
/// Both were measured on the benchmark (docs/benchmarks.md).
struct Lists {
    ids: Vec<String>,
    workspaces: Vec<String>,
}

impl Lists {
    fn of(keys: &[Key]) -> Self {
        let mut workspaces: Vec<String> = keys.iter().map(|(ws, _)| ws.to_string()).collect();
        workspaces.sort_unstable();
        workspaces.dedup();
        Self { ids: keys.iter().map(|(_, id)| id.clone()).collect(), workspaces }
    }

    /// `column IN (…) AND workspace_id IN (…)`, its placeholders in the order `bind_lists!`
    /// binds the values.
    fn matching(&self, column: &str, binds: &mut Binds) -> String {
        format!("{column} IN ({}) AND workspace_id IN ({})", binds.list(self.ids.len()), binds.list(self.workspaces.len()))
    }
}

macro_rules! bind_lists {
    ($query:expr, $lists:expr) => {{
        let mut q = $query;
        for value in $lists.ids.iter().chain(&$lists.workspaces) {
            q = q.bind(value.clone());
        }
        q
    }};
}

/// The posts, row-locked on PostgreSQL until the transaction ends (see `posts::get_for_update`).
/// Locks rows in id order, so two transactions locking overlapping batches wait for each other
/// instead of deadlocking.
pub async fn posts_for_update(conn: &mut AnyConnection, backend: Backend, keys: &[Key]) -> Result<Vec<PostRow>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let lock = if backend == Backend::Postgres { " FOR UPDATE" } else { "" };
    let lists = Lists::of(keys);
    let sql = format!(
        "SELECT id, workspace_id, author_id, status, content, campaign, tags, notes, scheduled_at, time_zone, local_time, recurrence, version, \
         created_at, updated_at, deleted_at FROM posts WHERE {} AND deleted_at IS NULL ORDER BY id{lock}",
        lists.matching("id", &mut Binds::for_connection(conn))
    );
    Ok(bind_lists!(sqlx::query_as::<_, PostRow>(sqlx::AssertSqlSafe(sql)), lists).fetch_all(conn).await?)
}

/// Every target of the given posts.
pub async fn targets_of_posts(conn: &mut AnyConnection, posts: &[Key]) -> Result<Vec<TargetRow>> {
    if posts.is_empty() {
        return Ok(Vec::new());
    }
    let lists = Lists::of(posts);
    let sql = format!(
        "SELECT id, post_id, account_id, network, overrides, status, error, platform_post_id, platform_url, published_at \
         FROM post_targets WHERE {}",
        lists.matching("post_id", &mut Binds::for_connection(conn))
    );
    Ok(bind_lists!(sqlx::query_as::<_, TargetRow>(sqlx::AssertSqlSafe(sql)), lists).fetch_all(conn).await?)
}

pub async fn accounts(conn: &mut AnyConnection, keys: &[Key]) -> Result<Vec<SocialAccountRow>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let lists = Lists::of(keys);
    let sql = format!(
        "SELECT {} FROM social_accounts WHERE {} AND disconnected_at IS NULL",
        crate::repo::social_accounts::COLUMNS,
        lists.matching("id", &mut Binds::for_connection(conn))
    );
    Ok(bind_lists!(sqlx::query_as::<_, SocialAccountRow>(sqlx::AssertSqlSafe(sql)), lists).fetch_all(conn).await?)
}

/// Attempts still `pending` (outcome unknown) of the given targets.
pub async fn pending_attempts(conn: &mut AnyConnection, targets: &[Key]) -> Result<Vec<AttemptRow>> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let lists = Lists::of(targets);
    let sql = format!(
        "SELECT id, target_id, idempotency_key, outcome, platform_post_id, error, started_at FROM publish_attempts \
         WHERE {} AND outcome = 'pending'",
        lists.matching("target_id", &mut Binds::for_connection(conn))
    );
    Ok(bind_lists!(sqlx::query_as::<_, AttemptRow>(sqlx::AssertSqlSafe(sql)), lists).fetch_all(conn).await?)
}

pub struct NewAttempt {
    pub id: AttemptId,
    pub workspace_id: WorkspaceId,
    pub target_id: String,
    pub job_id: JobId,
    pub idempotency_key: String,
}

/// Commits the `pending` attempts of a batch in one statement.
pub async fn begin_attempts(conn: &mut AnyConnection, attempts: &[NewAttempt], now: Timestamp) -> Result<()> {
    if attempts.is_empty() {
        return Ok(());
    }
    let mut binds = Binds::for_connection(conn);
    let rows: Vec<String> = attempts.iter().map(|_| format!("({}, 'pending', {})", binds.list(5), binds.next())).collect();
    let sql = format!("INSERT INTO publish_attempts (id, workspace_id, target_id, job_id, idempotency_key, outcome, started_at) VALUES {}", rows.join(", "));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for a in attempts {
        q = q.bind(a.id.to_string()).bind(a.workspace_id.to_string()).bind(a.target_id.clone()).bind(a.job_id.to_string()).bind(a.idempotency_key.clone()).bind(now.as_millis());
    }
    q.execute(conn).await?;
    Ok(())
}

/// Sets a status on unpublished targets.
pub async fn set_target_status(conn: &mut AnyConnection, targets: &[Key], status: &str, now: Timestamp) -> Result<()> {
    if targets.is_empty() {
        return Ok(());
    }
    let lists = Lists::of(targets);
    let mut binds = Binds::for_connection(conn);
    let sql = format!(
        "UPDATE post_targets SET status = {}, error = NULL, updated_at = {} WHERE {} AND status <> 'published'",
        binds.next(),
        binds.next(),
        lists.matching("id", &mut binds)
    );
    bind_lists!(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(status).bind(now.as_millis()), lists).execute(conn).await?;
    Ok(())
}

pub async fn set_post_status(conn: &mut AnyConnection, posts: &[Key], status: &str, now: Timestamp) -> Result<()> {
    if posts.is_empty() {
        return Ok(());
    }
    let lists = Lists::of(posts);
    let mut binds = Binds::for_connection(conn);
    let sql = format!("UPDATE posts SET status = {}, updated_at = {} WHERE {} AND status <> {}", binds.next(), binds.next(), lists.matching("id", &mut binds), binds.next());
    bind_lists!(sqlx::query(sqlx::AssertSqlSafe(sql)).bind(status).bind(now.as_millis()), lists).bind(status).execute(conn).await?;
    Ok(())
}

/// Ends jobs `owner` still holds; returns the ids it held (a lost lease is left alone).
///
/// "Still holds" is `lease_owner = owner` alone: the claim sets `lease_owner` with `running`,
/// and everything that ends or requeues a run clears it. Naming `state = 'running'` as well lets
/// the planner use the partial index of running jobs, and with statistics gathered before a
/// burst (when none ran) it did: each batch walked every running job's entry, dead ones of jobs
/// finished earlier included, and compared it with the whole id list (docs/benchmarks.md).
pub async fn finish_jobs(conn: &mut AnyConnection, jobs: &[JobId], owner: &str, state: &str, error: Option<&str>, now: Timestamp) -> Result<Vec<String>> {
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    let mut binds = Binds::for_connection(conn);
    let sql = format!(
        "UPDATE jobs SET state = {}, last_error = {}, finished_at = {}, lease_owner = NULL, lease_expires_at = NULL \
         WHERE lease_owner = {} AND id IN ({}) RETURNING id",
        binds.next(),
        binds.next(),
        binds.next(),
        binds.next(),
        binds.list(jobs.len())
    );
    let mut q = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(sql)).bind(state).bind(error.map(str::to_owned)).bind(now.as_millis()).bind(owner);
    for j in jobs {
        q = q.bind(j.to_string());
    }
    Ok(q.fetch_all(conn).await?.into_iter().map(|(id,)| id).collect())
}

/// Ends succeeded jobs `owner` still holds by deleting them (see `queue::succeed`); returns the
/// ids it held.
pub async fn succeed_jobs(conn: &mut AnyConnection, jobs: &[JobId], owner: &str) -> Result<Vec<String>> {
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    let mut binds = Binds::for_connection(conn);
    let sql = format!("DELETE FROM jobs WHERE lease_owner = {} AND id IN ({}) RETURNING id", binds.next(), binds.list(jobs.len()));
    let mut q = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(sql)).bind(owner);
    for j in jobs {
        q = q.bind(j.to_string());
    }
    Ok(q.fetch_all(conn).await?.into_iter().map(|(id,)| id).collect())
}

/// One published outcome: the attempt, its target, and where the post now lives.
pub struct PublishedRow {
    pub workspace_id: WorkspaceId,
    pub attempt_id: AttemptId,
    pub target_id: String,
    pub platform_post_id: String,
    pub url: Option<String>,
}

/// Records published attempts and their targets in two statements.
pub async fn record_published(conn: &mut AnyConnection, rows: &[PublishedRow], now: Timestamp) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    // VALUES columns are column1, column2, … on both backends. The id list beside them is there
    // for the planner (see `Lists`).
    let values = |binds: &mut Binds, width: usize| -> String {
        let rows: Vec<String> = rows.iter().map(|_| format!("({})", binds.list(width))).collect();
        format!("(VALUES {}) AS v", rows.join(", "))
    };
    let mut binds = Binds::for_connection(conn);
    let sql = format!(
        "UPDATE publish_attempts SET outcome = 'published', platform_post_id = v.column3, finished_at = {} \
         FROM {} WHERE publish_attempts.workspace_id = v.column1 AND publish_attempts.id = v.column2 AND publish_attempts.id IN ({})",
        binds.next(),
        values(&mut binds, 3),
        binds.list(rows.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now.as_millis());
    for r in rows {
        q = q.bind(r.workspace_id.to_string()).bind(r.attempt_id.to_string()).bind(r.platform_post_id.clone());
    }
    for r in rows {
        q = q.bind(r.attempt_id.to_string());
    }
    q.execute(&mut *conn).await?;
    let mut binds = Binds::for_connection(conn);
    let sql = format!(
        "UPDATE post_targets SET status = 'published', error = NULL, platform_post_id = v.column3, platform_url = v.column4, published_at = {}, updated_at = {} \
         FROM {} WHERE post_targets.workspace_id = v.column1 AND post_targets.id = v.column2 AND post_targets.id IN ({})",
        binds.next(),
        binds.next(),
        values(&mut binds, 4),
        binds.list(rows.len())
    );
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now.as_millis()).bind(now.as_millis());
    for r in rows {
        q = q.bind(r.workspace_id.to_string()).bind(r.target_id.clone()).bind(r.platform_post_id.clone()).bind(r.url.clone());
    }
    for r in rows {
        q = q.bind(r.target_id.clone());
    }
    q.execute(conn).await?;
    Ok(())
}

/// Targets' statuses of the given posts (to settle each post's own status).
pub async fn target_statuses(conn: &mut AnyConnection, posts: &[Key]) -> Result<Vec<(String, String, Option<String>, String)>> {
    if posts.is_empty() {
        return Ok(Vec::new());
    }
    let lists = Lists::of(posts);
    let sql = format!("SELECT post_id, status, error, network FROM post_targets WHERE {}", lists.matching("post_id", &mut Binds::for_connection(conn)));
    Ok(bind_lists!(sqlx::query_as::<_, (String, String, Option<String>, String)>(sqlx::AssertSqlSafe(sql)), lists).fetch_all(conn).await?)
}

/// E-mail address and name of each of the given users.
pub async fn people(conn: &mut AnyConnection, users: &[String]) -> Result<Vec<(String, String, String)>> {
    if users.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT id, email, name FROM users WHERE id IN ({})", Binds::for_connection(conn).list(users.len()));
    let mut q = sqlx::query_as::<_, (String, String, String)>(sqlx::AssertSqlSafe(sql));
    for u in users {
        q = q.bind(u.clone());
    }
    Ok(q.fetch_all(conn).await?)
}

pub struct NewNotice {
    pub workspace_id: WorkspaceId,
    pub user_id: String,
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    pub post_id: String,
    /// Also e-mailed to this address (through the mail outbox).
    pub email: Option<(String, String)>,
}

/// In-app notifications and their e-mails, in two statements.
pub async fn notify(conn: &mut AnyConnection, notices: &[NewNotice], now: Timestamp) -> Result<()> {
    if notices.is_empty() {
        return Ok(());
    }
    let mut binds = Binds::for_connection(conn);
    let rows: Vec<String> = notices.iter().map(|_| format!("({})", binds.list(8))).collect();
    let sql = format!("INSERT INTO notifications (id, workspace_id, user_id, kind, title, body, post_id, created_at) VALUES {}", rows.join(", "));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for n in notices {
        q = q
            .bind(zenalto_domain::NotificationId::new().to_string())
            .bind(n.workspace_id.to_string())
            .bind(n.user_id.clone())
            .bind(n.kind)
            .bind(n.title.clone())
            .bind(n.body.clone())
            .bind(n.post_id.clone())
            .bind(now.as_millis());
    }
    q.execute(&mut *conn).await?;
    let mails: Vec<&(String, String)> = notices.iter().filter_map(|n| n.email.as_ref()).collect();
    if mails.is_empty() {
        return Ok(());
    }
    let mut binds = Binds::for_connection(conn);
    let rows: Vec<String> = mails.iter().map(|_| format!("({}, 'pending', {})", binds.list(4), binds.list(2))).collect();
    let sql = format!("INSERT INTO outbox_emails (id, to_address, subject, body, status, next_attempt_at, created_at) VALUES {}", rows.join(", "));
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
    for n in notices {
        let Some((to, name)) = &n.email else { continue };
        q = q
            .bind(zenalto_domain::MailId::new().to_string())
            .bind(to.clone())
            .bind(format!("Zenalto: {}", n.title))
            .bind(format!("Hello {name},\n\n{}\n", n.body))
            .bind(now.as_millis())
            .bind(now.as_millis());
    }
    q.execute(conn).await?;
    Ok(())
}
