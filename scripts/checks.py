"""What the CI scripts share: a tally of named checks that prints the
closing line CI reads, and a throw-away copy of a site to run gazette on."""

import pathlib
import shutil
import sys
import tempfile
import tomllib


class Checks:
    def __init__(self, name: str):
        self.name = name
        self.passed = 0
        self.failures = []

    def __call__(self, condition, message: str) -> None:
        if condition:
            self.passed += 1
        else:
            self.failures.append(message)

    def report(self) -> int:
        """Prints every failure and `name: N passed, M failed`; the exit status."""
        for failure in self.failures:
            print(f"FAIL {failure}", file=sys.stderr)
        print(f"{self.name}: {self.passed} passed, {len(self.failures)} failed")
        return 1 if self.failures else 0


def copy_site(site: pathlib.Path, prefix: str) -> tuple:
    """Copies a site's config, content, templates and subscriber list to a
    new temporary folder; returns the folder and the parsed config."""
    config = tomllib.loads((site / "config.toml").read_text(encoding="utf-8"))
    names = (
        "config.toml",
        config.get("content_dir", "content"),
        config.get("templates_dir", "templates"),
        config.get("digest", {}).get("subscribers", "subscribers.csv"),
    )
    work = pathlib.Path(tempfile.mkdtemp(prefix=prefix))
    for name in names:
        source = site / name
        if source.is_dir():
            shutil.copytree(source, work / name)
        elif source.is_file():
            shutil.copy(source, work / name)
    return work, config
