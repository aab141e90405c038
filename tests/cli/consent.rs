//! Consent under pressure: processes racing each other over the ledger, a
//! mail relay that never answers, idle connections under a low file limit,
//! and what `serve` refuses to publish.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::serve::{gazette, get_with, one_click, request, serve, sign_up, site, Served, SECRET};
use crate::support::*;

fn state(site: &TestSite, email: &str) -> String {
    let list = gazette(site, &["subscribers", "list", "--json"]);
    let members: serde_json::Value = serde_json::from_str(&list.stdout).unwrap();
    members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["email"] == email)
        .map(|m| m["state"].as_str().unwrap().to_string())
        .unwrap_or_else(|| "absent".into())
}

fn big_list(rows: usize, plan: &str) -> String {
    let mut csv = String::from("email,name,plan\n");
    for i in 0..rows {
        csv.push_str(&format!("reader{i}@example.net,Reader {i},{plan}\n"));
    }
    csv
}

on_both_stores! {
    fn an_import_never_undoes_an_unsubscribe_made_while_it_runs() {
        let site = site("", "");
        site.write("big.csv", &big_list(20_000, "start"));
        assert_eq!(
            gazette(&site, &["subscribers", "import", "big.csv"]).code,
            0
        );
        let served = serve(&site);
        for round in 0..4 {
            // A new column value, so that the import rewrites every row.
            site.write("big.csv", &big_list(20_000, &format!("round{round}")));
            let mut import = site
                .command(&["subscribers", "import", "big.csv"])
                .env("GAZETTE_DIGEST_SECRET", SECRET)
                .stdout(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(Duration::from_millis(30 * round as u64));
            let clicked = format!("reader{}@example.net", 100 + round);
            let removed = format!("reader{}@example.net", 200 + round);
            one_click(served.port, &clicked);
            let remove = gazette(&site, &["subscribers", "remove", &removed]);
            assert_eq!(remove.code, 0, "{}", remove.stderr);
            assert!(import.wait().unwrap().success());
            assert_eq!(state(&site, &clicked), "unsubscribed", "round {round}");
            assert_eq!(state(&site, &removed), "unsubscribed", "round {round}");
        }
    }
}

/// A mail relay that takes connections and never says a word.
fn silent_relay() -> (u16, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut held = Vec::new();
        listener.set_nonblocking(true).unwrap();
        let until = Instant::now() + Duration::from_secs(30);
        while Instant::now() < until {
            if let Ok((stream, _)) = listener.accept() {
                held.push(stream);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    });
    (port, handle)
}

on_both_stores! {
    fn a_relay_that_never_answers_does_not_slow_the_feeds_and_loses_no_sign_up() {
        let (port, _relay) = silent_relay();
        let smtp =
            format!("[smtp]\nhost = \"127.0.0.1\"\nport = {port}\ntls = \"none\"\ntimeout_secs = 2\n");
        let site = site(&smtp, "per_ip_per_hour = 1000\n");
        site.build();
        let served = serve(&site);
        for i in 0..30 {
            sign_up(served.port, &format!("new{i}@example.net"));
        }
        let mut times = Vec::new();
        for _ in 0..20 {
            let start = Instant::now();
            let feed = request(served.port, "GET", "/blog/rss.xml", "");
            times.push(start.elapsed());
            assert_eq!(feed.status, 200);
        }
        times.sort();
        assert!(
            times[10] < Duration::from_millis(100),
            "median {:?}",
            times[10]
        );
        assert!(
            times[19] < Duration::from_secs(1),
            "slowest {:?}",
            times[19]
        );
        // Every sign-up is recorded, and its confirmation waits in the ledger's
        // outbox for the next attempt (or the next `serve`).
        let pending = gazette(&site, &["subscribers", "list", "--state", "pending"]);
        assert_eq!(pending.stdout.lines().count(), 30, "{}", pending.stdout);
        let start = Instant::now();
        stop(served);
        assert!(
            start.elapsed() < Duration::from_secs(8),
            "stopping took {:?}",
            start.elapsed()
        );
    }
}

/// SIGTERM, as systemd stops a service, and the wait for the exit.
fn stop(mut served: Served) {
    let _ = std::process::Command::new("kill")
        .arg(served.child.id().to_string())
        .status();
    let _ = served.child.wait();
}

#[test]
fn idle_connections_under_a_low_file_limit_do_not_stop_the_server() {
    let site = site("", "");
    site.build();
    let binary = env!("CARGO_BIN_EXE_gazette");
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 256 && exec \"$0\" serve --listen 127.0.0.1:0")
        .arg(binary)
        .current_dir(site.path(""))
        .env("GAZETTE_DIGEST_SECRET", SECRET)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut line,
    )
    .unwrap();
    let port: u16 = line
        .trim()
        .trim_start_matches("listening on http://127.0.0.1:")
        .trim_end_matches('/')
        .parse()
        .unwrap_or_else(|_| panic!("serve said {line:?}"));
    let served = Served { child, port };
    let idle: Vec<TcpStream> = (0..300)
        .filter_map(|_| TcpStream::connect(("127.0.0.1", port)).ok())
        .collect();
    assert!(idle.len() == 300, "{} connections opened", idle.len());
    let start = Instant::now();
    let raw = get_with(port, "/blog/rss.xml", "");
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    assert!(
        start.elapsed() < Duration::from_secs(25),
        "answered after {:?}",
        start.elapsed()
    );
    drop(idle);
    drop(served);
}

#[test]
fn one_click_as_multipart_form_data_unsubscribes() {
    let site = site("", "");
    site.write("list.csv", "email\nmp@example.net\n");
    gazette(&site, &["subscribers", "import", "list.csv"]);
    let served = serve(&site);
    let token = gazette::subscribers::tokens::unsubscribe(SECRET, "mp@example.net");
    let body = "--XyZ\r\nContent-Disposition: form-data; name=\"List-Unsubscribe\"\r\n\r\nOne-Click\r\n--XyZ--\r\n";
    let mut stream = TcpStream::connect(("127.0.0.1", served.port)).unwrap();
    write!(
        stream,
        "POST /blog/unsubscribe?token={token} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: multipart/form-data; boundary=XyZ\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).unwrap();
    assert!(raw.starts_with("HTTP/1.1 200"), "{raw}");
    assert_eq!(state(&site, "mp@example.net"), "unsubscribed");
}

#[test]
fn serve_keeps_to_the_output_folder() {
    let site = site("", "");
    site.build();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("passwd"), "root:x:0:0").unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("feeds/etcdir")).unwrap();
    std::fs::create_dir_all(site.path("feeds/.gazette")).unwrap();
    std::fs::write(site.path("feeds/.gazette/digest.sqlite"), "x").unwrap();
    let served = serve(&site);
    for path in [
        "/blog/etcdir/passwd",
        "/blog/.gazette/digest.sqlite",
        "/blog/%2egazette/digest.sqlite",
    ] {
        assert_eq!(request(served.port, "GET", path, "").status, 404, "{path}");
    }
    // Episodes are fetched in ranges by podcast apps.
    let whole = request(served.port, "GET", "/blog/rss.xml", "");
    let raw = get_with(served.port, "/blog/rss.xml", "Range: bytes=0-9\r\n");
    assert!(raw.starts_with("HTTP/1.1 206"), "{raw}");
    assert!(raw.ends_with(&whole.body[..10]), "{raw}");
    let weak = whole.header("etag");
    let raw = get_with(
        served.port,
        "/blog/rss.xml",
        &format!("If-None-Match: W/{weak}\r\n"),
    );
    assert!(raw.starts_with("HTTP/1.1 304"), "{raw}");
    drop(served);

    // An output folder that holds the ledger (and the secret that signs
    // every token) is refused.
    let exposed = site
        .read("config.toml")
        .replace("[digest]\n", "[digest]\nledger = \"feeds/ledger.sqlite\"\n");
    site.write("config.toml", &exposed);
    let run = gazette(&site, &["serve", "--listen", "127.0.0.1:0"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("inside the output folder"),
        "{}",
        run.stderr
    );
}

on_both_stores! {
    fn address_spellings_are_one_subscriber_and_bad_ones_are_refused() {
        let site = site("", "");
        site.write(
            "list.csv",
            "email\nVictim@EXAMPLE.net\nvictim@example.net\n\"\"\"victim\"\"@example.net\"\nleser@bücher.example\nleser@xn--bcher-kva.example\na@b\na@localhost\n",
        );
        let run = gazette(&site, &["subscribers", "import", "list.csv"]);
        assert!(run.stdout.contains("2 new"), "{}{}", run.stdout, run.stderr);
        for warning in [
            "list.csv:3: warning: victim@example.net is listed twice",
            "list.csv:4: warning: invalid e-mail address",
            "list.csv:6: warning: leser@xn--bcher-kva.example is listed twice",
            "list.csv:7: warning: invalid e-mail address \"a@b\"",
            "list.csv:8: warning: invalid e-mail address \"a@localhost\"",
        ] {
            assert!(run.stderr.contains(warning), "{warning}\n{}", run.stderr);
        }
        let served = serve(&site);
        for spelling in [
            "VICTIM%40Example.NET",
            "%22victim%22%40example.net",
            "v%5Cictim%40example.net",
        ] {
            let answer = request(
                served.port,
                "POST",
                "/blog/subscribe",
                &format!("email={spelling}"),
            );
            assert!(
                answer.status == 200 || answer.status == 400,
                "{}",
                answer.status
            );
        }
        let list = gazette(&site, &["subscribers", "list"]);
        assert_eq!(list.stdout.lines().count(), 2, "{}", list.stdout);
        let add = gazette(
            &site,
            &["subscribers", "add", "x@[127.0.0.1]", "--confirmed"],
        );
        assert_eq!(add.code, 2, "{}", add.stderr);
        assert!(add.stderr.contains("address literals"), "{}", add.stderr);
    }
}
