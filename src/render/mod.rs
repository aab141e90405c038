//! Turning a post into the HTML and text that outputs carry.

pub mod markdown;
pub mod sanitize;
pub mod templates;
pub mod text;
pub mod urls;
