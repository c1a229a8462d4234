//! A real SMTP server for tests: aiosmtpd (PyPI) started per test with a Maildir handler, so a
//! test can read what Zenalto actually sent over the wire. `scripts/test` installs it and
//! exports `ZENALTO_TEST_PYTHON`; without it the test fails with instructions.

use std::{path::PathBuf, process::Stdio, time::Duration};

use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

pub struct SmtpCatcher {
    pub port: u16,
    maildir: tempfile::TempDir,
    child: Child,
}

impl SmtpCatcher {
    /// Starts on a port the operating system picks, so two tests never race for one.
    pub async fn start() -> Self {
        Self::spawn(0).await
    }

    /// Starts on a port the test reserved (a test can bring an SMTP server up where one was
    /// down); the reservation is released just before aiosmtpd binds it.
    pub async fn start_on(reserved: ReservedPort) -> Self {
        let port = reserved.port;
        drop(reserved);
        Self::spawn(port).await
    }

    async fn spawn(port: u16) -> Self {
        let python = std::env::var("ZENALTO_TEST_PYTHON").unwrap_or_else(|_| {
            panic!("ZENALTO_TEST_PYTHON is not set: run ./scripts/test, which installs aiosmtpd and sets it")
        });
        let maildir = tempfile::tempdir().expect("maildir");
        let mut child = Command::new(&python)
            .args(["-c", SERVE, &port.to_string()])
            .arg(maildir.path().join("box"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start aiosmtpd with {python}: {e}"));
        // The script prints the port it listens on once the socket is bound.
        let stdout = child.stdout.take().expect("piped stdout");
        let mut first_line = String::new();
        let read = tokio::time::timeout(Duration::from_secs(20), BufReader::new(stdout).read_line(&mut first_line)).await;
        let port = match read {
            Ok(Ok(_)) => first_line.trim().parse().unwrap_or_else(|_| panic!("aiosmtpd did not start: {first_line:?}")),
            _ => panic!("aiosmtpd did not start listening within 20 s"),
        };
        Self { port, maildir, child }
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

/// A local port held bound but not listening: connections to it are refused, as with a server
/// that is down, and no other test can be given it meanwhile.
pub struct ReservedPort {
    pub port: u16,
    _socket: tokio::net::TcpSocket,
}

impl ReservedPort {
    pub fn new() -> Self {
        let socket = tokio::net::TcpSocket::new_v4().expect("socket");
        socket.bind("127.0.0.1:0".parse().unwrap()).expect("bind a local port");
        let port = socket.local_addr().expect("addr").port();
        Self { port, _socket: socket }
    }
}

impl Default for ReservedPort {
    fn default() -> Self {
        Self::new()
    }
}

/// aiosmtpd with a Maildir handler on the given port (0: any), printing the bound port.
const SERVE: &str = r#"
import asyncio, sys
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP

async def main():
    handler = Mailbox(sys.argv[2])
    server = await asyncio.get_running_loop().create_server(lambda: SMTP(handler), "127.0.0.1", int(sys.argv[1]))
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()

asyncio.run(main())
"#;
