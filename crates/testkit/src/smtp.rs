//! A real SMTP server for tests: aiosmtpd (PyPI) started per test with a Maildir handler, so a
//! test can read what Zenalto actually sent over the wire. `scripts/test` installs it and
//! exports `ZENALTO_TEST_PYTHON`; without it the test fails with instructions.

use std::{path::PathBuf, process::Stdio, time::Duration};

use tokio::process::{Child, Command};

pub struct SmtpCatcher {
    pub port: u16,
    maildir: tempfile::TempDir,
    child: Child,
}

impl SmtpCatcher {
    pub async fn start() -> Self {
        Self::start_on(free_port()).await
    }

    /// Starts on a given port (a test can bring an SMTP server up where one was down).
    pub async fn start_on(port: u16) -> Self {
        let python = std::env::var("ZENALTO_TEST_PYTHON").unwrap_or_else(|_| {
            panic!("ZENALTO_TEST_PYTHON is not set: run ./scripts/test, which installs aiosmtpd and sets it")
        });
        let maildir = tempfile::tempdir().expect("maildir");
        let child = Command::new(&python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("box"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start aiosmtpd with {python}: {e}"));
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Self { port, maildir, child };
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not start listening on port {port}");
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Raw messages delivered so far (waits up to `timeout` for at least `n`).
    pub async fn wait_for_messages(&self, n: usize, timeout: Duration) -> Vec<String> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= n || tokio::time::Instant::now() >= deadline {
                return messages;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn messages(&self) -> Vec<String> {
        let new: PathBuf = self.maildir.path().join("box").join("new");
        let Ok(entries) = std::fs::read_dir(new) else { return Vec::new() };
        entries.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok()).collect()
    }
}

impl Drop for SmtpCatcher {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("free port").local_addr().expect("addr").port()
}
