#!/usr/bin/env bash
# bench/device.sh: the GPU figures of issue 12 in one run of at most 8 minutes, on a machine with a real
# GPU (WebGPU through Dawn and Vulkan): the raster bench, the train bench at the quick and the
# original's sizes, and a short demo at the original's sizes, all on webgpu. Every JSON line goes to
# $OUT (default out/device): raster.json, train-quick.json, train-paper.json, demo.json, and each
# step's full log beside it. A step that runs out of its time slice is stopped and said so; the
# others still run.
#   OUT=/some/dir bash bench/device.sh
set -uo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-out/device}"
mkdir -p "$OUT"
[ -d node_modules ] || npm ci --no-audit --no-fund > "$OUT/npm-ci.log" 2>&1

# name, seconds, command...: run with a time limit, keep its log, copy its JSON lines.
step() {
  local name="$1" seconds="$2"
  shift 2
  echo "== $name (at most ${seconds} s): $*"
  timeout --signal=INT --kill-after=10 "$seconds" "$@" > "$OUT/$name.log" 2>&1
  local code=$?
  grep '^{' "$OUT/$name.log" > "$OUT/$name.json" || true
  [ "$code" -eq 124 ] && echo "   stopped after ${seconds} s (figures incomplete)"
  [ "$code" -ne 0 ] && [ "$code" -ne 124 ] && echo "   failed with exit code $code (see $OUT/$name.log)"
  tail -n 3 "$OUT/$name.log"
}

step raster 60 npx tsx bench/main.ts raster --json --backend webgpu
step train-quick 120 npx tsx bench/main.ts train --json --backend webgpu --no-torch --query 128,256
step train-paper 120 npx tsx bench/main.ts train --json --backend webgpu --no-torch --sizes paper --repeats 2
# A demo at the original's sizes, a few epochs, on a small dataset (its metrics.json as one JSON line).
step demo 150 npx tsx examples/demo.ts --backend webgpu --sizes paper --frames 24 --size 512 --epochs1 3 --epochs2 1 --out "$OUT/demo"
if [ -f "$OUT/demo/metrics.json" ]; then node -e 'process.stdout.write(JSON.stringify(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))) + "\n")' "$OUT/demo/metrics.json" >> "$OUT/demo.json"; fi
echo "JSON lines in $OUT: $(cat "$OUT"/*.json 2>/dev/null | wc -l)"
