# Shared helpers for the command-line tests: source it after setting
# RELSIM, SRC and WORK from the arguments.
RELSIM=$1
SRC=$2
WORK=$3
PYTHON=${RELSIM_PYTHON:-python3}
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"
failures=0
checks=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# expect_status CODE DESCRIPTION -- COMMAND...: run COMMAND, check its exit status.
expect_status() {
  local want=$1 what=$2
  shift 3
  checks=$((checks + 1))
  "$@" >out.txt 2>err.txt
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "$what: exit status $got, expected $want"
    sed 's/^/  stdout: /' out.txt >&2
    sed 's/^/  stderr: /' err.txt >&2
  fi
}

# expect_in FILE TEXT DESCRIPTION: FILE contains TEXT (fixed string).
expect_in() {
  checks=$((checks + 1))
  if ! grep -qF -- "$2" "$1"; then
    fail "$3: '$2' not found in $1"
    sed 's/^/  | /' "$1" >&2
  fi
}

expect_file() {
  checks=$((checks + 1))
  [ -f "$1" ] || fail "$2: $1 does not exist"
}

expect_no_file() {
  checks=$((checks + 1))
  [ ! -e "$1" ] || fail "$2: $1 exists but should not"
}

# Small-run overrides: a few thousand customers, few periods, few contacts.
SMALL=(--set market.customers=3000 --set run.periods=12 --set network.contacts=20 --quiet)

finish() {
  echo "$(basename "$0" .sh): $checks checks, $failures failed"
  [ "$failures" -eq 0 ]
}
