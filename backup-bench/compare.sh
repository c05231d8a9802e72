#!/usr/bin/env bash
# End-to-end comparison of Holdfast and restic on the reference dataset (shared/bench/gen.py).
# On demand only; never part of `mvn verify`. Prints wall time, CPU and peak RSS of each step for
# both tools, alternating them, and the Holdfast/restic ratio of the median wall times.
#
#   backup-bench/compare.sh [--scale F] [--rounds N] [--work DIR] [--restore-base DIR]
#
# --restore-base puts the restore targets elsewhere (e.g. /dev/shm, to measure the tools rather
# than the filesystem's file creation).
#
# Steps per round: full backup into an empty repository, a second backup with nothing changed,
# `gen.py mutate` then a backup, and a full restore into an empty directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
scale=1; rounds=3; work=/tmp/holdfast-bench; restore_base=
while [ $# -gt 0 ]; do
  case "$1" in
    --scale) scale=$2; shift 2;;
    --rounds) rounds=$2; shift 2;;
    --work) work=$2; shift 2;;
    --restore-base) restore_base=$2; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
gen="$top/../shared/bench/gen.py"
[ -f "$gen" ] || { echo "cannot find $gen" >&2; exit 2; }
command -v restic >/dev/null || { echo "restic is not installed (apt-get install -y restic)" >&2; exit 2; }
export LANG=C.UTF-8 LC_ALL=C.UTF-8 RESTIC_PASSWORD=bench HOLDFAST_PASSWORD=bench

jar="$here/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$top" \( -name '*.java' -o -name '*.properties' -o -name pom.xml \) -newer "$jar" -print -quit)" ]; then
  (cd "$top" && mvn -B -q -DskipTests package -pl backup-bench -am)
fi
holdfast=(java -Xmx256m -cp "$jar" io.holdfast.bench.EndToEnd)

mkdir -p "$work"
restore_base=${restore_base:-$work}
data="$work/ref-$scale"
if [ ! -d "$data" ]; then
  python3 "$gen" gen "$data" --scale "$scale"
fi
# through a pipe: GNU tar does not read file contents when it writes to /dev/null
warm() { tar cf - -C "$data" . | cat > /dev/null; }

declare -A results
# run STEP TOOL CMD...: time one command, keep "wall user sys rss"
run() {
  local step=$1 tool=$2; shift 2
  if ! /usr/bin/time -f '%e %U %S %M' "$@" > /dev/null 2>"$work/last.err"; then
    echo "FAILED: $tool $step"; cat "$work/last.err"; exit 1
  fi
  local out
  out=$(tail -1 "$work/last.err")
  results["$step,$tool"]+="$out;"
  printf '%-10s %-9s wall %6ss  user %6ss  sys %6ss  rss %7s KB\n' "$step" "$tool" $out
}

# ext4 skips inodes freed in the last 30 s when it allocates new ones, which makes creating 20k
# files right after deleting 20k others several times slower: let that window pass before each
# restore, so neither tool pays for the other's clean-up.
settle() { sync; sleep 35; }

mutation=$(cat "$work/mutation-$scale" 2>/dev/null || echo 0)
for r in $(seq 1 "$rounds"); do
  # alternate who goes first, so that neither always runs on a cache or disk the other just warmed
  if [ $((r % 2)) -eq 1 ]; then order="restic holdfast"; else order="holdfast restic"; fi
  echo "--- round $r ($order)"
  for tool in restic holdfast; do
    repo="$work/repo-$tool"; rm -rf "$repo" "$work/restore-$tool"
    if [ $tool = restic ]; then restic -q -r "$repo" init >/dev/null; else "${holdfast[@]}" init "$repo" >/dev/null; fi
  done
  for step in full nochange; do
    for tool in $order; do
      warm
      if [ $tool = restic ]; then run $step restic restic -q -r "$work/repo-restic" backup "$data";
      else run $step holdfast "${holdfast[@]}" backup "$work/repo-holdfast" "$data"; fi
    done
  done
  mutation=$((mutation + 1)); echo $mutation > "$work/mutation-$scale"
  python3 "$gen" mutate "$data" --scale "$scale" --round "$mutation" > /dev/null
  for tool in $order; do
    warm
    if [ $tool = restic ]; then run mutate restic restic -q -r "$work/repo-restic" backup "$data";
    else run mutate holdfast "${holdfast[@]}" backup "$work/repo-holdfast" "$data"; fi
  done
  for tool in $order; do
    rm -rf "$restore_base/restore-$tool"
    settle
    if [ $tool = restic ]; then run restore restic restic -q -r "$work/repo-restic" restore latest --target "$restore_base/restore-restic";
    else run restore holdfast "${holdfast[@]}" restore "$work/repo-holdfast" "$restore_base/restore-holdfast"; fi
    rm -rf "$restore_base/restore-$tool"
  done
done

median() { tr ';' '\n' | awk 'NF' | awk '{print $1}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo
echo "median wall seconds over $rounds rounds (scale $scale):"
printf '%-10s %9s %9s %7s\n' step restic holdfast ratio
for step in full nochange mutate restore; do
  rs=$(echo "${results[$step,restic]}" | median); hs=$(echo "${results[$step,holdfast]}" | median)
  printf '%-10s %9s %9s %7s\n' "$step" "$rs" "$hs" "$(awk -v a="$hs" -v b="$rs" 'BEGIN {printf "%.2f", a/b}')"
done
