#!/usr/bin/env bash
# Adds every symbol the build reports as undeclared (RS0016) to its project's PublicAPI.Unshipped.txt.
# Review the diff: every line is an API decision.
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${1:-Leakproof.slnx}"
dotnet build "$target" -p:TreatWarningsAsErrors=false 2>&1 \
  | grep -E "RS0016" \
  | sed -E "s/.*Symbol '(.*)' is not part of the declared public API.*\[(.*\.csproj)\]$/\2\t\1/" \
  | sort -u \
  | while IFS=$'\t' read -r proj symbol; do
      file="$(dirname "$proj")/.PublicAPI/PublicAPI.Unshipped.txt"
      grep -qxF -- "$symbol" "$file" || printf '%s\n' "$symbol" >> "$file"
    done
for f in $(git ls-files '*PublicAPI.Unshipped.txt') src/*/.PublicAPI/PublicAPI.Unshipped.txt; do
  [ -f "$f" ] || continue
  { echo '#nullable enable'; grep -v '^#nullable enable$' "$f" | sort -u; } > "$f.tmp" && mv "$f.tmp" "$f"
done
exit 0
