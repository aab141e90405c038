//! Eleventy's `date: git Last Modified` and `date: git Created`
//! (`Template.getMappedDate`, any case): the author time of the newest
//! commit that touched the file, or of the commit that added it, asked of
//! git with the arguments Eleventy 3 uses (`Util/DateGitLastUpdated.js`,
//! `Util/DateGitFirstAdded.js`).
//!
//! Where git has no answer (the file not committed yet, no repository, no
//! `git` program) Eleventy dates the page at each build's time; gazette
//! leaves such a page out and says why.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

/// Which of git's dates a page's `date` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GitDate {
    LastModified,
    Created,
}

impl GitDate {
    /// The date Eleventy's words name, `None` for any other value.
    pub fn named(value: &str) -> Option<GitDate> {
        if value.eq_ignore_ascii_case("git last modified") {
            Some(GitDate::LastModified)
        } else if value.eq_ignore_ascii_case("git created") {
            Some(GitDate::Created)
        } else {
            None
        }
    }

    /// The date of `path` in the history of the repository holding it, in
    /// UTC as Eleventy's `Date` is; `None` where git gives none.
    pub fn of(self, path: &Path) -> Option<DateTime<FixedOffset>> {
        let folder = crate::paths::or_current(path.parent()?);
        let mut git = std::process::Command::new("git");
        git.current_dir(folder)
            .stdin(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .arg("log");
        if self == GitDate::Created {
            // Newest first, so the last time the file (under any of its
            // names, `--follow`) was added.
            git.args(["--diff-filter=A", "--follow"]);
        }
        git.args(["-1", "--format=%at", "--"])
            .arg(path.file_name()?);
        let output = git.output().ok()?;
        if !output.status.success() {
            return None;
        }
        let seconds: i64 = std::str::from_utf8(&output.stdout)
            .ok()?
            .trim()
            .parse()
            .ok()?;
        DateTime::from_timestamp(seconds, 0).map(|date| date.fixed_offset())
    }
}

/// What a commit, a checkout or a pull changes in the repository holding
/// `root`, read without running git: the text of `HEAD` and of the branch
/// file it names, and the size and time of `packed-refs`. Empty outside a
/// repository. A build cache keyed on it reads git's dates anew after any
/// of those, though no post file changed.
pub fn history_state(root: &Path) -> Vec<u8> {
    let Some((git_dir, common_dir)) = repository_of(root) else {
        return Vec::new();
    };
    let head = std::fs::read(git_dir.join("HEAD")).unwrap_or_default();
    let mut state = head.clone();
    let branch = std::str::from_utf8(&head)
        .ok()
        .and_then(|text| text.trim().strip_prefix("ref: "))
        .map(str::to_string);
    if let Some(branch) = branch {
        for folder in [&git_dir, &common_dir] {
            state.extend(std::fs::read(folder.join(&branch)).unwrap_or_default());
        }
    }
    // A branch packed (by `git gc`) has no file of its own.
    let packed = std::fs::metadata(common_dir.join("packed-refs")).ok();
    let modified = packed
        .as_ref()
        .and_then(|meta| meta.modified().ok())
        .and_then(|time| time.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |since| since.as_nanos());
    state.extend_from_slice(&packed.map_or(0, |meta| meta.len()).to_le_bytes());
    state.extend_from_slice(&modified.to_le_bytes());
    state
}

/// The git folder of the repository holding `root` and the folder its
/// refs are kept in (the main repository's, for a linked worktree).
fn repository_of(root: &Path) -> Option<(PathBuf, PathBuf)> {
    // A config in the working folder has the root `""`.
    let root = crate::paths::or_current(root);
    let start = std::path::absolute(root).ok()?;
    let dot_git = start
        .ancestors()
        .map(|folder| folder.join(".git"))
        .find(|candidate| candidate.exists())?;
    if dot_git.is_dir() {
        return Some((dot_git.clone(), dot_git));
    }
    // A worktree or a submodule: `.git` is a file naming the folder.
    let text = std::fs::read_to_string(&dot_git).ok()?;
    let named = text.trim().strip_prefix("gitdir:")?.trim();
    let git_dir = dot_git.parent()?.join(named);
    let common_dir = std::fs::read_to_string(git_dir.join("commondir"))
        .map(|common| git_dir.join(common.trim()))
        .unwrap_or_else(|_| git_dir.clone());
    Some((git_dir, common_dir))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn git(dir: &Path, args: &[&str], when: &str) {
        let status = Command::new("git")
            .current_dir(dir)
            .args([
                "-c",
                "user.name=T",
                "-c",
                "user.email=t@example.org",
                "-c",
                "commit.gpgsign=false",
            ])
            .args(args)
            .env("GIT_AUTHOR_DATE", when)
            .env("GIT_COMMITTER_DATE", when)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    #[test]
    fn the_dates_are_git_s_as_eleventy_asks_for_them() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git(root, &["init", "-q"], "2024-01-01T00:00:00Z");
        crate::test_files::write_file(root, "posts/kelp.md", "one\n");
        let before_commit = history_state(root);
        git(root, &["add", "."], "2024-03-01T10:00:00Z");
        git(root, &["commit", "-qm", "a"], "2024-03-01T10:00:00Z");
        assert_ne!(history_state(root), before_commit);
        // Renamed, then edited: `--follow` finds the first add under the old name.
        git(
            root,
            &["mv", "posts/kelp.md", "posts/kelp-forest.md"],
            "2024-04-01T00:00:00Z",
        );
        git(root, &["commit", "-qm", "b"], "2024-04-01T00:00:00Z");
        crate::test_files::write_file(root, "posts/kelp-forest.md", "two\n");
        let after_first = history_state(root);
        git(root, &["commit", "-qam", "c"], "2024-05-02T08:30:00Z");
        assert_ne!(history_state(root), after_first);
        let post = root.join("posts/kelp-forest.md");
        let date = |which: GitDate| which.of(&post).map(|d| d.to_rfc3339());
        assert_eq!(
            date(GitDate::LastModified).as_deref(),
            Some("2024-05-02T08:30:00+00:00")
        );
        assert_eq!(
            date(GitDate::Created).as_deref(),
            Some("2024-03-01T10:00:00+00:00")
        );
        crate::test_files::write_file(root, "posts/draft.md", "new\n");
        assert_eq!(GitDate::LastModified.of(&root.join("posts/draft.md")), None);
        assert_eq!(GitDate::Created.of(&root.join("posts/draft.md")), None);
    }

    #[test]
    fn outside_a_repository_there_is_neither_date_nor_state() {
        let dir = tempfile::tempdir().unwrap();
        crate::test_files::write_file(dir.path(), "kelp.md", "one\n");
        // The temporary folder is in no repository where the tests run.
        assert_eq!(GitDate::Created.of(&dir.path().join("kelp.md")), None);
        assert!(history_state(dir.path()).is_empty());
        assert_eq!(GitDate::named("Git Created"), Some(GitDate::Created));
        assert_eq!(
            GitDate::named("git last modified"),
            Some(GitDate::LastModified)
        );
        assert_eq!(GitDate::named("Last Modified"), None);
    }
}
