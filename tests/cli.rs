//! The `jianyi` binary as an operator runs it: its commands, its configuration, and how it
//! ends when the configuration is wrong (one line, a non-zero exit, no panic).

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

const JIANYI: &str = env!("CARGO_BIN_EXE_jianyi");

/// A directory of its own for one test, removed at the end.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir().join(format!("jianyi-cli-{name}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        Dir(dir)
    }

    fn db(&self) -> String {
        format!("sqlite://{}", self.0.join("jianyi.db").display())
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The binary with a clean environment of jianyi's variables, on `dir`'s database.
fn jianyi(dir: &Dir) -> Command {
    let mut c = Command::new(JIANYI);
    for (key, _) in std::env::vars() {
        if key.starts_with("JIANYI_") {
            c.env_remove(key);
        }
    }
    c.env("JIANYI_DATABASE_URL", dir.db()).env("RUST_LOG", "warn").current_dir(&dir.0);
    c
}

fn run(c: &mut Command) -> (Output, String, String) {
    let out = c.output().expect("jianyi runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (out, stdout, stderr)
}

/// A refusal to start: a non-zero exit, the reason on one line, no panic.
fn refused(c: &mut Command, says: &str) {
    let (out, _, stderr) = run(c);
    assert!(!out.status.success(), "exit {:?}: {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "a panic: {stderr}");
    let line =
        stderr.lines().find(|l| l.starts_with("jianyi: error: ")).unwrap_or_else(|| panic!("no error line: {stderr}"));
    assert!(line.contains(says), "{line:?} should say {says:?}");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("a port").local_addr().expect("its address").port()
}

/// Waits until `url` answers 200, or the child ends, or 30 s pass.
fn wait_ready(child: &mut Child, url: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return false;
        }
        if http(port_of(url), "GET", path_of(url), None).is_some_and(|(status, _)| status == 200) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

fn port_of(url: &str) -> u16 {
    url.trim_start_matches("http://127.0.0.1:").split('/').next().and_then(|p| p.parse().ok()).expect("a port")
}

fn path_of(url: &str) -> &str {
    let rest = url.trim_start_matches("http://");
    &rest[rest.find('/').unwrap_or(rest.len())..]
}

/// One HTTP/1.1 exchange on 127.0.0.1 (the tests need no client beyond this): status and body.
fn http(port: u16, method: &str, path: &str, body: Option<&serde_json::Value>) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let status = answer.split_whitespace().nth(1)?.parse().ok()?;
    let body = answer.split_once("\r\n\r\n").map(|(_, b)| b.to_owned()).unwrap_or_default();
    Some((status, body))
}

/// A served jianyi, killed when dropped, also when an assertion fails first.
struct Server(Option<Child>);

impl Server {
    fn start(c: &mut Command) -> Server {
        Server(Some(c.stdout(Stdio::piped()).spawn().expect("jianyi starts")))
    }

    fn child(&mut self) -> &mut Child {
        self.0.as_mut().expect("running")
    }

    /// Stops it: what it printed on stdout.
    fn stop(mut self) -> String {
        let mut child = self.0.take().expect("running");
        let _ = child.kill();
        let out = child.wait_with_output().expect("the server ends");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
fn openapi_prints_the_spec_on_stdout_only() {
    let dir = Dir::new("openapi");
    let (out, stdout, _) = run(jianyi(&dir).arg("openapi"));
    assert!(out.status.success());
    let spec: serde_json::Value = serde_json::from_str(&stdout).expect("the spec is JSON");
    assert!(spec["openapi"].as_str().is_some_and(|v| v.starts_with("3.")));
    assert!(spec["paths"]["/api/v1/suggestions/{id}/register"].is_object());
    assert!(!dir.0.join("jianyi.db").exists(), "printing the spec touches no database");
}

#[test]
fn migrate_then_admin_create_makes_accounts_that_sign_in() {
    let dir = Dir::new("admin");
    let (out, _, stderr) = run(jianyi(&dir).arg("migrate"));
    assert!(out.status.success(), "{stderr}");
    assert!(dir.0.join("jianyi.db").exists());
    let create = |username: &str, password: &str, role: &str| {
        let mut c = jianyi(&dir);
        c.args(["admin", "create", "--username", username, "--password", password, "--role", role]);
        c
    };
    let (out, stdout, stderr) = run(&mut create("office1", "correct-horse-battery", "staff"));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.starts_with("created account office1 (id "), "{stdout}");
    assert!(stdout.contains("role staff"), "{stdout}");
    refused(&mut create("office1", "correct-horse-battery", "staff"), "username");
    refused(&mut create("office2", "short", "staff"), "at least 12 characters");
    refused(&mut create("office3", "correct-horse-battery", "emperor"), "unknown role emperor");
    refused(&mut create("unit1", "correct-horse-battery", "unit_handler"), "unit_id");
    // The account signs in on the served API.
    let port = free_port();
    let mut server = Server::start(
        jianyi(&dir).args(["serve"]).env("JIANYI_BIND", format!("127.0.0.1:{port}")).stderr(Stdio::null()),
    );
    assert!(wait_ready(server.child(), &format!("http://127.0.0.1:{port}/readyz")));
    let body =
        serde_json::json!({"grant_type": "password", "username": "office1", "password": "correct-horse-battery"});
    let (status, answer) = http(port, "POST", "/api/v1/auth/token", Some(&body)).expect("an answer");
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("access_token"), "{answer}");
    server.stop();
}

#[test]
fn a_bare_jianyi_serves_and_keeps_its_generated_secrets() {
    let dir = Dir::new("bare");
    let port = free_port();
    let mut server = Server::start(jianyi(&dir).env("JIANYI_BIND", format!("127.0.0.1:{port}")).stderr(Stdio::piped()));
    let stderr = server.child().stderr.take().expect("stderr");
    let logs = std::thread::spawn(move || BufReader::new(stderr).lines().map_while(Result::ok).collect::<Vec<_>>());
    assert!(wait_ready(server.child(), &format!("http://127.0.0.1:{port}/healthz")), "no subcommand means serve");
    let stdout = server.stop();
    let logs = logs.join().expect("the log reader").join("\n");
    // No JIANYI_JWT_SECRET: one made and kept beside the database, with a warning.
    let secret = std::fs::read_to_string(dir.0.join("jianyi.db.jwt-secret")).expect("the kept secret");
    assert!(secret.trim().len() >= 32);
    assert!(logs.contains("JIANYI_JWT_SECRET is not set"), "{logs}");
    // No JIANYI_ADMIN_PASSWORD: one made and printed once, on stdout, never in the logs.
    let line = stdout.lines().find(|l| l.starts_with("admin password (shown once): ")).expect("the password line");
    let password = line.trim_start_matches("admin password (shown once): ");
    assert!(password.len() >= 12, "{line}");
    assert!(!logs.contains(password), "the password is not logged");
    // A second start keeps both: the same secret, and no new password.
    let port = free_port();
    let mut server = Server::start(
        jianyi(&dir).args(["serve"]).env("JIANYI_BIND", format!("127.0.0.1:{port}")).stderr(Stdio::null()),
    );
    assert!(wait_ready(server.child(), &format!("http://127.0.0.1:{port}/healthz")));
    let again = server.stop();
    assert!(!again.contains("admin password"), "{again}");
    assert_eq!(std::fs::read_to_string(dir.0.join("jianyi.db.jwt-secret")).expect("the secret"), secret);
}

#[test]
fn demo_loads_the_seed_session_and_prints_the_accounts() {
    let dir = Dir::new("demo");
    let (out, stdout, stderr) = run(jianyi(&dir).arg("demo").env("JIANYI_ADMIN_PASSWORD", "demo-admin-password"));
    assert!(out.status.success(), "{stderr}");
    assert!(stdout.contains("昆明市第十四届人民代表大会第六次会议"), "{stdout}");
    for role in ["deputy", "unit_handler", "unit_leader", "staff", "committee", "auditor", "integration"] {
        assert!(stdout.contains(role), "{role} in {stdout}");
    }
    assert!(!stdout.contains("admin password (shown once)"), "the admin password was given");
}

#[test]
fn bad_configuration_ends_with_one_line() {
    let dir = Dir::new("bad");
    refused(jianyi(&dir).arg("migrate").env("JIANYI_DATABASE_URL", "mysql://localhost/jianyi"), "neither sqlite://");
    refused(jianyi(&dir).arg("migrate").env("JIANYI_DATABASE_URL", "not a url"), "neither sqlite://");
    // Nothing listens on port 1.
    refused(
        jianyi(&dir)
            .arg("serve")
            .env("JIANYI_BIND", "127.0.0.1:0")
            .env("JIANYI_DATABASE_URL", "postgres://postgres@127.0.0.1:1/jianyi")
            .env("JIANYI_JWT_SECRET", "a-secret-of-at-least-thirty-two-characters"),
        "database",
    );
    refused(jianyi(&dir).arg("serve").env("JIANYI_BIND", "not-an-address"), "cannot serve on not-an-address");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let addr = taken.local_addr().expect("its address");
    refused(jianyi(&dir).arg("serve").env("JIANYI_BIND", addr.to_string()), &addr.to_string());
    // A server that could not bind did not touch the database either.
    assert!(!dir.0.join("jianyi.db").exists());
}
