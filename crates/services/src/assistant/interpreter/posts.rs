//! Which post a request means: "it" (the one the conversation is about), "the second one" (of
//! those just drafted or listed), or "the post about the webinar" (found by its words). Several
//! candidates, or none, become a question instead of a guess.

use zenalto_domain::posts::PostStatus;

use super::intent::PostRef;
use crate::assistant::conversations::Refs;
use crate::assistant::tools::{ToolContext, post_title};
use crate::publishing::PostView;
use crate::{Result, ServiceError};

pub enum Resolved {
    Post(Box<PostView>),
    /// A question to ask, and the posts it lists (so "the second one" works next).
    Ask {
        question: String,
        candidates: Vec<String>,
    },
}

fn ask(question: impl Into<String>) -> Resolved {
    Resolved::Ask { question: question.into(), candidates: Vec::new() }
}

fn statuses_label(statuses: &[PostStatus]) -> String {
    match statuses {
        [PostStatus::Scheduled] => "scheduled ".into(),
        _ => String::new(),
    }
}

pub async fn resolve(cx: &ToolContext<'_>, refs: &Refs, reference: &PostRef, statuses: &[PostStatus]) -> Result<Resolved> {
    let ids: Vec<String> = match reference {
        PostRef::About(words) => {
            let wanted: Vec<String> = statuses.iter().map(|s| s.as_str().to_owned()).collect();
            let found = cx.services.find_posts(cx.access, words, &wanted, 10).await?;
            return Ok(match found.len() {
                0 => ask(format!("I found no {}post mentioning “{}”.", statuses_label(statuses), words.join(" "))),
                1 => Resolved::Post(Box::new(found.into_iter().next().ok_or(ServiceError::NotFound)?)),
                _ => choose(&found, &format!("{} {}posts mention “{}”", found.len(), statuses_label(statuses), words.join(" ")), cx),
            });
        }
        PostRef::It => refs.posts.clone(),
        PostRef::Nth(n) => {
            let index = if *n == 0 { refs.posts.len().checked_sub(1) } else { Some(n - 1) };
            match index.and_then(|i| refs.posts.get(i)) {
                Some(id) => vec![id.clone()],
                None if refs.posts.is_empty() => {
                    return Ok(ask("Which post? None is under discussion yet — draft one, or say “the post about …”."));
                }
                None => {
                    return Ok(ask(format!("There are only {} posts under discussion; which one do you mean?", refs.posts.len())));
                }
            }
        }
    };
    let mut posts = Vec::new();
    for id in &ids {
        let Ok(id) = id.parse() else { continue };
        match cx.services.get_post(cx.access, id).await {
            Ok(post) => posts.push(post),
            Err(ServiceError::NotFound) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(match posts.len() {
        0 => ask("Which post? None is under discussion yet — draft one first, or say “the post about …”."),
        1 => {
            let post = posts.into_iter().next().ok_or(ServiceError::NotFound)?;
            if statuses.is_empty() || statuses.contains(&post.status) {
                Resolved::Post(Box::new(post))
            } else {
                ask(format!("{} is {}, so I cannot do that with it.", post_title(&post), post.status.as_str().replace('_', " ")))
            }
        }
        n => choose(&posts, &format!("I have {n} posts in mind"), cx),
    })
}

fn choose(posts: &[PostView], lead: &str, cx: &ToolContext<'_>) -> Resolved {
    let lines: Vec<String> =
        posts.iter().enumerate().map(|(i, p)| format!("{}. {} — {}", i + 1, post_title(p), crate::assistant::tools::describe_post(p, &cx.zone))).collect();
    Resolved::Ask {
        question: format!("{lead}; which one do you mean?\n{}\nSay “the first one”, “the second one”…", lines.join("\n")),
        candidates: posts.iter().map(|p| p.id.to_string()).collect(),
    }
}
