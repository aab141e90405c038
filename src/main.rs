//! The `gazette` binary: parse the command line, run, print, exit.

// As in the library: functions within clippy's default 100 lines.
#![warn(clippy::too_many_lines)]

use std::io::Write;
use std::process::ExitCode;

mod cmd;

use clap::Parser;
use cmd::Cli;
use gazette::Report;

const EXIT_POST_ERRORS: u8 = 1;
const EXIT_FATAL: u8 = 2;
const EXIT_DIGEST_INCOMPLETE: u8 = 3;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let now = cli.now.unwrap_or_else(chrono::Utc::now);
    let mut report = Report::default();
    let result = cmd::execute(&cli, now, &mut report);
    report.sort();
    {
        let mut stdout = std::io::stdout().lock();
        for line in result.iter().flat_map(|outcome| &outcome.lines) {
            // A closed pipe (`gazette list | head`) is not an error worth reporting.
            let _ = writeln!(stdout, "{line}");
        }
    }
    let mut stderr = std::io::stderr().lock();
    for diagnostic in &report.diagnostics {
        let _ = writeln!(stderr, "{diagnostic}");
    }
    match result {
        Err(error) => {
            let _ = writeln!(stderr, "{}", gazette::error::describe(&error));
            ExitCode::from(EXIT_FATAL)
        }
        Ok(outcome) if outcome.digest_incomplete => ExitCode::from(EXIT_DIGEST_INCOMPLETE),
        Ok(outcome) if report.has_errors() || outcome.differs => ExitCode::from(EXIT_POST_ERRORS),
        Ok(_) => ExitCode::SUCCESS,
    }
}
