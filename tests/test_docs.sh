#!/usr/bin/env bash
# Docs move with code: the generated references in docs/ must equal what the
# binary prints (regenerate with `cmake --build build --target docs`).
. "$(dirname "$0")/common.sh"
"$RELSIM" help keys > keys.md
"$RELSIM" help output > fields.md
checks=$((checks + 1))
diff -u "$SRC/docs/scenario-keys.md" keys.md >keys.diff || fail "docs/scenario-keys.md is out of date: $(head -20 keys.diff)"
checks=$((checks + 1))
diff -u "$SRC/docs/output-fields.md" fields.md >fields.diff || fail "docs/output-fields.md is out of date: $(head -20 fields.diff)"
finish
