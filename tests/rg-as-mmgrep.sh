#!/bin/bash
# Runs ripgrep as if it were mmgrep, to check the expected bytes written in the tests:
#
#     MMGREP_TEST_SHIM=$PWD/tests/rg-as-mmgrep.sh cargo test --test tests
#
# Every test whose expectation is ripgrep's passes; the failures are tests of what mmgrep
# does on its own (--reverse, --chunk-size refusal, messages in mmgrep's words, ...).
# Not used by the suite itself. RG names the ripgrep binary (default: rg on PATH; for the
# permission tests it must be runnable by uid 65534).
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --chunk-size) shift 2; continue;;
    --chunk-size=*) shift; continue;;
    --mmap) case "$2" in never) args+=(--no-mmap);; always) args+=(--mmap);; esac; shift 2; continue;;
    --sort) shift 2; continue;;
    *) args+=("$1"); shift;;
  esac
done
err=$(mktemp)
"${RG:-rg}" --sort path "${args[@]}" 2>"$err"
rc=$?
sed 's/^rg: /mmgrep: /' "$err" >&2
rm -f "$err"
exit $rc
