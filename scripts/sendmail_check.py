#!/usr/bin/env python3
"""Send the example site's digest through the `sendmail` transport to a fake
`sendmail` that records its arguments and input, and check every message
with Python's own e-mail parser.

    python3 scripts/sendmail_check.py --site . --gazette target/release/gazette
"""

import argparse
import email
import email.policy
import email.utils
import pathlib
import shutil
import stat
import subprocess
import sys

from checks import Checks, copy_site

# gazette runs several of these at once (one per connection): each names
# its files after its own process, never after a count another may share.
FAKE = """#!/usr/bin/env python3
import os, pathlib, sys
spool = pathlib.Path({spool!r})
name = str(os.getpid())
(spool / f"{{name}}.args").write_text("\\n".join(sys.argv[1:]))
(spool / f"{{name}}.eml").write_bytes(sys.stdin.buffer.read())
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=pathlib.Path, default=pathlib.Path("."))
    parser.add_argument("--gazette", type=pathlib.Path, default=pathlib.Path("target/release/gazette"))
    parser.add_argument("--now", default="2026-01-01T00:00:00Z")
    args = parser.parse_args()
    work, config = copy_site(args.site, "gazette-sendmail-")
    spool = work / "spool"
    spool.mkdir()
    fake = work / "fake-sendmail"
    fake.write_text(FAKE.format(spool=str(spool)), encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    text = (work / "config.toml").read_text(encoding="utf-8")
    text = text.replace("[digest]\n", f'[digest]\ntransport = "sendmail"\nsendmail_path = "{fake}"\n', 1)
    (work / "config.toml").write_text(text, encoding="utf-8")
    check = Checks("sendmail")
    try:
        run = subprocess.run(
            [str(args.gazette.resolve()), "digest", "--send", "--now", args.now],
            cwd=work, capture_output=True, text=True, timeout=300,
        )
        check(run.returncode == 0, f"digest --send exited {run.returncode}: {run.stdout}{run.stderr}")
        # Valid addresses, each once (invalid rows and repeats are skipped).
        subscribers = sorted({
            line.split(",")[0].strip().lower()
            for line in (work / config["digest"].get("subscribers", "subscribers.csv")).read_text(encoding="utf-8").splitlines()[1:]
            if "@" in line.split(",")[0] and "unsubscribed" not in line
        })
        sender = email.utils.parseaddr(config["digest"]["from"])[1]
        messages = sorted(spool.glob("*.eml"))
        check(len(messages) == len(subscribers), f"{len(messages)} messages for {len(subscribers)} subscribers")
        seen = []
        for path in messages:
            argv = path.with_suffix(".args").read_text().split("\n")
            check(argv[:4] == ["-i", "-f", sender, "--"] and len(argv) == 5, f"{path.name}: sendmail called as {argv}")
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            recipient = argv[-1].lower()
            seen.append(recipient)
            check(email.utils.parseaddr(str(message["To"]))[1].lower() == recipient, f"{path.name}: To is not {recipient}")
            check(email.utils.parseaddr(str(message["From"]))[1] == sender, f"{path.name}: From")
            for header in ("Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post"):
                check(message[header], f"{path.name}: no {header}")
            check("token=" in str(message["List-Unsubscribe"]), f"{path.name}: no token in List-Unsubscribe")
            check(message.get_content_type() == "multipart/alternative", f"{path.name}: {message.get_content_type()}")
            kinds = [part.get_content_type() for part in message.iter_parts()]
            check(kinds == ["text/plain", "text/html"], f"{path.name}: parts {kinds}")
        check(sorted(seen) == sorted(subscribers), f"recipients {sorted(seen)} != {sorted(subscribers)}")
        print(f"sendmail: {len(messages)} messages handed over, each parsed")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
