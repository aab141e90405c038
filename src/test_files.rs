//! Sites written file by file for unit tests.

use std::path::Path;

/// Writes `text` to `name` below `dir`, with the folders it needs.
pub(crate) fn write_file(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
