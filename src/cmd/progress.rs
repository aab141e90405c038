//! Progress of a long run: a bar on a terminal, a line every tenth of the
//! way under cron, nothing with `-q`.

use std::io::IsTerminal;

use std::sync::Mutex;
use std::time::{Duration, Instant};

use gazette::content::collect::Reading as Event;
#[cfg(feature = "subscribers")]
use gazette::digest::Progress;
use indicatif::{ProgressBar, ProgressStyle};

/// How long a build reads before its bar appears: short builds stay quiet.
const SHOW_AFTER: Duration = Duration::from_secs(1);

/// Reading a site's posts: a bar on a terminal once it takes a while.
pub(crate) struct Reading {
    enabled: bool,
    started: Instant,
    state: Mutex<(usize, usize, Option<ProgressBar>)>,
}

impl Reading {
    pub(crate) fn new(quiet: bool) -> Reading {
        Reading {
            enabled: !quiet && std::io::stderr().is_terminal(),
            started: Instant::now(),
            state: Mutex::new((0, 0, None)),
        }
    }

    /// Called from the reading threads.
    pub(crate) fn show(&self, event: Event) {
        if !self.enabled {
            return;
        }
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let (total, done, bar) = &mut *state;
        match event {
            Event::Start { files } => *total = files,
            Event::File => {
                *done += 1;
                if bar.is_none() && self.started.elapsed() >= SHOW_AFTER {
                    let new = ProgressBar::new(*total as u64);
                    if let Ok(style) = ProgressStyle::with_template(
                        "reading posts {bar:40} {pos}/{len} ({eta} left)",
                    ) {
                        new.set_style(style);
                    }
                    *bar = Some(new);
                }
                if let Some(bar) = bar {
                    bar.set_position(*done as u64);
                }
            }
            Event::Done => {
                if let Some(bar) = bar.take() {
                    bar.finish_and_clear();
                }
            }
        }
    }
}

/// A digest's send: a bar on a terminal, a line every tenth under cron.
#[cfg(feature = "subscribers")]
pub(crate) struct Bar {
    label: &'static str,
    quiet: bool,
    bar: Option<ProgressBar>,
    total: usize,
    done: usize,
}

#[cfg(feature = "subscribers")]
impl Bar {
    pub(crate) fn new(label: &'static str, quiet: bool) -> Bar {
        Bar {
            label,
            quiet,
            bar: None,
            total: 0,
            done: 0,
        }
    }

    pub(crate) fn show(&mut self, event: Progress<'_>) {
        match event {
            Progress::Start { total } => {
                self.total = total;
                self.done = 0;
                self.bar = (!self.quiet && std::io::stderr().is_terminal()).then(|| {
                    let bar = ProgressBar::new(total as u64);
                    if let Ok(style) =
                        ProgressStyle::with_template("{bar:40} {pos}/{len} {msg} ({eta} left)")
                    {
                        bar.set_style(style);
                    }
                    bar
                });
            }
            Progress::Step { email } => {
                self.done += 1;
                match &self.bar {
                    Some(bar) => {
                        bar.set_message(email.to_string());
                        bar.inc(1);
                    }
                    None if !self.quiet => {
                        let every = (self.total / 10).max(1);
                        if self.done.is_multiple_of(every) || self.done == self.total {
                            eprintln!("{}: {}/{} done", self.label, self.done, self.total);
                        }
                    }
                    None => {}
                }
            }
            // A line that must be seen (a failure), printed above the bar.
            Progress::Note(line) => match &self.bar {
                Some(bar) => bar.println(line),
                None => eprintln!("{line}"),
            },
            Progress::Finish => {
                if let Some(bar) = self.bar.take() {
                    bar.finish_and_clear();
                }
            }
        }
    }
}
