//! WebSub: hubs in every feed, and pings to a hub on 127.0.0.1 that records
//! them, for the feeds a build changed and only those.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use crate::support::*;

/// A hub that records each request's body and answers with `status`.
struct Hub {
    port: u16,
    bodies: Arc<Mutex<Vec<String>>>,
}

fn hub(status: &'static str) -> Hub {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&bodies);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            seen.lock()
                .unwrap()
                .push(String::from_utf8_lossy(&body).into_owned());
            let reply = format!(
                "HTTP/1.1 {status}\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhub says no"
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    Hub { port, bodies }
}

fn site(port: u16) -> TestSite {
    let site = TestSite::new(&format!(
        "[websub]\nhub = \"http://127.0.0.1:{port}/hub\"\n"
    ));
    site.write("content/one.md", &post("One", "2025-05-01", ""));
    site
}

#[test]
fn feeds_name_the_hub_and_changed_feeds_are_pinged() {
    let hub = hub("204 No Content");
    let site = site(hub.port);
    let run = site.run(&["build", "--now", NOW, "--ping"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hub_url = format!("http://127.0.0.1:{}/hub", hub.port);
    // Discovery in each format.
    let rss = site.read("feeds/rss.xml");
    let doc = roxmltree::Document::parse(&rss).unwrap();
    assert!(doc.descendants().any(
        |n| n.attribute("rel") == Some("hub") && n.attribute("href") == Some(hub_url.as_str())
    ));
    let atom = site.read("feeds/atom.xml");
    let doc = roxmltree::Document::parse(&atom).unwrap();
    assert!(doc.descendants().any(
        |n| n.attribute("rel") == Some("hub") && n.attribute("href") == Some(hub_url.as_str())
    ));
    let json: serde_json::Value = serde_json::from_str(&site.read("feeds/feed.json")).unwrap();
    assert_eq!(json["hubs"][0]["type"], "WebSub");
    assert_eq!(json["hubs"][0]["url"], hub_url);

    let mut bodies = hub.bodies.lock().unwrap().clone();
    bodies.sort();
    assert_eq!(
        bodies,
        [
            "hub.mode=publish&hub.url=https%3A%2F%2Fexample.org%2Fblog%2Fatom.xml",
            "hub.mode=publish&hub.url=https%3A%2F%2Fexample.org%2Fblog%2Ffeed.json",
            "hub.mode=publish&hub.url=https%3A%2F%2Fexample.org%2Fblog%2Frss.xml",
        ]
    );
    // Nothing changed: nothing to ping.
    site.run(&["build", "--now", NOW, "--ping"]);
    assert_eq!(hub.bodies.lock().unwrap().len(), 3);
    // A new post changes every site-wide feed again.
    site.write("content/two.md", &post("Two", "2025-05-02", ""));
    site.run(&["build", "--now", NOW, "--ping"]);
    assert_eq!(hub.bodies.lock().unwrap().len(), 6);
    // Without --ping (and without `ping = true`) no hub hears of it.
    site.write("content/three.md", &post("Three", "2025-05-03", ""));
    site.build();
    assert_eq!(hub.bodies.lock().unwrap().len(), 6);
}

#[test]
fn a_hub_that_refuses_is_a_warning_and_the_build_stands() {
    let hub = hub("500 Internal Server Error");
    let site = site(hub.port);
    let run = site.run(&["build", "--now", NOW, "--ping"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("did not take") && run.stderr.contains("HTTP 500: hub says no"),
        "{}",
        run.stderr
    );
    assert_eq!(titles(&site.feed("feeds/rss.xml")), ["One"]);
}
