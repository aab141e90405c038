//! Integration tests: the real binary on small sites in temporary folders,
//! every output parsed back with an independent parser.

mod archive;
mod build;
mod cache;
mod cadence;
mod commands;
mod consent;
mod determinism;
mod digest;
mod errors;
mod generators;
mod golden;
mod hostile;
mod page;
mod podcast;
mod record;
mod serve;
mod smtp;
mod support;
mod watch;
mod websub;
