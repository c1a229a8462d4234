//! The worker's side of publishing, one job (one target) at a time:
//!
//! 1. In one transaction: re-read the post (row-locked on PostgreSQL) and stop if it was deleted
//!    or edited since the job was written; otherwise commit a `pending` attempt with the target's
//!    idempotency key. Nothing reaches a network without that row.
//! 2. If an earlier attempt is still `pending` (its worker timed out or died mid-call), ask the
//!    network whether the post exists before anything else (by what the attempt sent, so a
//!    restarted worker can check too): found means published, not found means that attempt
//!    failed and a new one may start (or, with the attempts used up, the target fails). A target
//!    never fails while an attempt's outcome is unknown: the post may be live, so the job keeps
//!    coming back to verify it, past `max_attempts` if need be.
//! 3. Call the network (with a time limit), then record the outcome, the target's and post's new
//!    status, the job's end or retry, and notifications — in one transaction.

use std::time::Duration;

use zenalto_domain::{
    AccountId, JobId, PostId, TargetId, Timestamp,
    posts::{PostStatus, TargetStatus},
    publishing::Report,
};
use zenalto_networks::{AccountContext, Lookup, PublishError, PublishRequest, Published};
use zenalto_store::{
    Conn, StoreError,
    queue::{self, JobRow},
    repo::{attempts, posts, social_accounts, targets},
};

use super::{PostEvent, PostView, load, notify, schedule};
use crate::{Result, ServiceError, Services, connections::Health};

/// How a job ended this time round (for logs, metrics and tests).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JobOutcome {
    Published,
    /// The post was deleted or changed after the job was written; nothing was sent.
    Superseded,
    AlreadyPublished,
    Retrying { at: Timestamp },
    Failed { reason: String },
    /// The lease was lost to another worker before the outcome could be recorded on the job.
    LeaseLost,
}

pub(super) struct Work {
    pub(super) workspace: zenalto_domain::WorkspaceId,
    pub(super) job: JobId,
    pub(super) attempt_no: i64,
    pub(super) max_attempts: i64,
    pub(super) post: PostView,
    pub(super) target: super::TargetView,
    pub(super) account: AccountContext,
    pub(super) idempotency_key: String,
}

/// Why a job goes back to the queue, which decides whether it may fail there instead.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Retry {
    /// The call failed: counts against `max_attempts`, and fails the target once they are used up.
    Counted,
    /// The network said "too many requests": not the post's fault, so the attempt is given back.
    RateLimited,
    /// An attempt's outcome is unknown. The target can't fail now — the post may be live — so
    /// the job comes back to verify it, however many attempts were used (`verify` decides then).
    Verify,
}

enum Step {
    Done(JobOutcome),
    Call { work: Box<Work>, attempt: zenalto_domain::AttemptId },
    Verify { work: Box<Work>, pending: Vec<attempts::AttemptRow> },
}

impl Services {
    /// Claims up to `limit` due jobs for `owner`.
    pub async fn claim_jobs(&self, owner: &str, limit: i64) -> Result<Vec<JobRow>> {
        let now = self.now();
        let lease = now.plus_seconds(self.settings.publishing.lease_secs.max(5));
        let mut tx = self.db.begin().await?;
        let jobs = queue::claim(&mut tx, self.db.backend(), owner, now, lease, limit).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(jobs)
    }

    /// Extends the leases `owner` holds on `jobs` (the ones it is still working on).
    pub async fn heartbeat_jobs(&self, owner: &str, jobs: &[JobId]) -> Result<u64> {
        if jobs.is_empty() {
            return Ok(0);
        }
        let lease = self.now().plus_seconds(self.settings.publishing.lease_secs.max(5));
        let mut tx = self.db.begin().await?;
        let n = queue::heartbeat(&mut tx, owner, jobs, lease).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(n)
    }

    /// Returns jobs of dead workers to the queue.
    pub async fn rescue_expired_jobs(&self) -> Result<u64> {
        let mut tx = self.db.begin().await?;
        let n = queue::rescue_expired(&mut tx, self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        if n > 0 {
            tracing::warn!(jobs = n, "re-queued jobs whose worker stopped holding their lease");
        }
        Ok(n)
    }

    pub async fn next_job_due(&self) -> Result<Option<Timestamp>> {
        let mut conn = self.db.read().await?;
        Ok(queue::next_due(&mut conn).await?)
    }

    /// Runs one claimed job to its next resting point.
    pub async fn run_job(&self, job: JobRow, owner: &str) -> Result<JobOutcome> {
        match job.kind.as_str() {
            queue::PUBLISH => self.run_publish(job, owner).await,
            other => {
                let reason = format!("unknown job kind {other}");
                self.finish_job(job.id, owner, "failed", Some(&reason)).await?;
                Ok(JobOutcome::Failed { reason })
            }
        }
    }

    async fn run_publish(&self, job: JobRow, owner: &str) -> Result<JobOutcome> {
        let (work, attempt) = match self.prepare(&job, owner).await? {
            Step::Done(outcome) => return Ok(outcome),
            Step::Call { work, attempt } => (work, attempt),
            Step::Verify { work, pending } => match self.verify(&job, owner, work, pending).await? {
                Step::Call { work, attempt } => (work, attempt),
                Step::Done(outcome) => return Ok(outcome),
                Step::Verify { .. } => return Err(ServiceError::internal("verification did not settle")),
            },
        };
        let Some(connector) = self.connectors.get(work.account.network) else {
            return self.record(&work, owner, attempt, Err(PublishError::Permanent { message: format!("{} is not configured on this server", work.account.network.label()) })).await;
        };
        let (report, mut request) = publish_request(&work);
        if report.blocks_scheduling() {
            let reasons: Vec<String> = report.issues.iter().filter(|i| i.severity == zenalto_domain::publishing::Severity::Error).map(|i| i.message.clone()).collect();
            return self.record(&work, owner, attempt, Err(PublishError::Permanent { message: reasons.join("; ") })).await;
        }
        // The sandbox keeps media ids; a real network gets the files made for it.
        if work.account.network != zenalto_domain::publishing::Network::Sandbox && !request.media_ids.is_empty() {
            request.media = match self.attachments(work.workspace, work.account.network, &request.media_ids).await {
                Ok(media) => media,
                Err(error) => {
                    let message = format!("the post's media cannot be prepared: {error}");
                    // A file that is gone or that the network cannot take stays so; storage trouble passes.
                    let failure = match error {
                        ServiceError::Validation(_) | ServiceError::UnsupportedMedia(_) | ServiceError::NotFound => PublishError::Permanent { message },
                        _ => PublishError::Transient { message, retry_after_secs: None },
                    };
                    return self.record(&work, owner, attempt, Err(failure)).await;
                }
            };
        }
        self.emit(PostEvent { workspace_id: work.workspace, kind: "target.publishing", post_id: work.post.id, target_id: Some(work.target.id), status: "publishing".into(), detail: None, at: self.now() });
        let result = self.with_time_limit(connector.publish(&work.account, &request)).await;
        self.record(&work, owner, attempt, result).await
    }

    pub(super) async fn with_time_limit<T>(&self, call: impl Future<Output = Result<T, PublishError>>) -> Result<T, PublishError> {
        let limit = Duration::from_secs(self.settings.publishing.network_timeout_secs.max(1));
        tokio::time::timeout(limit, call).await.unwrap_or_else(|_| Err(PublishError::Unknown { message: format!("no answer within {} s", limit.as_secs()) }))
    }

    /// Step 1: is the job still wanted, and may a network call start?
    async fn prepare(&self, job: &JobRow, owner: &str) -> Result<Step> {
        let now = self.now();
        let mut tx = self.db.begin().await?;
        let Some(work) = self.load_work(&mut tx, job).await? else {
            queue::finish(&mut tx, job.id, owner, "superseded", Some("the post was deleted or changed"), now).await?;
            tx.commit().await.map_err(StoreError::from)?;
            return Ok(Step::Done(JobOutcome::Superseded));
        };
        if work.target.status == TargetStatus::Published {
            queue::finish(&mut tx, job.id, owner, "done", None, now).await?;
            tx.commit().await.map_err(StoreError::from)?;
            return Ok(Step::Done(JobOutcome::AlreadyPublished));
        }
        let pending = attempts::pending_for_target(&mut tx, work.workspace, work.target.id).await?;
        if !pending.is_empty() {
            tx.commit().await.map_err(StoreError::from)?;
            return Ok(Step::Verify { work: Box::new(work), pending });
        }
        let attempt = self.begin_attempt(&mut tx, &work).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Step::Call { work: Box::new(work), attempt })
    }

    async fn begin_attempt(&self, conn: &mut Conn, work: &Work) -> Result<zenalto_domain::AttemptId> {
        let now = self.now();
        let attempt = attempts::begin(conn, work.workspace, work.target.id, work.job, &work.idempotency_key, now).await?;
        targets::set_status(conn, work.workspace, work.target.id, TargetStatus::Publishing.as_str(), None, now).await?;
        if work.post.status != PostStatus::Publishing {
            posts::set_status(conn, work.workspace, work.post.id, PostStatus::Publishing.as_str(), now).await?;
        }
        Ok(attempt)
    }

    /// The post, target and account of a job, or None when the job no longer stands: the post is
    /// gone, was edited or rescheduled (its version moved on), or the target was removed.
    async fn load_work(&self, conn: &mut Conn, job: &JobRow) -> Result<Option<Work>> {
        let ws = job.workspace_id;
        let (Some(post_id), Some(target_id)) = (job.post_id.as_deref(), job.target_id.as_deref()) else { return Ok(None) };
        let post_id: PostId = post_id.parse().map_err(ServiceError::internal)?;
        let target_id: TargetId = target_id.parse().map_err(ServiceError::internal)?;
        let Some(row) = posts::get_for_update(conn, self.db.backend(), ws, post_id).await? else { return Ok(None) };
        if row.version != job.post_version {
            return Ok(None);
        }
        let post = load::post(conn, row).await?;
        let Some(target) = post.targets.iter().find(|t| t.id == target_id).cloned() else { return Ok(None) };
        let account_id: AccountId = target.account_id;
        let account = match social_accounts::get(conn, ws, account_id).await? {
            // The token is opened here, for this call only.
            Some(row) => self.account_context(conn, &row).await?,
            None => AccountContext { workspace_id: ws, account_id, network: target.network, handle: String::new(), platform_account_id: String::new(), instance_url: None, access_token: None },
        };
        Ok(Some(Work {
            workspace: ws,
            job: job.id,
            attempt_no: job.attempt,
            max_attempts: job.max_attempts,
            idempotency_key: format!("zenalto-{}-v{}", target.id, post.version),
            post,
            target,
            account,
        }))
    }

    /// Step 2: settles attempts whose outcome is unknown by asking the network.
    async fn verify(&self, job: &JobRow, owner: &str, work: Box<Work>, pending: Vec<attempts::AttemptRow>) -> Result<Step> {
        let Some(connector) = self.connectors.get(work.account.network) else {
            let reason = format!("{} is not configured on this server; an earlier attempt's outcome cannot be checked", work.account.network.label());
            return Ok(Step::Done(self.retry_or_fail(&work, owner, &reason, None, Retry::Verify).await?));
        };
        // What every pending attempt sent: the job's version of the post (a post cannot be edited
        // while an attempt is pending, and an edit supersedes the job).
        let (_, request) = publish_request(&work);
        for attempt in &pending {
            let lookup = Lookup { idempotency_key: &attempt.idempotency_key, request: &request, attempted_at: attempt.started_at };
            match self.with_time_limit(connector.find_published(&work.account, &lookup)).await {
                Ok(Some(found)) => {
                    tracing::info!(target_id = %work.target.id, "an attempt with an unknown outcome had published; recorded without calling again");
                    return Ok(Step::Done(self.record(&work, owner, attempt.id, Ok(found)).await?));
                }
                Ok(None) => {
                    let mut tx = self.db.begin().await?;
                    attempts::finish(&mut tx, attempt.id, "failed", None, Some("not found on the network when verified: the call had not published"), self.now()).await?;
                    tx.commit().await.map_err(StoreError::from)?;
                }
                Err(e) => {
                    let reason = format!("could not verify an earlier attempt: {}", e.message());
                    return Ok(Step::Done(self.retry_or_fail(&work, owner, &reason, None, Retry::Verify).await?));
                }
            }
        }
        if work.attempt_no > work.max_attempts {
            // This run only came to verify the last attempt, and it had not published.
            let reason = format!("gave up after {} attempts: the last one's outcome was unknown, and the post was not found on the network", work.max_attempts);
            return Ok(Step::Done(self.fail_target(&work, owner, &reason).await?));
        }
        // Every earlier attempt is settled as not published: start a new one, re-checking the job
        // still stands in the same transaction.
        let mut tx = self.db.begin().await?;
        let Some(work) = self.load_work(&mut tx, job).await? else {
            queue::finish(&mut tx, job.id, owner, "superseded", Some("the post was deleted or changed"), self.now()).await?;
            tx.commit().await.map_err(StoreError::from)?;
            return Ok(Step::Done(JobOutcome::Superseded));
        };
        let attempt = self.begin_attempt(&mut tx, &work).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Step::Call { work: Box::new(work), attempt })
    }

    /// Step 3: records what the network said.
    pub(super) async fn record(&self, work: &Work, owner: &str, attempt: zenalto_domain::AttemptId, result: Result<Published, PublishError>) -> Result<JobOutcome> {
        let now = self.now();
        match result {
            Ok(published) => {
                let mut tx = self.db.begin().await?;
                // The post first (see `settle_post`).
                posts::get_for_update(&mut tx, self.db.backend(), work.workspace, work.post.id).await?;
                match attempts::finish(&mut tx, attempt, "published", Some(&published.platform_post_id), None, now).await {
                    Ok(()) => {}
                    // Another attempt of this target was already recorded as published.
                    Err(StoreError::Conflict(_)) => {
                        tracing::error!(target_id = %work.target.id, "the network reports a second post for a target already published");
                    }
                    Err(e) => return Err(e.into()),
                }
                targets::mark_published(&mut tx, work.workspace, work.target.id, &published.platform_post_id, published.url.as_deref(), now).await?;
                let held = queue::succeed(&mut tx, work.job, owner).await?;
                let settled = self.settle_post(&mut tx, work, "").await?;
                tx.commit().await.map_err(StoreError::from)?;
                self.emit(PostEvent { workspace_id: work.workspace, kind: "target.published", post_id: work.post.id, target_id: Some(work.target.id), status: "published".into(), detail: published.url, at: now });
                self.emit_settled(work, settled);
                Ok(if held { JobOutcome::Published } else { JobOutcome::LeaseLost })
            }
            Err(PublishError::Unknown { message }) => {
                // The attempt stays pending: the next run verifies before trying again.
                self.retry_or_fail(work, owner, &format!("outcome unknown: {message}"), None, Retry::Verify).await
            }
            Err(error) => {
                let mut tx = self.db.begin().await?;
                attempts::finish(&mut tx, attempt, "failed", None, Some(error.message()), now).await?;
                tx.commit().await.map_err(StoreError::from)?;
                match error {
                    PublishError::Permanent { message } => self.fail_target(work, owner, &message).await,
                    PublishError::Reconnect { message } => {
                        // Every post to this account would fail the same way: say so once, on the account.
                        let mut tx = self.db.begin().await?;
                        self.record_health(&mut tx, work.workspace, work.account.account_id, Health::Expired, Some(&message)).await?;
                        tx.commit().await.map_err(StoreError::from)?;
                        self.fail_target(work, owner, &message).await
                    }
                    PublishError::Transient { message, retry_after_secs } => {
                        let after = retry_after_secs.map(|s| now.plus_seconds(i64::try_from(s).unwrap_or(i64::MAX)));
                        self.retry_or_fail(work, owner, &message, after, Retry::Counted).await
                    }
                    PublishError::AppRateLimited { message, reset_at } => {
                        let reset = reset_at.unwrap_or_else(|| now.plus_seconds(60)).max(now);
                        let mut tx = self.db.begin().await?;
                        let held = queue::defer_network(&mut tx, &work.account.network.to_string(), reset).await?;
                        tx.commit().await.map_err(StoreError::from)?;
                        tracing::warn!(network = %work.account.network, held, until = %reset, "the app's budget at the network is spent: every account waits");
                        self.retry_or_fail(work, owner, &message, Some(reset), Retry::RateLimited).await
                    }
                    PublishError::RateLimited { message, reset_at } => {
                        let reset = reset_at.unwrap_or_else(|| now.plus_seconds(60)).max(now);
                        let mut tx = self.db.begin().await?;
                        queue::defer_account(&mut tx, &work.account.account_id.to_string(), reset).await?;
                        social_accounts::throttle(&mut tx, work.account.account_id, reset).await?;
                        tx.commit().await.map_err(StoreError::from)?;
                        self.retry_or_fail(work, owner, &message, Some(reset), Retry::RateLimited).await
                    }
                    PublishError::Unknown { .. } => unreachable!("handled above"),
                }
            }
        }
    }

    /// Retries with exponential backoff and jitter (or at `not_before`), or fails the target for
    /// good once a counted retry has used up its attempts (see `Retry`).
    async fn retry_or_fail(&self, work: &Work, owner: &str, reason: &str, not_before: Option<Timestamp>, why: Retry) -> Result<JobOutcome> {
        if why == Retry::Counted && work.attempt_no >= work.max_attempts {
            return self.fail_target(work, owner, &format!("gave up after {} attempts: {reason}", work.attempt_no)).await;
        }
        let now = self.now();
        let backoff = backoff_millis(work.attempt_no, self.settings.publishing.retry_base_secs, self.settings.publishing.retry_max_secs);
        // Never due again at once: a reset already in the past (clock skew) still waits a second.
        let at = not_before.map_or(Timestamp::from_millis(now.as_millis() + backoff), |t| t.max(now.plus_seconds(1)));
        let mut tx = self.db.begin().await?;
        let held = queue::retry_at(&mut tx, work.job, owner, at, reason, why == Retry::RateLimited).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.emit(PostEvent { workspace_id: work.workspace, kind: "target.retrying", post_id: work.post.id, target_id: Some(work.target.id), status: "publishing".into(), detail: Some(reason.to_owned()), at: now });
        Ok(if held { JobOutcome::Retrying { at } } else { JobOutcome::LeaseLost })
    }

    async fn fail_target(&self, work: &Work, owner: &str, reason: &str) -> Result<JobOutcome> {
        let now = self.now();
        let mut tx = self.db.begin().await?;
        // The post first (see `settle_post`).
        posts::get_for_update(&mut tx, self.db.backend(), work.workspace, work.post.id).await?;
        targets::set_status(&mut tx, work.workspace, work.target.id, TargetStatus::Failed.as_str(), Some(reason), now).await?;
        let held = queue::finish(&mut tx, work.job, owner, "failed", Some(reason), now).await?;
        let settled = self.settle_post(&mut tx, work, &format!("{} (@{}): {reason}", work.account.network.label(), work.account.handle)).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.emit(PostEvent { workspace_id: work.workspace, kind: "target.failed", post_id: work.post.id, target_id: Some(work.target.id), status: "failed".into(), detail: Some(reason.to_owned()), at: now });
        self.emit_settled(work, settled);
        Ok(if held { JobOutcome::Failed { reason: reason.to_owned() } } else { JobOutcome::LeaseLost })
    }

    async fn finish_job(&self, job: JobId, owner: &str, state: &str, error: Option<&str>) -> Result<()> {
        let mut tx = self.db.begin().await?;
        queue::finish(&mut tx, job, owner, state, error, self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Tells clients the post's new status, once the transaction that set it has committed.
    fn emit_settled(&self, work: &Work, settled: Option<PostStatus>) {
        if let Some(status) = settled {
            self.emit(PostEvent { workspace_id: work.workspace, kind: "post.status", post_id: work.post.id, target_id: None, status: status.to_string(), detail: None, at: self.now() });
        }
    }

    /// The post's status from its targets; when every target has ended, the author is told and
    /// a recurring post's next occurrence is scheduled. Returns the new status if it changed.
    /// The caller has locked the post row before changing its target: two targets of one post
    /// ending at once would otherwise each read the other as still publishing (on PostgreSQL's
    /// read committed), and the post would stay `publishing` with every target ended.
    async fn settle_post(&self, conn: &mut Conn, work: &Work, detail: &str) -> Result<Option<PostStatus>> {
        let now = self.now();
        let Some(row) = posts::get(conn, work.workspace, work.post.id).await? else { return Ok(None) };
        let post = load::post(conn, row).await?;
        let statuses: Vec<TargetStatus> = post.targets.iter().map(|t| t.status).collect();
        let status = PostStatus::from_targets(&statuses);
        if status == post.status {
            return Ok(None);
        }
        posts::set_status(conn, work.workspace, post.id, status.as_str(), now).await?;
        if matches!(status, PostStatus::Published | PostStatus::PartiallyPublished | PostStatus::Failed) {
            let failures: Vec<String> = post.targets.iter().filter_map(|t| t.error.as_ref().map(|e| format!("{}: {e}", t.network.label()))).collect();
            let detail = if failures.is_empty() { detail.to_owned() } else { failures.join("\n") };
            notify::publish_outcome(conn, self, &post, status, &detail).await?;
            super::recurring::schedule_next(conn, self, &post).await?;
        }
        Ok(Some(status))
    }
}

/// The post as the network receives it for `work`, with the checks it must pass first. `media`
/// is left empty: the call loads the files made for the network, while a verification needs no
/// bytes (it matches what was sent by text, title and link, and sees the media by id).
fn publish_request(work: &Work) -> (Report, PublishRequest) {
    let (report, parts) = schedule::evaluate(&work.post, &work.target);
    let content = work.post.content.for_target(work.target.overrides.as_ref());
    let request = PublishRequest {
        idempotency_key: work.idempotency_key.clone(),
        parts,
        media_ids: content.media_ids.clone(),
        media: Vec::new(),
        link: content.link.clone(),
        first_comment: content.first_comment.clone(),
        title: content.title.clone(),
    };
    (report, request)
}

/// Exponential backoff with "equal jitter", in milliseconds: half the delay fixed, half random,
/// so retries of many posts failing together spread out instead of returning in lockstep.
pub fn backoff_millis(attempt: i64, base_secs: i64, cap_secs: i64) -> i64 {
    let exp = u32::try_from(attempt.clamp(1, 30) - 1).unwrap_or(0);
    let delay = base_secs.max(1).saturating_mul(1000).saturating_mul(2i64.saturating_pow(exp)).min(cap_secs.max(1).saturating_mul(1000));
    let mut bytes = [0u8; 8];
    // Without randomness the delay is merely not jittered.
    getrandom::fill(&mut bytes).ok();
    let jitter = i64::try_from(u64::from_le_bytes(bytes) % u64::try_from(delay / 2 + 1).unwrap_or(1)).unwrap_or(0);
    delay / 2 + jitter
}

#[cfg(test)]
mod tests {
    use super::backoff_millis;

    #[test]
    fn backoff_grows_stays_jittered_and_capped() {
        for attempt in 1..12 {
            let full = (5_000i64 * 2i64.pow(u32::try_from(attempt - 1).unwrap_or(0))).min(900_000);
            for _ in 0..50 {
                let d = backoff_millis(attempt, 5, 900);
                assert!(d >= full / 2 && d <= full, "attempt {attempt}: {d} not in [{}, {full}]", full / 2);
            }
        }
    }
}
