"""A tally of named checks that prints the closing line CI reads."""

import sys


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
