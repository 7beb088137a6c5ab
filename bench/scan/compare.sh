#!/usr/bin/env bash
# Keyshift vs secretlint in one run:
#   1. precision and recall of both on the labelled corpus (corpus/ + corpus-labels.tsv);
#   2. throughput (MB/s) and peak RSS of both on the same generated tree, pinned to one core, and Keyshift
#      again on all cores (one scanning worker per core);
#   3. Keyshift's peak RSS on git histories of two lengths (memory must not grow with history).
# Not part of the test suite. Usage: bench/scan/compare.sh [TREE_MB] [HISTORY_SHORT] [HISTORY_LONG]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tree_mb="${1:-200}"
short="${2:-1000}"
long="${3:-10000}"
work="${TMPDIR:-/tmp}/keyshift-scan-bench"
mkdir -p "$work"

if [ ! -x "$here/.tools/node_modules/.bin/secretlint" ]; then
  npm install --prefix "$here/.tools" secretlint @secretlint/secretlint-rule-preset-recommend >/dev/null
fi
secretlint="$here/.tools/node_modules/.bin/secretlint"
dotnet build "$root/src/Keyshift.Cli/Keyshift.Cli.csproj" -c Release -nologo -v q >/dev/null
keyshift=(dotnet "$root/src/Keyshift.Cli/bin/Release/net10.0/Keyshift.Cli.dll")
echo "keyshift $(git -C "$root" rev-parse --short HEAD), secretlint $("$secretlint" --version)"

echo
echo "== 1. Precision and recall on the labelled corpus =="
(cd "$here/corpus" && "${keyshift[@]}" scan . --no-gitignore --format json > "$work/keyshift-corpus.json") || true
(cd "$here/corpus" && "$secretlint" --secretlintrc "$here/secretlintrc.json" --format json "**/*" > "$work/secretlint-corpus.json") || true
python3 - "$here/corpus-labels.tsv" "$work/keyshift-corpus.json" "$work/secretlint-corpus.json" <<'PY'
import json, sys
labels = set()
for line in open(sys.argv[1]):
    if line.startswith("#") or not line.strip():
        continue
    path, n, _ = line.rstrip("\n").split("\t")
    labels.add((path, int(n)))
per_file = {}
for p, n in labels:
    per_file.setdefault(p, []).append(n)

def score(name, found):
    # A detection matches a labelled line; a tool that reports a whole file at line 1 (secretlint's GCP
    # and private-key rules) is credited when the file holds exactly one labelled secret.
    hits, false = set(), []
    for p, n in found:
        if (p, n) in labels:
            hits.add((p, n))
        elif n == 1 and len(per_file.get(p, [])) == 1:
            hits.add((p, per_file[p][0]))
        else:
            false.append((p, n))
    tp = len(hits)
    precision = tp / (tp + len(false)) if tp + len(false) else 0.0
    recall = tp / len(labels)
    print(f"{name:10} detections={tp + len(false):3}  true={tp:3}  false={len(false):3}  missed={len(labels) - tp:3}  precision={precision:.2f}  recall={recall:.2f}")

ks = json.load(open(sys.argv[2]))
score("keyshift", {(f["path"], f["line"]) for f in ks["findings"] if f["kind"] == "secret"})
sl = json.load(open(sys.argv[3]))
found = set()
for f in sl:
    rel = f["filePath"].split("/corpus/", 1)[1]
    for m in f["messages"]:
        found.add((rel, m["loc"]["start"]["line"]))
score("secretlint", found)
print(f"(labelled secrets: {len(labels)}; keyshift references found: {sum(1 for f in ks['findings'] if f['kind'] == 'reference')})")
PY

echo
echo "== 2. Throughput on a ${tree_mb} MB tree (one core: taskset -c 0) =="
tree="$work/tree-${tree_mb}"
[ -d "$tree" ] || python3 "$here/make_tree.py" "$tree" "$tree_mb"
bytes=$(du -sb "$tree" | cut -f1)
measure() { # name, cores (taskset list, or "all"), command...
  local name="$1" cores="$2"; shift 2
  local pin=(taskset -c "$cores")
  [ "$cores" = all ] && pin=()
  /usr/bin/time -v -o "$work/$name.time" "${pin[@]}" "$@" > "$work/$name.out" 2>/dev/null || true
  python3 - "$name" "$bytes" "$work/$name.time" <<'PY'
import re, sys
name, size, text = sys.argv[1], int(sys.argv[2]), open(sys.argv[3]).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text)
seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
# CPU time as well as wall time: on a shared machine the pinned core is not ours alone.
cpu = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1)) + float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
print(f"{name:14} {size / 1048576:7.1f} MB in {seconds:7.2f} s = {size / 1048576 / seconds:7.1f} MB/s wall, {size / 1048576 / cpu:7.1f} MB/s CPU, peak RSS {rss / 1024:6.0f} MB")
PY
}
(cd "$tree" && measure keyshift 0 "${keyshift[@]}" scan . --no-gitignore --format json)
(cd "$tree" && measure keyshift-all all "${keyshift[@]}" scan . --no-gitignore --format json)
(cd "$tree" && measure secretlint 0 "$secretlint" --secretlintrc "$here/secretlintrc.json" --format json "**/*")
echo "(all cores: $(nproc); CPU MB/s there is per core-second, wall MB/s is the figure that grows with cores)"

echo
echo "== 3. Keyshift memory against history length (scan --history) =="
# Peak RSS of Keyshift's own process (VmHWM polled until it exits) and of the whole run with git (/usr/bin/time).
own_peak() {
  python3 - "$@" <<'PY'
import subprocess, sys, time
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
peak = 0
while p.poll() is None:
    try:
        peak = max([peak] + [int(l.split()[1]) for l in open(f"/proc/{p.pid}/status") if l.startswith("VmHWM:")])
    except OSError:
        pass
    time.sleep(0.02)
print(peak // 1024)
PY
}
for commits in "$short" "$long"; do
  repo="$work/history-$commits"
  [ -d "$repo/.git" ] || python3 "$here/make_history.py" "$repo" "$commits" >/dev/null
  /usr/bin/time -v -o "$work/history-$commits.time" "${keyshift[@]}" scan "$repo" --history --format json > "$work/history-$commits.out" 2>/dev/null || true
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/history-$commits.time")
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/history-$commits.time")
  own=$(own_peak "${keyshift[@]}" scan "$repo" --history --format json)
  found=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); r=[f for f in d['findings'] if f['kind']=='reference']; print(d['summary']['secrets'], 'secrets,', len(r), 'distinct references seen', sum(f.get('occurrences', 1) for f in r), 'times')" "$work/history-$commits.out")
  echo "$commits commits: keyshift process peak RSS $own MB, with git $((rss / 1024)) MB, wall $wall, $found"
done
