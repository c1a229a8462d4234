//! The worker's batch path: the same three steps as `worker.rs`, for a whole claimed batch at
//! once, with set-based statements (`store::queue::batch`) so a batch costs two commits and a
//! handful of round trips instead of several per post. Only the ordinary case runs here: a job
//! whose target has an attempt of unknown outcome, a network with no connector, or a post that
//! no longer validates goes through the one-by-one path (`Services::run_job`), and so does every
//! failed network call when its outcome is recorded. The guarantees are the same: the post is
//! re-read under lock and its version checked in the transaction that commits the attempts, and
//! nothing is sent before that commit.

use std::{collections::HashMap, sync::Arc};

use zenalto_domain::{
    AttemptId, JobId, Timestamp, WorkspaceId,
    posts::{PostStatus, TargetStatus},
    publishing::Network,
};
use zenalto_networks::{AccountContext, Connector, PublishError, PublishRequest, Published};
use zenalto_store::{
    StoreError,
    queue::{self, JobRow, batch},
};

use super::{PostEvent, load, recurring, schedule, worker::{JobOutcome, Work}};
use crate::{Result, ServiceError, Services};

/// A job whose attempt is committed and whose network call may start.
pub struct Ready {
    work: Box<Work>,
    attempt: AttemptId,
    request: PublishRequest,
    connector: Arc<dyn Connector>,
}

impl Ready {
    /// The account whose per-account concurrency budget the call counts against.
    pub fn account_key(&self) -> String {
        self.work.account.account_id.to_string()
    }

    /// The network whose rate budget the call counts against.
    pub fn network_key(&self) -> String {
        self.work.account.network.to_string()
    }
}

/// A prepared batch.
pub struct Prepared {
    pub ready: Vec<Ready>,
    /// Jobs for the one-by-one path (`Services::run_job`).
    pub one_by_one: Vec<JobRow>,
    /// Jobs that ended without a network call (superseded, already published).
    pub done: Vec<JobOutcome>,
}

impl Services {
    /// Step 1 for a batch: re-read posts under lock, drop stale jobs, commit the attempts.
    pub async fn prepare_batch(&self, jobs: Vec<JobRow>, owner: &str) -> Result<Prepared> {
        let now = self.now();
        let mut prepared = Prepared { ready: Vec::new(), one_by_one: Vec::new(), done: Vec::new() };
        let (jobs, other): (Vec<JobRow>, Vec<JobRow>) = jobs.into_iter().partition(|j| j.kind == queue::PUBLISH && j.post_id.is_some() && j.target_id.is_some());
        prepared.one_by_one.extend(other);
        if jobs.is_empty() {
            return Ok(prepared);
        }
        let mut tx = self.db.begin().await?;
        let post_keys = unique(jobs.iter().map(|j| (j.workspace_id, j.post_id.clone().unwrap_or_default())));
        let posts: HashMap<String, _> = batch::posts_for_update(&mut tx, self.db.backend(), &post_keys).await?.into_iter().map(|p| (p.id.to_string(), p)).collect();
        let found: Vec<batch::Key> = posts.values().map(|p| (p.workspace_id, p.id.to_string())).collect();
        let mut targets_by_post: HashMap<String, Vec<super::TargetView>> = HashMap::new();
        for row in batch::targets_of_posts(&mut tx, &found).await? {
            targets_by_post.entry(row.post_id.to_string()).or_default().push(load::target_view(row)?);
        }
        let account_keys = unique(jobs.iter().filter_map(|j| j.account_id.clone().map(|a| (j.workspace_id, a))));
        let accounts: HashMap<String, _> = batch::accounts(&mut tx, &account_keys).await?.into_iter().map(|a| (a.id.to_string(), a)).collect();
        // An attempt is only begun in the transaction that sets its target to `publishing`, and
        // the target keeps that status until the attempt is settled (edits are refused while one
        // is pending). So only targets already `publishing` can have an attempt to verify; in the
        // ordinary case (every target `scheduled`) the ledger need not be read at all.
        let in_progress: Vec<batch::Key> = jobs
            .iter()
            .filter_map(|j| Some((j.workspace_id, j.post_id.as_deref()?, j.target_id.clone()?)))
            .filter(|(_, post, target)| targets_by_post.get(*post).is_some_and(|ts| ts.iter().any(|t| t.id.to_string() == *target && t.status == TargetStatus::Publishing)))
            .map(|(ws, _, target)| (ws, target))
            .collect();
        let unsettled: std::collections::HashSet<String> = batch::pending_attempts(&mut tx, &in_progress).await?.into_iter().map(|a| a.target_id.to_string()).collect();

        let (mut stale, mut already) = (Vec::new(), Vec::new());
        let mut attempts = Vec::new();
        for job in jobs {
            let (post_id, target_id) = (job.post_id.clone().unwrap_or_default(), job.target_id.clone().unwrap_or_default());
            // The statements matched on plain id lists (`store::queue::batch::Lists`): the
            // workspace of each row is checked here, with the version.
            let Some(row) = posts.get(&post_id).filter(|p| p.workspace_id == job.workspace_id && p.version == job.post_version) else {
                stale.push(job.id);
                continue;
            };
            let targets = targets_by_post.get(&post_id).cloned().unwrap_or_default();
            let Some(target) = targets.iter().find(|t| t.id.to_string() == target_id).cloned() else {
                stale.push(job.id);
                continue;
            };
            if target.status == TargetStatus::Published {
                already.push(job.id);
                continue;
            }
            let account = accounts.get(&target.account_id.to_string()).filter(|a| a.workspace_id == job.workspace_id);
            let connector = self.connectors.get(target.network);
            let post = load::post_view(row.clone(), targets)?;
            let (report, parts) = schedule::evaluate(&post, &target);
            // Real networks need their token opened and media loaded: the one-by-one path does
            // that; the batch path is for the sandbox's volume.
            let real_network = target.network != Network::Sandbox;
            let (Some(account), Some(connector), false, false, false) = (account, connector, unsettled.contains(&target_id), report.blocks_scheduling(), real_network) else {
                // Unusual: verification, a missing connector or account, a post that no longer
                // validates, or a real network. The one-by-one path handles each of these.
                prepared.one_by_one.push(job);
                continue;
            };
            let content = post.content.for_target(target.overrides.as_ref());
            let work = Work {
                workspace: job.workspace_id,
                job: job.id,
                attempt_no: job.attempt,
                max_attempts: job.max_attempts,
                idempotency_key: format!("zenalto-{}-v{}", target.id, post.version),
                account: AccountContext {
                    workspace_id: job.workspace_id,
                    account_id: target.account_id,
                    network: account.network.parse::<Network>().map_err(ServiceError::internal)?,
                    handle: account.handle.clone(),
                    platform_account_id: String::new(),
                    instance_url: None,
                    access_token: None,
                },
                post,
                target,
            };
            let request = PublishRequest {
                idempotency_key: work.idempotency_key.clone(),
                parts,
                media_ids: content.media_ids.clone(),
                media: Vec::new(),
                link: content.link.clone(),
                first_comment: content.first_comment.clone(),
                title: content.title.clone(),
            };
            let attempt = AttemptId::new();
            attempts.push(batch::NewAttempt { id: attempt, workspace_id: work.workspace, target_id: work.target.id.to_string(), job_id: work.job, idempotency_key: work.idempotency_key.clone() });
            prepared.ready.push(Ready { work: Box::new(work), attempt, request, connector });
        }
        batch::begin_attempts(&mut tx, &attempts, now).await?;
        let publishing_targets: Vec<batch::Key> = prepared.ready.iter().map(|r| (r.work.workspace, r.work.target.id.to_string())).collect();
        batch::set_target_status(&mut tx, &publishing_targets, TargetStatus::Publishing.as_str(), now).await?;
        let publishing_posts = unique(prepared.ready.iter().map(|r| (r.work.workspace, r.work.post.id.to_string())));
        batch::set_post_status(&mut tx, &publishing_posts, PostStatus::Publishing.as_str(), now).await?;
        batch::finish_jobs(&mut tx, &stale, owner, "superseded", Some("the post was deleted or changed"), now).await?;
        batch::finish_jobs(&mut tx, &already, owner, "done", None, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        prepared.done.extend(stale.iter().map(|_| JobOutcome::Superseded));
        prepared.done.extend(already.iter().map(|_| JobOutcome::AlreadyPublished));
        for r in &prepared.ready {
            self.emit(PostEvent { workspace_id: r.work.workspace, kind: "target.publishing", post_id: r.work.post.id, target_id: Some(r.work.target.id), status: "publishing".into(), detail: None, at: now });
        }
        Ok(prepared)
    }

    /// Step 2: the network call of one prepared job, with the time limit.
    pub async fn call_network(&self, ready: &Ready) -> Result<Published, PublishError> {
        self.with_time_limit(ready.connector.publish(&ready.work.account, &ready.request)).await
    }

    /// Step 3 for a batch: published outcomes in one transaction; failures one by one.
    pub async fn record_batch(&self, results: Vec<(Ready, Result<Published, PublishError>)>, owner: &str) -> Result<Vec<JobOutcome>> {
        let mut outcomes = Vec::with_capacity(results.len());
        let mut published = Vec::new();
        for (ready, result) in results {
            match result {
                Ok(p) => published.push((ready, p)),
                Err(e) => outcomes.push(self.record(&ready.work, owner, ready.attempt, Err(e)).await?),
            }
        }
        if published.is_empty() {
            return Ok(outcomes);
        }
        let now = self.now();
        let mut posts: HashMap<String, &Work> = HashMap::new();
        for (ready, _) in &published {
            posts.entry(ready.work.post.id.to_string()).or_insert(&ready.work);
        }
        // A post whose only target is the one just published is published: nothing else can have
        // changed it (the target is leased to this worker and edits are refused while it runs).
        let (single, several): (Vec<&Work>, Vec<&Work>) = posts.into_values().partition(|w| w.post.targets.len() == 1);
        let mut tx = self.db.begin().await?;
        // The posts first, as every other writer does (prepare, edits). Writing the single-target
        // posts' new status takes their row locks too. The others are locked until their status
        // is settled from all their targets below: two transactions settling targets of one post
        // must not both read the other's target as still publishing and leave it `publishing`.
        batch::set_post_status(&mut tx, &keys(&single), PostStatus::Published.as_str(), now).await?;
        batch::posts_for_update(&mut tx, self.db.backend(), &keys(&several)).await?;
        let rows: Vec<batch::PublishedRow> = published
            .iter()
            .map(|(r, p)| batch::PublishedRow { workspace_id: r.work.workspace, attempt_id: r.attempt, target_id: r.work.target.id.to_string(), platform_post_id: p.platform_post_id.clone(), url: p.url.clone() })
            .collect();
        batch::record_published(&mut tx, &rows, now).await?;
        let job_ids: Vec<JobId> = published.iter().map(|(r, _)| r.work.job).collect();
        let held: std::collections::HashSet<String> = batch::succeed_jobs(&mut tx, &job_ids, owner).await?.into_iter().collect();
        let mut settled: Vec<Settled> = single.iter().map(|w| Settled { work: w, status: PostStatus::Published, failures: String::new() }).collect();
        settled.extend(self.settle_from_targets(&mut tx, &several, now).await?);
        self.after_ended(&mut tx, &settled, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        for (ready, p) in &published {
            let w = &ready.work;
            self.emit(PostEvent { workspace_id: w.workspace, kind: "target.published", post_id: w.post.id, target_id: Some(w.target.id), status: "published".into(), detail: p.url.clone(), at: now });
            outcomes.push(if held.contains(&w.job.to_string()) { JobOutcome::Published } else { JobOutcome::LeaseLost });
        }
        for s in &settled {
            self.emit(PostEvent { workspace_id: s.work.workspace, kind: "post.status", post_id: s.work.post.id, target_id: None, status: s.status.to_string(), detail: None, at: now });
        }
        Ok(outcomes)
    }

    /// The status of each post with several targets, from all its targets' statuses (read under
    /// the post's lock). Returns the posts no longer publishing, with their status.
    async fn settle_from_targets<'w>(&self, conn: &mut zenalto_store::Conn, posts: &[&'w Work], now: Timestamp) -> Result<Vec<Settled<'w>>> {
        let mut targets: HashMap<String, Vec<(TargetStatus, Option<String>, String)>> = HashMap::new();
        for (post, status, error, network) in batch::target_statuses(conn, &keys(posts)).await? {
            targets.entry(post).or_default().push((status.parse().map_err(ServiceError::internal)?, error, network));
        }
        let mut by_status: HashMap<PostStatus, Vec<batch::Key>> = HashMap::new();
        let mut settled = Vec::new();
        for w in posts {
            let of_post = targets.get(&w.post.id.to_string()).map(Vec::as_slice).unwrap_or_default();
            let status = PostStatus::from_targets(&of_post.iter().map(|(s, _, _)| *s).collect::<Vec<_>>());
            if status == PostStatus::Publishing {
                continue;
            }
            by_status.entry(status).or_default().push((w.workspace, w.post.id.to_string()));
            let failures: Vec<String> = of_post.iter().filter_map(|(_, e, n)| e.as_ref().map(|e| format!("{n}: {e}"))).collect();
            settled.push(Settled { work: w, status, failures: failures.join("\n") });
        }
        for (status, keys) in &by_status {
            batch::set_post_status(conn, keys, status.as_str(), now).await?;
        }
        Ok(settled)
    }

    /// Posts that ended notify their author and schedule their next occurrence.
    async fn after_ended(&self, conn: &mut zenalto_store::Conn, settled: &[Settled<'_>], now: Timestamp) -> Result<()> {
        let ended: Vec<(&Work, PostStatus, String)> = settled
            .iter()
            .filter(|s| matches!(s.status, PostStatus::Published | PostStatus::PartiallyPublished | PostStatus::Failed))
            .map(|s| (s.work, s.status, s.failures.clone()))
            .collect();
        self.notify_ended(conn, &ended, now).await?;
        for (w, _, _) in &ended {
            if w.post.recurrence.is_some() {
                recurring::schedule_next(conn, self, &w.post).await?;
            }
        }
        Ok(())
    }

    async fn notify_ended(&self, conn: &mut zenalto_store::Conn, ended: &[(&Work, PostStatus, String)], now: Timestamp) -> Result<()> {
        let authors: Vec<String> = unique(ended.iter().filter_map(|(w, _, _)| w.post.author_id.map(|a| (w.workspace, a.to_string())))).into_iter().map(|(_, a)| a).collect();
        let people: HashMap<String, (String, String)> = batch::people(conn, &authors).await?.into_iter().map(|(id, email, name)| (id, (email, name))).collect();
        let base = self.settings.server.public_url.trim_end_matches('/').to_owned();
        let notices: Vec<batch::NewNotice> = ended
            .iter()
            .filter_map(|(w, status, detail)| {
                let author = w.post.author_id?.to_string();
                let (kind, title) = super::notify::headline(&w.post, *status);
                let link = format!("{base}/posts/{}", w.post.id);
                let body = if detail.is_empty() { link } else { format!("{detail}\n\n{link}") };
                Some(batch::NewNotice { workspace_id: w.workspace, email: people.get(&author).cloned(), user_id: author, kind, title, body, post_id: w.post.id.to_string() })
            })
            .collect();
        batch::notify(conn, &notices, now).await?;
        if notices.iter().any(|n| n.email.is_some()) {
            self.mail_wakeup.notify_one();
        }
        Ok(())
    }
}

/// A post whose status a recorded batch set.
struct Settled<'w> {
    work: &'w Work,
    status: PostStatus,
    /// "network: error" of each failed target, for the author's notice.
    failures: String,
}

/// The `(workspace, post id)` keys of the given posts.
fn keys(posts: &[&Work]) -> Vec<batch::Key> {
    posts.iter().map(|w| (w.workspace, w.post.id.to_string())).collect()
}

fn unique<K: Clone + Eq + std::hash::Hash>(items: impl Iterator<Item = (WorkspaceId, K)>) -> Vec<(WorkspaceId, K)> {
    let mut seen = std::collections::HashSet::new();
    items.filter(|(ws, k)| seen.insert((*ws, k.clone()))).collect()
}
