#!/bin/bash
# Interleaved runs: for each round, for each suite, baseline (A) and current (B), order alternating per round.
B=/work/wt/bench10-base; C=/work/wt/bench10; D=/tmp/bench10
export BENCH_QUIET_WAIT=0 BENCH_RUNS=1 BENCH_DURATION=5 BENCH_WARMUP=2
export BENCH_OPERATIONS=30000 BENCH_IMPORT_ROWS=5000 BENCH_FONCIER_N=100000 BENCH_AIDES=10000 BENCH_AIDES_ROUNDS=10
ROUNDS=${ROUNDS:-3}; SUITES=${SUITES:-foundation operations foncier aides}
one() { # side tree suite round
  local side=$1 tree=$2 suite=$3 r=$4
  echo "=== $(date -u +%T) round $r $suite $side load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $D/runs.log
  local t0=$(date +%s)
  if [ $suite = foundation ]; then
    mkdir -p $D/$side/f$r
    (cd $tree && BENCH_SUITES=foundation BENCH_OUT_DIR=$D/$side/f$r node --expose-gc scripts/bench.mjs) > $D/$side/$suite-$r.log 2>&1
  else
    (cd $tree && node --expose-gc $D/driver.mjs $tree $suite $D/$side/$suite-$r.json) > $D/$side/$suite-$r.log 2>&1
  fi
  echo "    rc $? in $(( $(date +%s) - t0 )) s, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a $D/runs.log
}
for r in $(seq ${START:-1} $ROUNDS); do
  for s in $SUITES; do
    if [ $((r % 2)) = 1 ]; then one base $B $s $r; one cur $C $s $r; else one cur $C $s $r; one base $B $s $r; fi
  done
done
echo "=== done $(date -u +%T)" | tee -a $D/runs.log
