//! `both_backends!` turns one async test body into a SQLite test and a PostgreSQL test.

/// ```text
/// both_backends!(registers_and_logs_in, |app| async move { … });
/// ```
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::spawn_app($crate::Backend::Sqlite).await;
                ($body)(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::spawn_app($crate::Backend::Postgres).await;
                ($body)(app).await;
            }
        }
    };
}

/// Like `both_backends!`, with the settings adjusted first:
/// ```text
/// both_backends_with!(name, |s: &mut Settings| s.workers.enabled = false, |app| async move { … });
/// ```
#[macro_export]
macro_rules! both_backends_with {
    ($name:ident, $configure:expr, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let app = $crate::spawn_app_with($crate::Backend::Sqlite, $configure).await;
                ($body)(app).await;
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let app = $crate::spawn_app_with($crate::Backend::Postgres, $configure).await;
                ($body)(app).await;
            }
        }
    };
}
