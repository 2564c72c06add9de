#!/usr/bin/env bash
# Arrows point only down: every #include in src/ and include/relsim/ must
# name a module of a lower layer (or the file's own module). The layers are
# listed in tests/include_order.py; docs/architecture.md draws them.
. "$(dirname "$0")/common.sh"
checks=$((checks + 1))
"$PYTHON" "$SRC/tests/include_order.py" "$SRC" >order.txt 2>&1 || { fail "an include points up the order:"; sed 's/^/  /' order.txt >&2; }
finish
