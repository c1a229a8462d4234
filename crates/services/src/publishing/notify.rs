//! Telling the author how a publish ended: an in-app notification and an e-mail through the
//! mail outbox, both written in the transaction that records the outcome.

use zenalto_domain::{UserId, posts::PostStatus};
use zenalto_store::{
    Conn,
    repo::{notifications, users},
};

use super::PostView;
use crate::{Result, Services, mail};

/// Notifies the post's author that it ended as `status` (published, partially published or
/// failed); `detail` names the failures. Posts without a person as author (workspace API keys)
/// notify nobody.
pub(crate) async fn publish_outcome(conn: &mut Conn, services: &Services, post: &PostView, status: PostStatus, detail: &str) -> Result<()> {
    let Some(author) = post.author_id else { return Ok(()) };
    let (kind, title) = headline(post, status);
    let link = format!("{}/posts/{}", services.settings.server.public_url.trim_end_matches('/'), post.id);
    let body = if detail.is_empty() { link.clone() } else { format!("{detail}\n\n{link}") };
    notify_user(conn, services, post, author, kind, &title, &body).await
}

/// The notification kind and title for a post that ended as `status`.
pub(crate) fn headline(post: &PostView, status: PostStatus) -> (&'static str, String) {
    let preview: String = post.content.text.chars().take(60).collect();
    match status {
        PostStatus::Published => ("post.published", format!("Published: {preview}")),
        PostStatus::PartiallyPublished => ("post.partially_published", format!("Partly published: {preview}")),
        _ => ("post.failed", format!("Not published: {preview}")),
    }
}

async fn notify_user(conn: &mut Conn, services: &Services, post: &PostView, user: UserId, kind: &str, title: &str, body: &str) -> Result<()> {
    let now = services.now();
    let new = notifications::NewNotification { workspace_id: post.workspace_id, user_id: user, kind, title, body, post_id: Some(post.id.to_string()) };
    notifications::insert(conn, &new, now).await?;
    if let Some(person) = users::get(conn, user).await? {
        mail::enqueue(conn, &person.email, mail::Mail { subject: format!("Zenalto: {title}"), body: format!("Hello {},\n\n{body}\n", person.name) }, now).await?;
        services.mail_wakeup.notify_one();
    }
    Ok(())
}
