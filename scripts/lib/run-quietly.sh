# Sourced by the build scripts. run LOG DESCRIPTION COMMAND...: runs COMMAND with all its output
# in LOG; if it fails, shows the log's end and exits, naming the script and the step.
run() {
  local log=$1 what=$2; shift 2
  if ! "$@" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "$(basename "$0"): $what failed (the end of its log is above; all of it in $log)" >&2
    exit 1
  fi
}
