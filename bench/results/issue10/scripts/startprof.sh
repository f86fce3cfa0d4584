#!/bin/bash
# startprof.sh <tree> <outdir>: CPU profile of one server start on the prepared PG database, stopped at the first 200.
tree=$1; out=$2; mkdir -p $out
port=$((40000 + RANDOM % 10000))
cd $tree; DATABASE_URL=postgres://postgres@127.0.0.1:5432/atelier_bench_inj10 SESSION_SECRET=$(printf 'x%.0s' {1..48}) ATELIER_DEMO=1 LOG_LEVEL=warn HOST=127.0.0.1 PORT=$port \
  node --cpu-prof --cpu-prof-dir=$out dist/server/server/main.js > $out/server.log 2>&1 &
pid=$!
t0=$(date +%s.%N)
until curl -sf http://127.0.0.1:$port/healthz >/dev/null; do sleep 0.05; done
t1=$(date +%s.%N)
cpu=$(awk '{print ($14+$15)/100}' /proc/$pid/stat)
kill -TERM $pid; wait $pid
echo "$tree ready $(echo "$t1 - $t0" | bc) s cpu $cpu s"
