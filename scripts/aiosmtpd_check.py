#!/usr/bin/env python3
"""Deliver the example site's digest to Python's aiosmtpd, a second SMTP
server independent of the one the Rust tests use, over STARTTLS with AUTH.

Copies the site to a temporary folder, points its [smtp] section at an
aiosmtpd server on 127.0.0.1 (certificate from a throw-away CA made with
trustme), runs `gazette digest --send`, and checks what arrived with Python's
own e-mail parser; messages are DKIM-signed with a fresh RSA key (PKCS#8, as opendkim-genkey writes it) and verified
with dkimpy against that key's public half.

    python3 scripts/aiosmtpd_check.py --site . --gazette target/release/gazette
"""

import argparse
import email
import email.policy
import os
import pathlib
import shutil
import socket
import ssl
import subprocess
import sys

import dkim
import trustme
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from checks import Checks, copy_site

USER, PASSWORD = "digest", "correct horse battery staple"


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.content, session.authenticated))
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=pathlib.Path, default=pathlib.Path("."))
    parser.add_argument("--gazette", type=pathlib.Path, default=pathlib.Path("target/release/gazette"))
    args = parser.parse_args()

    work, _ = copy_site(args.site, "gazette-aiosmtpd-")

    ca = trustme.CA()
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    ca.cert_pem.write_to_path(str(work / "ca.pem"))

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (work / "dkim.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    dns_record = b"v=DKIM1; k=rsa; p=" + __import__("base64").b64encode(public)
    lookups = []

    def dnsfunc(name, timeout=5):
        lookups.append(name)
        return dns_record if name.startswith(b"gazette._domainkey.") else None

    collector = Collector()
    port = free_port()
    controller = Controller(
        collector, hostname="127.0.0.1", port=port, tls_context=server_context,
        require_starttls=True, auth_require_tls=True, authenticator=authenticator,
    )
    controller.start()
    check = Checks("aiosmtpd")

    try:
        with open(work / "config.toml", "a", encoding="utf-8") as f:
            f.write(f'\n[smtp]\nhost = "127.0.0.1"\nport = {port}\ntls = "starttls"\nusername = "{USER}"\n'
                    f'password_env = "AIOSMTPD_PASSWORD"\nca_file = "ca.pem"\n'
                    '\n[digest.dkim]\nselector = "gazette"\nprivate_key_file = "dkim.pem"\n')
        env = {**os.environ, "AIOSMTPD_PASSWORD": PASSWORD}
        run = subprocess.run([str(args.gazette.resolve()), "digest", "--send", "--now", "2026-01-01T00:00:00Z"],
                             cwd=work, env=env, capture_output=True, text=True, timeout=120)
        print(run.stdout.strip())
        check(run.returncode == 0, f"gazette digest --send exited {run.returncode}: {run.stderr}")
        check(len(collector.messages) == 3, f"{len(collector.messages)} messages arrived, expected 3")
        tokens = set()
        for recipients, content, authenticated in collector.messages:
            message = email.message_from_bytes(content, policy=email.policy.default)
            check(authenticated, "a message was accepted without AUTH")
            check(dkim.verify(content, dnsfunc=dnsfunc), f"DKIM signature does not verify for {recipients}")
            signed = str(message["DKIM-Signature"]).replace(" ", "").replace("\r\n", "").lower()
            check("list-unsubscribe:list-unsubscribe-post" in signed, f"unsubscribe headers not signed: {signed}")
            check(len(recipients) == 1 and recipients[0] in message["To"], f"one recipient per message: {recipients}")
            check(message.get_content_type() == "multipart/alternative", f"type {message.get_content_type()}")
            parts = [p.get_content_type() for p in message.iter_parts()]
            check(parts == ["text/plain", "text/html"], f"parts {parts}")
            for header in ("From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post"):
                check(message[header], f"no {header} header")
            check(message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click", "List-Unsubscribe-Post value")
            unsubscribe = str(message["List-Unsubscribe"])
            check(unsubscribe.startswith("<https://"), f"List-Unsubscribe {unsubscribe}")
            tokens.add(unsubscribe.split("token=")[1][:32])
            text = message.get_body(("plain",)).get_content()
            check("Transcript: an afternoon pair-programming" in text, "the text part lists the posts")
        check(len(tokens) == len(collector.messages), "unsubscribe tokens differ per subscriber")
        again = subprocess.run([str(args.gazette.resolve()), "digest", "--send", "--now", "2026-01-01T00:00:00Z"],
                               cwd=work, env=env, capture_output=True, text=True, timeout=120)
        check(again.returncode == 0 and len(collector.messages) == 3, "a second run sent again")
    finally:
        controller.stop()
        shutil.rmtree(work, ignore_errors=True)

    return check.report()


if __name__ == "__main__":
    sys.exit(main())
