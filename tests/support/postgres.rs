//! A throw-away PostgreSQL cluster for tests that run against both ledger
//! stores: `initdb` in a temporary folder, the server on a free port of
//! 127.0.0.1 with its socket in that folder, stopped and removed on drop.
//! Shared by the ledger's unit tests and the integration tests.
//!
//! Where PostgreSQL is not installed the PostgreSQL half of a test is
//! skipped with a message, so `cargo test` passes on a machine with only
//! Rust; `GAZETTE_TEST_POSTGRES=required` (set by CI) makes that a failure.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

/// A running cluster; `database()` gives each user a database of its own.
pub(crate) struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    /// The server refuses to run as root: it then runs as this user.
    run_as: Option<&'static str>,
}

/// Where Debian (and most Linux distributions) install the server binaries.
fn server_binaries() -> Option<PathBuf> {
    if let Ok(dir) = std::env::var("GAZETTE_TEST_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|entry| Some(entry.ok()?.path().join("bin")))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port on 127.0.0.1")
}

impl Cluster {
    /// Starts a cluster, or `None` (with a message) where PostgreSQL is not
    /// installed and `GAZETTE_TEST_POSTGRES` is not `required`.
    pub(crate) fn start() -> Option<Cluster> {
        Cluster::start_with(None)
    }

    /// A cluster that speaks TLS with this certificate and key (PEM) and
    /// refuses connections without it.
    pub(crate) fn start_with_tls(cert: &str, key: &str) -> Option<Cluster> {
        Cluster::start_with(Some((cert, key)))
    }

    fn start_with(tls: Option<(&str, &str)>) -> Option<Cluster> {
        let required = std::env::var("GAZETTE_TEST_POSTGRES").as_deref() == Ok("required");
        let Some(bin) = server_binaries() else {
            assert!(
                !required,
                "GAZETTE_TEST_POSTGRES=required, but no PostgreSQL server in /usr/lib/postgresql (apt install postgresql)"
            );
            eprintln!("PostgreSQL is not installed: the PostgreSQL half of this test is skipped");
            return None;
        };
        let dir = tempfile::Builder::new()
            .prefix("gazette-pg")
            .tempdir()
            .expect("a temporary folder");
        let run_as = is_root().then_some("postgres");
        if let Some(user) = run_as {
            let status = Command::new("chown")
                .arg(user)
                .arg(dir.path())
                .status()
                .expect("chown runs");
            assert!(
                status.success(),
                "cannot hand {} to {user}",
                dir.path().display()
            );
        }
        let mut cluster = Cluster {
            dir,
            bin,
            port: 0,
            run_as,
        };
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-U".as_ref(),
                "gazette".as_ref(),
                "--auth=trust".as_ref(),
                "-E".as_ref(),
                "UTF8".as_ref(),
                // Whatever locales the machine has: sorting is not tested here.
                "--locale=C".as_ref(),
                "--no-sync".as_ref(),
            ],
        );
        if let Some((cert, key)) = tls {
            cluster.serve_tls(cert, key);
        }
        // Another test may take the port between this choice and the
        // server's bind; a few tries cover that.
        for _ in 0..5 {
            cluster.port = free_port();
            let options = format!(
                "-h 127.0.0.1 -p {} -k {} -F -c fsync=off -c max_connections=200 -c ssl={}",
                cluster.port,
                cluster.dir.path().display(),
                if tls.is_some() { "on" } else { "off" }
            );
            let log = cluster.dir.path().join("server.log");
            if cluster.try_run(
                "pg_ctl",
                &[
                    "-D".as_ref(),
                    data.as_os_str(),
                    "-o".as_ref(),
                    options.as_ref(),
                    "-l".as_ref(),
                    log.as_os_str(),
                    "-w".as_ref(),
                    "start".as_ref(),
                ],
            ) {
                return Some(cluster);
            }
        }
        panic!(
            "the test cluster did not start: {}",
            std::fs::read_to_string(cluster.dir.path().join("server.log")).unwrap_or_default()
        );
    }

    /// Puts the server's certificate where `ssl = on` looks for it, and
    /// lets only TLS connections in.
    fn serve_tls(&self, cert: &str, key: &str) {
        use std::os::unix::fs::PermissionsExt;
        let data = self.data();
        for (name, pem) in [("server.crt", cert), ("server.key", key)] {
            let file = data.join(name);
            std::fs::write(&file, pem).expect("the server's certificate is written");
            // The server refuses a key that others can read.
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).expect("chmod");
            if let Some(user) = self.run_as {
                let status = Command::new("chown").arg(user).arg(&file).status();
                assert!(
                    status.is_ok_and(|s| s.success()),
                    "chown {}",
                    file.display()
                );
            }
        }
        let hba = data.join("pg_hba.conf");
        let rules = std::fs::read_to_string(&hba).expect("initdb writes pg_hba.conf");
        std::fs::write(&hba, format!("hostnossl all all all reject\n{rules}"))
            .expect("pg_hba.conf is written");
    }

    /// The folder of the server's Unix socket.
    pub(crate) fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn command(&self, program: &str) -> Command {
        let path = self.bin.join(program);
        match self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(path);
                command
            }
            None => Command::new(path),
        }
    }

    fn try_run(&self, program: &str, args: &[&std::ffi::OsStr]) -> bool {
        self.command(program)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    }

    fn run(&self, program: &str, args: &[&std::ffi::OsStr]) {
        let output = self
            .command(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        assert!(
            output.status.success(),
            "{program} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// Runs one SQL command in `database` with `psql`.
    fn psql(&self, database: &str, sql: &str) -> std::process::Output {
        let psql = self.bin.join("psql");
        let psql = if psql.exists() {
            psql
        } else {
            Path::new("psql").to_path_buf()
        };
        Command::new(psql)
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-U", "gazette", "-d", database, "-q", "-tA", "-c", sql])
            .output()
            .expect("psql runs")
    }

    /// The URL of a new, empty database on this cluster.
    pub(crate) fn database(&self) -> String {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        let name = format!("ledger{}", NEXT.fetch_add(1, Ordering::Relaxed));
        let output = self.psql("postgres", &format!("CREATE DATABASE {name}"));
        assert!(
            output.status.success(),
            "CREATE DATABASE {name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        format!("postgres://gazette@127.0.0.1:{}/{name}", self.port)
    }

    /// Everything the database at `url` holds, as `pg_dump` writes it.
    pub(crate) fn dump(&self, url: &str) -> Vec<u8> {
        let name = url.rsplit('/').next().unwrap_or_default();
        let output = Command::new(self.bin.join("pg_dump"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string()])
            .args(["-U", "gazette", "--data-only", name])
            .output()
            .expect("pg_dump runs");
        assert!(
            output.status.success(),
            "pg_dump: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output.stdout
    }

    /// Whether the database at `url` holds gazette's tables.
    pub(crate) fn has_ledger(&self, url: &str) -> bool {
        let name = url.rsplit('/').next().unwrap_or_default();
        let output = self.psql(name, "SELECT to_regclass('meta') IS NOT NULL");
        String::from_utf8_lossy(&output.stdout).trim() == "t"
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self.try_run(
            "pg_ctl",
            &[
                "-D".as_ref(),
                data.as_os_str(),
                "-m".as_ref(),
                "immediate".as_ref(),
                "stop".as_ref(),
            ],
        );
    }
}
