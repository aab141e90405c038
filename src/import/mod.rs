//! Bringing things in from elsewhere, once: a generator's site (`gazette
//! init --from`) and a show from a podcast host (`gazette import podcast`).
//! Both only read what they import from and write gazette's own files.

pub mod jekyll_podcast;
mod liquid_parts;
pub mod podcast;
pub mod site;
