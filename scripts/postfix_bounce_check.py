#!/usr/bin/env python3
"""A bounce round trip through a real Postfix, for local delivery only: the
example digest goes over SMTP to Postfix on 127.0.0.1 for two real local
users and three unknown ones; Postfix's own delivery status notifications
come back to the VERP return path (a local Maildir); `gazette bounces` must
mark exactly the three unknown users bounced, and a forged report naming a
real user must change nothing.

Needs root and Debian's `postfix` package (installed by .ci/run); starts
Postfix with a configuration of its own and stops it at the end.

    python3 scripts/postfix_bounce_check.py --site . --gazette target/release/gazette
"""

import argparse
import os
import pathlib
import pwd
import shutil
import subprocess
import sys
import time

from checks import Checks, copy_site

DOMAIN = "gazette-ci.test"
READERS = ["gzreader1", "gzreader2"]
UNKNOWN = ["nobody1", "nobody2", "nobody3"]
BOUNCE_USER = "gzbounce"

MAIN_CF = f"""
myhostname = mx.{DOMAIN}
mydomain = {DOMAIN}
myorigin = $mydomain
mydestination = $mydomain, localhost
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
# Accept every local address at RCPT, so that unknown users are refused by
# local delivery with a DSN (the case a refusal at RCPT does not cover).
local_recipient_maps =
recipient_delimiter = +
home_mailbox = Maildir/
alias_maps =
alias_database =
smtpd_banner = $myhostname ESMTP
compatibility_level = 3.6
maillog_file = /var/log/postfix-gazette-ci.log
"""


FORGED = """From: MAILER-DAEMON@mx.elsewhere.example
To: {bounce}@{domain}
Subject: Undelivered Mail Returned to Sender
Message-ID: <forged-1@mx.elsewhere.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

The message could not be delivered.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.elsewhere.example

Final-Recipient: rfc822; {reader}
Action: failed
Status: 5.1.1

--B
Content-Type: text/rfc822-headers

From: someone@{domain}
To: {reader}
Message-ID: <made-up@{domain}>
Subject: a digest

--B--
"""


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=120, **kwargs)


def ensure_user(name: str) -> pathlib.Path:
    try:
        return pathlib.Path(pwd.getpwnam(name).pw_dir)
    except KeyError:
        run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", name]).check_returncode()
        return pathlib.Path(pwd.getpwnam(name).pw_dir)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=pathlib.Path, default=pathlib.Path("."))
    parser.add_argument("--gazette", type=pathlib.Path, default=pathlib.Path("target/release/gazette"))
    parser.add_argument("--now", default="2026-01-01T00:00:00Z")
    args = parser.parse_args()
    check = Checks("postfix bounces")
    if os.geteuid() != 0 or not shutil.which("postfix", path="/usr/sbin:" + os.environ.get("PATH", "")):
        print("postfix bounces: needs root and postfix", file=sys.stderr)
        return 1

    config_dir = pathlib.Path("/etc/postfix-gazette-ci")
    if config_dir.exists():
        shutil.rmtree(config_dir)
    shutil.copytree("/etc/postfix", config_dir)
    (config_dir / "main.cf").write_text(MAIN_CF, encoding="utf-8")
    homes = {user: ensure_user(user) for user in READERS + [BOUNCE_USER]}
    for home in homes.values():
        shutil.rmtree(home / "Maildir", ignore_errors=True)
    postfix = ["postfix", "-c", str(config_dir)]
    run(postfix + ["stop"])
    started = run(postfix + ["start"])
    check(started.returncode == 0, f"postfix start: {started.stdout}{started.stderr}")
    work, _ = copy_site(args.site, "gazette-postfix-")
    try:
        addresses = [f"{u}@{DOMAIN}" for u in READERS + UNKNOWN]
        (work / "subscribers.csv").write_text(
            "email,name\n" + "".join(f"{a},{a.split('@')[0]}\n" for a in addresses), encoding="utf-8"
        )
        text = (work / "config.toml").read_text(encoding="utf-8")
        text = text.replace(
            "[digest]\n",
            f"[digest]\nreturn_path = \"{BOUNCE_USER}+{{token}}@{DOMAIN}\"\n",
            1,
        )
        # Plain SMTP to the local Postfix (gazette allows no TLS on 127.0.0.1 only).
        text += '\n[smtp]\nhost = "127.0.0.1"\nport = 25\ntls = "none"\ntimeout_secs = 30\n'
        if "transport =" in text:
            text = "\n".join(l for l in text.splitlines() if not l.startswith("transport =")) + "\n"
        (work / "config.toml").write_text(text, encoding="utf-8")
        gazette = str(args.gazette.resolve())
        env = dict(os.environ, GAZETTE_DIGEST_SECRET="postfix round trip secret")
        sent = run([gazette, "digest", "--send", "--now", args.now], cwd=work, env=env)
        check(sent.returncode == 0, f"digest --send exited {sent.returncode}: {sent.stdout}{sent.stderr}")

        bounces = homes[BOUNCE_USER] / "Maildir"
        deadline = time.time() + 90
        while time.time() < deadline:
            arrived = list((bounces / "new").glob("*")) if (bounces / "new").is_dir() else []
            if len(arrived) >= len(UNKNOWN):
                break
            run(postfix + ["flush"])
            time.sleep(1)
        arrived = sorted((bounces / "new").glob("*")) if (bounces / "new").is_dir() else []
        check(len(arrived) == len(UNKNOWN), f"{len(arrived)} DSNs arrived for {len(UNKNOWN)} unknown users")
        for user in READERS:
            inbox = homes[user] / "Maildir" / "new"
            check(inbox.is_dir() and len(list(inbox.glob("*"))) == 1, f"{user} did not get the digest once")

        # A stranger's report naming a real reader, to the plain bounce
        # address (no VERP token) and about a message we never sent.
        forged = FORGED.format(domain=DOMAIN, bounce=BOUNCE_USER, reader=f"{READERS[0]}@{DOMAIN}")
        (bounces / "new" / "zz-forged").write_text(forged, encoding="utf-8")

        read = run([gazette, "bounces", str(bounces)], cwd=work, env=env)
        check(read.returncode == 0, f"bounces exited {read.returncode}: {read.stdout}{read.stderr}")
        marked = sorted(
            line.split(" hard ")[1].split(":")[0]
            for line in read.stdout.splitlines()
            if " hard " in line and line.endswith(": bounced")
        )
        expected = sorted(f"{u}@{DOMAIN}" for u in UNKNOWN)
        check(marked == expected, f"marked {marked}, expected {expected}:\n{read.stdout}")
        check("zz-forged: hard" in read.stdout and "unverified: left alone" in read.stdout,
              f"the forged report was not left alone:\n{read.stdout}")
        listed = run([gazette, "subscribers", "list", "--state", "bounced"], cwd=work, env=env)
        bounced = sorted(line.split()[2] for line in listed.stdout.splitlines() if line.strip())
        check(bounced == expected, f"bounced in the ledger: {bounced}")
        active = run([gazette, "subscribers", "list", "--state", "active"], cwd=work, env=env)
        for user in READERS:
            check(f"{user}@{DOMAIN}" in active.stdout, f"{user} is no longer active:\n{active.stdout}")
        print(f"postfix bounces: {len(arrived)} DSNs from Postfix, {len(marked)} addresses marked")
    finally:
        run(postfix + ["stop"])
        shutil.rmtree(work, ignore_errors=True)
    return check.report()


if __name__ == "__main__":
    sys.exit(main())
