//! Integration tests: the real binary on small sites in temporary folders,
//! every output parsed back with an independent parser.

#[macro_use]
mod support;

mod archive;
mod build;
mod cache;
#[cfg(feature = "subscribers")]
mod cadence;
mod commands;
#[cfg(feature = "subscribers")]
mod consent;
mod determinism;
#[cfg(feature = "subscribers")]
mod digest;
mod errors;
mod generators;
mod golden;
mod hostile;
#[cfg(feature = "subscribers")]
mod hosts;
mod page;
mod podcast;
mod record;
#[cfg(feature = "subscribers")]
mod serve;
#[cfg(feature = "subscribers")]
mod smtp;
mod watch;
mod websub;
