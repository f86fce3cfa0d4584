// Per-suite table from the raw JSON of the interleaved runs: /tmp/bench10/{base,cur}/<suite>-<round>.json.
import { existsSync, readFileSync } from 'node:fs';
const D = '/tmp/bench10';
const med = (xs) => { const s = xs.filter((x) => x != null).sort((a, b) => a - b); if (!s.length) return null; const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const runs = (side, suite) => [1, 2, 3].map((r) => `${D}/${side}/${suite}-${r}.json`).filter(existsSync).map((f) => ({ round: Number(f.match(/-(\d)\.json$/)[1]), ...JSON.parse(readFileSync(f, 'utf8')) }));
const figures = {
  aides: (d) => {
    const o = {};
    for (const e of d.results.engines) {
      const k = e.engine.includes('PGlite') ? 'embedded' : e.engine.includes('PostgreSQL') ? 'postgres' : 'bm25 (control, same code both sides)';
      if (e.error) { o[`${k} error`] = e.error; continue; }
      o[`${k}: search p50 ms`] = e.p50_ms; o[`${k}: search p95 ms`] = e.p95_ms; o[`${k}: searches/s`] = e.per_second;
      if (!k.startsWith('bm25')) { o[`${k}: first search p50 ms`] = e.first_p50_ms; o[`${k}: import s`] = e.import_seconds; o[`${k}: index build s`] = e.index_seconds; o[`${k}: index MiB`] = e.index_mib; }
    }
    const bm = d.results.engines.find((e) => e.engine.includes('BM25'));
    for (const e of d.results.engines) if (!e.error && !e.engine.includes('BM25') && bm) {
      const k = e.engine.includes('PGlite') ? 'embedded' : 'postgres';
      o[`${k}: search p50 ÷ BM25 p50 of the same run (normalized)`] = +(e.p50_ms / bm.p50_ms).toFixed(3);
      o[`${k}: search p95 ÷ BM25 p95 of the same run (normalized)`] = +(e.p95_ms / bm.p95_ms).toFixed(3);
    }
    return o;
  },
  foncier: (d) => {
    const o = {};
    for (const r of d.results) {
      const k = r.database;
      if (r.error) { o[`${k} error`] = r.error; continue; }
      o[`${k}: generation s`] = r.data?.generation_s;
      for (const [f, label] of [['bbox_commune_zoom_http', 'bbox HTTP'], ['bbox_commune_zoom_http_second_pass', 'bbox HTTP 2nd pass'], ['baseline_same_bytes_http', 'bare Fastify same bytes (control)'], ['bbox_sql_indexed_inprocess', 'bbox SQL in-process'], ['baseline_sql_without_index_inprocess', 'SQL without index (control)'], ['bbox_whole_nimes_http_capped_10000', 'whole Nîmes HTTP'], ['synthese_epci_http', 'synthesis per EPCI HTTP'], ['synthese_commune_http', 'synthesis per commune HTTP']]) {
        if (!r[f]) continue;
        o[`${k}: ${label} p50 ms`] = r[f].p50_ms;
        if (!label.includes('synthesis') && !label.includes('Nîmes')) o[`${k}: ${label} p95 ms`] = r[f].p95_ms;
      }
      if (r.bbox_commune_zoom_http && r.baseline_same_bytes_http) o[`${k}: bbox HTTP p50 ÷ bare Fastify p50 (normalized)`] = +(r.bbox_commune_zoom_http.p50_ms / r.baseline_same_bytes_http.p50_ms).toFixed(2);
      if (r.bbox_sql_indexed_inprocess && r.baseline_sql_without_index_inprocess) o[`${k}: bbox SQL ÷ SQL without index (normalized)`] = +(r.bbox_sql_indexed_inprocess.p50_ms / r.baseline_sql_without_index_inprocess.p50_ms).toFixed(3);
      o[`${k}: bbox features p50`] = r.bbox_commune_zoom_http?.features_p50;
      o[`${k}: bbox bytes p50`] = r.bbox_commune_zoom_http?.bytes_p50;
    }
    return o;
  },
  operations: (d) => {
    const o = {};
    for (const r of d.results) {
      const k = r.database;
      if (r.error) { o[`${k} error`] = r.error; continue; }
      for (const [f, label] of [['listing_epci', 'listing steady'], ['listing_epci_filtered', 'listing filtered'], ['listing_epci_with_writes', 'listing 1 write/s'], ['listing_epci_no_cache', 'listing no cache'], ['baseline_same_bytes', 'bare Fastify same bytes (control)']]) {
        o[`${k}: ${label} req/s`] = Math.round(r[f].rps); o[`${k}: ${label} p95 ms`] = r[f].p95_ms;
      }
      o[`${k}: listing steady p95 ÷ bare Fastify p95 (normalized)`] = +(r.listing_epci.p95_ms / r.baseline_same_bytes.p95_ms).toFixed(2);
      o[`${k}: import ÷ exceljs read of the same file (normalized)`] = +(r.import_xlsx.seconds / r.baseline_read_only.seconds).toFixed(2);
      o[`${k}: import 5,000 rows s`] = r.import_xlsx.seconds; o[`${k}: import created`] = r.import_xlsx.created; o[`${k}: import server RSS peak MiB`] = Math.round(r.import_xlsx.server_rss_peak_mb);
      o[`${k}: re-import s`] = r.reimport_xlsx.seconds; o[`${k}: exceljs read only s (control)`] = r.baseline_read_only.seconds; o[`${k}: generation s`] = r.data.generation_s;
    }
    return o;
  },
};
const lowerBetter = (k) => !/(req\/s|searches\/s)$/.test(k);
const payload = (k) => /(created|features p50|bytes p50)$/.test(k);
for (const suite of process.argv.slice(2)) {
  const A = runs('base', suite), B = runs('cur', suite);
  console.log(`\n## ${suite}: ${A.length} baseline run(s), ${B.length} current run(s)`);
  for (const x of [...A.map((r) => ['before', r]), ...B.map((r) => ['after', r])]) console.log(`- ${x[0]} round ${x[1].round}: ${Math.round(x[1].seconds)} s, load average at start ${x[1].loadavgStart.map((v) => v.toFixed(1)).join(' / ')}, at end ${x[1].loadavgEnd.map((v) => v.toFixed(1)).join(' / ')}`);
  const fa = A.map((r) => ({ round: r.round, f: figures[suite](r) })), fb = B.map((r) => ({ round: r.round, f: figures[suite](r) }));
  const keys = [...new Set([...fa, ...fb].flatMap((x) => Object.keys(x.f)))];
  console.log('\n| figure | before (each round) | after (each round) | before median | after median | ratio after ÷ before | verdict |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const k of keys) {
    const a = fa.map((x) => x.f[k]), b = fb.map((x) => x.f[k]);
    if (typeof a[0] === 'string' || typeof b[0] === 'string') { console.log(`| ${k} | ${a.join(', ')} | ${b.join(', ')} | | | | |`); continue; }
    const ma = med(a), mb = med(b), ratio = ma && mb ? mb / ma : null;
    const worse = ratio == null || payload(k) ? false : lowerBetter(k) ? ratio > 1.1 : ratio < 1 / 1.1;
    const control = k.includes('control');
    console.log(`| ${k} | ${a.join(', ')} | ${b.join(', ')} | ${ma} | ${mb} | ${ratio == null ? '—' : ratio.toFixed(2)} | ${ratio == null ? '' : payload(k) ? (ratio === 1 ? 'same payload' : 'payload differs') : control ? (worse ? 'control moved (noise)' : 'control') : worse ? '**worse > 10 %**' : '≤ 10 %'} |`);
  }
}
