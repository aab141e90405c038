//! Parses the YAML front matter of every Markdown file under the given
//! folders with each candidate crate, into the JSON values gazette uses,
//! and prints per crate: how many blocks give the same value as
//! `serde_yaml` 0.9 (what gazette has shipped with), the first differences,
//! and the median of seven timed passes over all blocks.

use std::time::{Duration, Instant};

use serde_json::Value;

type Parser = fn(&str) -> Result<Value, String>;

/// Timed passes over all blocks per crate; the median is shown.
const ROUNDS: usize = 7;

fn main() {
    let roots: Vec<String> = std::env::args().skip(1).collect();
    if roots.is_empty() {
        eprintln!("usage: yaml_choice DIR...");
        std::process::exit(2);
    }
    let blocks = front_matters(&roots);
    let bytes: usize = blocks.iter().map(|(_, b)| b.len()).sum();
    println!("{} YAML front-matter blocks, {} KB", blocks.len(), bytes / 1024);
    let candidates: [(&str, Parser); 5] = [
        ("serde_yaml 0.9", |t| serde_yaml::from_str::<Value>(t).map_err(|e| e.to_string())),
        ("yaml_serde 0.10", |t| yaml_serde::from_str::<Value>(t).map_err(|e| e.to_string())),
        ("serde_yaml_ng 0.10", |t| serde_yaml_ng::from_str::<Value>(t).map_err(|e| e.to_string())),
        ("serde_norway 0.9", |t| serde_norway::from_str::<Value>(t).map_err(|e| e.to_string())),
        ("yaml-rust2 0.10", yaml_rust2_json),
    ];
    let reference: Vec<Result<Value, String>> =
        blocks.iter().map(|(_, b)| (candidates[0].1)(b)).collect();
    println!(
        "{:<20} {:>9} {:>9} {:>10} {:>9}",
        "crate", "same", "differ", "median ms", "MB/s"
    );
    // Timings alternate between the crates, round after round, so that
    // whatever else the machine does falls on all of them alike.
    let mut times: Vec<Vec<Duration>> = vec![Vec::new(); candidates.len()];
    for _ in 0..ROUNDS {
        for (index, (_, parse)) in candidates.iter().enumerate() {
            let start = Instant::now();
            for (_, block) in &blocks {
                std::hint::black_box(parse(block).ok());
            }
            times[index].push(start.elapsed());
        }
    }
    for ((name, parse), mut timing) in candidates.into_iter().zip(times) {
        let mut differ = Vec::new();
        for ((path, block), expected) in blocks.iter().zip(&reference) {
            let got = parse(block);
            let same = match (&got, expected) {
                (Ok(a), Ok(b)) => a == b,
                (Err(_), Err(_)) => true,
                _ => false,
            };
            if !same {
                differ.push((path, got, expected));
            }
        }
        timing.sort();
        let median = timing[timing.len() / 2];
        println!(
            "{:<20} {:>9} {:>9} {:>10.1} {:>9.1}",
            name,
            blocks.len() - differ.len(),
            differ.len(),
            median.as_secs_f64() * 1000.0,
            bytes as f64 / 1e6 / median.as_secs_f64()
        );
        for (path, got, expected) in differ.iter().take(3) {
            println!("    {path}:\n      got      {}\n      expected {}", show(got), show(expected));
        }
    }
}

fn show(value: &Result<Value, String>) -> String {
    let text = match value {
        Ok(v) => v.to_string(),
        Err(e) => format!("error: {e}"),
    };
    text.chars().take(300).collect()
}

/// The `---`-fenced block at the start of each `.md` file.
fn front_matters(roots: &[String]) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    for root in roots {
        for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
            let Ok(entry) = entry else { continue };
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(path) else { continue };
            let Some(rest) = text.strip_prefix("---\n") else { continue };
            let Some(end) = rest.find("\n---") else { continue };
            blocks.push((path.display().to_string(), rest[..end + 1].to_string()));
        }
    }
    blocks
}

/// yaml-rust2 has no serde layer: its tree, converted as gazette would.
fn yaml_rust2_json(text: &str) -> Result<Value, String> {
    use yaml_rust2::{Yaml, YamlLoader};
    fn convert(yaml: Yaml) -> Value {
        match yaml {
            Yaml::Null | Yaml::BadValue => Value::Null,
            Yaml::Boolean(b) => Value::Bool(b),
            Yaml::Integer(i) => Value::from(i),
            Yaml::Real(text) => text
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(Value::Null, Value::Number),
            Yaml::String(s) => Value::String(s),
            Yaml::Array(items) => Value::Array(items.into_iter().map(convert).collect()),
            Yaml::Hash(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| {
                        let key = match k {
                            Yaml::String(s) => s,
                            Yaml::Integer(i) => i.to_string(),
                            Yaml::Real(r) => r,
                            Yaml::Boolean(b) => b.to_string(),
                            _ => String::new(),
                        };
                        (key, convert(v))
                    })
                    .collect(),
            ),
            Yaml::Alias(_) => Value::Null,
        }
    }
    let mut docs = YamlLoader::load_from_str(text).map_err(|e| e.to_string())?;
    match docs.len() {
        0 => Ok(Value::Null),
        _ => Ok(convert(docs.swap_remove(0))),
    }
}
