#!/usr/bin/env bash
# Checks the hand-written man page against the binary: every option that `awork-mcp --help` lists
# has its own entry under OPTIONS, every environment variable it names is under ENVIRONMENT, the
# version in the title is `awork-mcp --version`'s, and groff renders the page without a warning.
# Usage: man_page_test.sh <awork-mcp binary> <awork-mcp.1>
set -euo pipefail
binary=$1
page=$2
failed=0
fail() { echo "man page: $*" >&2; failed=$((failed + 1)); }

help=$("$binary" --help)
# The page's text with roff's escaped dashes made plain.
text=$(sed 's/\\-/-/g' "$page")

# Options: the first column of --help ("  -h,--help", "  --url TEXT=..."), split at commas.
mapfile -t options < <(grep -E '^  +-' <<<"$help" | awk '{print $1}' | tr ',' '\n' | grep -E '^-')
((${#options[@]} >= 10)) || fail "found only ${#options[@]} options in --help: is its format new?"
# An entry is the line after a .TP that names the option (".B --x", ".BI --x \" ARG\"", ".BR -h \", \" --help").
entries=$(awk 'prev == ".TP" { print } { prev = $0 }' <<<"$text" | sed -n 's/^\.B[IR]\{0,1\} //p')
for option in "${options[@]}"; do
  grep -qE "(^|[ \"])${option}([ \"]|$)" <<<"$entries" || fail "no entry for $option (from --help) under OPTIONS"
done

# Environment variables: every (Env:NAME) of --help, under ENVIRONMENT and in its option's entry.
environment=$(sed -n '/^\.SH ENVIRONMENT/,/^\.SH /p' <<<"$text")
mapfile -t variables < <(grep -oE '\(Env:[A-Z_]+\)' <<<"$help" | sed 's/(Env:\(.*\))/\1/')
((${#variables[@]} >= 1)) || fail "found no (Env:NAME) in --help"
for variable in "${variables[@]}" AWORK_API_KEY; do
  grep -qE "^\.B[R]? ${variable}( |$)" <<<"$environment" || fail "$variable is not under ENVIRONMENT"
done

# The version in .TH ("awork-mcp X.Y.Z", without the commit --version adds).
version=$("$binary" --version | cut -d' ' -f1,2)
grep -qF "\"$version\"" <(grep '^\.TH ' "$page") || fail ".TH does not carry \"$version\" (awork-mcp --version)"

# Every section a man page of a command should have.
for section in NAME SYNOPSIS DESCRIPTION OPTIONS ENVIRONMENT FILES "EXIT STATUS" EXAMPLES "SEE ALSO"; do
  grep -qE "^\.SH \"?${section}\"?$" "$page" || fail "no section $section"
done

# groff renders it without a warning (-ww: all warnings).
warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1) || fail "groff failed: $warnings"
[[ -z $warnings ]] || fail "groff warns: $warnings"

echo "man page: ${#options[@]} options and ${#variables[@]} environment variables of --help checked, $failed problems"
((failed == 0))
