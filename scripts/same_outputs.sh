#!/bin/bash
# Outputs of two gazette binaries compared byte for byte on the example
# site, the golden fixture, the generator fixture sites (after init --from)
# and, if given, a corpus site. Exit 1 if anything differs.
set -u
OLD=${1:?usage: same_outputs.sh OLD_BIN NEW_BIN [CORPUS_SITE]}; NEW=${2:?}; CORPUS=${3:-}; NOW=2026-01-01T00:00:00Z
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel); root=$(mktemp -d)
fail=0
run_pair() { # name srcdir init?
  for v in old new; do
    d=$root/$1-$v; mkdir -p $d; cp -r $2/. $d/; rm -rf $d/.gazette $d/feeds
    bin=$OLD; [ $v = new ] && bin=$NEW
    ( cd $d; if [ "$3" = init ]; then $bin init --from . >/dev/null 2>&1; fi
      $bin build --now $NOW > $root/$1-$v.out 2> $root/$1-$v.err; echo "exit $?" >> $root/$1-$v.out )
  done
  if diff -r -q -x .gazette -x '*.cache' $root/$1-old $root/$1-new >/dev/null && diff -q $root/$1-old.err $root/$1-new.err >/dev/null; then
    echo "$1: identical ($(find $root/$1-new -type f | wc -l) files)"
  else echo "$1: DIFFERS"; diff -r -q -x .gazette $root/$1-old $root/$1-new | head -5; diff $root/$1-old.err $root/$1-new.err | head -5; fail=1; fi
}
git -C $repo archive HEAD | (mkdir -p $root/src && tar -x -C $root/src)
run_pair example $root/src plain
run_pair golden $repo/tests/fixtures/golden plain
for s in $repo/tests/fixtures/sites/*; do run_pair fixture-$(basename $s) $s init; done
# A site of generated posts (scripts/bench.py --corpus … writes one), if given.
if [ -n "$CORPUS" ]; then run_pair corpus "$CORPUS" plain; fi
rm -rf "$root"
exit $fail
