// Usage: requests per endpoint per day and p95 latency as charts (uPlot), and every figure in tables,
// including the language-model and embedding calls and tokens per operation.
import { html, useEffect, useRef, useState } from '../vendor/preact-htm.js';
import uPlot from '../vendor/uplot.js';
import { con } from '../api.js';
import { fmtNum, t } from '../i18n.js';
import { ErrorBox, Loading, useLoad } from '../ui.js';

const COLORS = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#4b5563', '#ca8a04'];
const MAX_SERIES = 8;

const DAY = 86_400_000;

/** Every day from `since` to today (UTC), so the axis spans the chosen period. */
function daysFrom(since) {
  const out = [];
  for (let t = Date.parse(since + 'T00:00:00Z'); t <= Date.now(); t += DAY) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

/** One series per operation (the busiest ones), one point per day; a day without traffic counts 0 requests. */
function seriesOf(rows, field, since) {
  const days = daysFrom(since);
  const totals = new Map();
  for (const r of rows) totals.set(r.operation, (totals.get(r.operation) ?? 0) + r.requests);
  const ops = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_SERIES).map(([op]) => op);
  const at = new Map(rows.map((r) => [r.day + '\n' + r.operation, r]));
  const x = days.map((d) => Date.parse(d + 'T00:00:00Z') / 1000);
  const ys = ops.map((op) => days.map((d) => at.get(d + '\n' + op)?.[field] ?? (field === 'requests' ? 0 : null)));
  return { x, ops, ys };
}

function Chart({ rows, since, field, title, id }) {
  const box = useRef();
  const [width, setWidth] = useState(0);
  useEffect(() => {
    const ro = new ResizeObserver(([e]) => setWidth(Math.floor(e.contentRect.width)));
    ro.observe(box.current);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    if (!width) return;
    const { x, ops, ys } = seriesOf(rows, field, since);
    const plot = new uPlot(
      {
        width,
        height: 240,
        series: [{}, ...ops.map((op, i) => ({ label: op, stroke: COLORS[i % COLORS.length], width: 2, points: { show: true } }))],
        axes: [{}, { size: 60 }],
        scales: { x: { time: true } },
        legend: { show: true, live: false },
      },
      [x, ...ys],
      box.current,
    );
    return () => plot.destroy();
  }, [rows, since, field, width]);
  return html`<figure class="chart" id=${id}><figcaption>${title}</figcaption><div ref=${box}></div></figure>`;
}

export function UsagePage() {
  const [days, setDays] = useState(14);
  const [data, error, reload] = useLoad(() => con('/usage', { days }), [days]);
  const rows = data?.days ?? [];
  const byOp = new Map();
  for (const r of rows) {
    const o = byOp.get(r.operation) ?? { operation: r.operation, requests: 0, llm_calls: 0, llm_prompt_tokens: 0, llm_completion_tokens: 0, embedding_calls: 0, embedding_tokens: 0 };
    for (const k of Object.keys(o)) if (k !== 'operation') o[k] += r[k];
    byOp.set(r.operation, o);
  }
  return html`<section class="usage">
    <h1>${t('usage')}</h1>
    <div class="filters">
      <label>${t('day')} <select value=${days} onChange=${(e) => setDays(Number(e.target.value))}>
        ${[7, 14, 30, 90].map((d) => html`<option value=${d}>${d}</option>`)}
      </select></label>
      <button onClick=${reload}>↻</button>
    </div>
    <${ErrorBox} error=${error} />
    ${!data ? html`<${Loading} />` : rows.length === 0 ? html`<p class="muted">${t('noUsage')}</p>` : html`
      <div class="charts">
        <${Chart} id="chart-requests" rows=${rows} since=${data.since} field="requests" title=${t('requestsPerDay')} />
        <${Chart} id="chart-latency" rows=${rows} since=${data.since} field="p95_ms" title=${t('latencyPerDay')} />
      </div>
      <h2>${t('tokensPerOperation')}</h2>
      <div class="table-wrap"><table class="usage-ops">
        <thead><tr><th>${t('operation')}</th><th>${t('requests')}</th><th>${t('llmCalls')}</th><th>${t('promptTokens')}</th><th>${t('completionTokens')}</th><th>${t('embeddingCalls')}</th><th>${t('embeddingTokens')}</th></tr></thead>
        <tbody>${[...byOp.values()].map((o) => html`<tr><td>${o.operation}</td><td>${fmtNum(o.requests)}</td><td>${fmtNum(o.llm_calls)}</td><td>${fmtNum(o.llm_prompt_tokens)}</td><td>${fmtNum(o.llm_completion_tokens)}</td><td>${fmtNum(o.embedding_calls)}</td><td>${fmtNum(o.embedding_tokens)}</td></tr>`)}</tbody>
      </table></div>
      <h2>${t('requestsPerDay')}</h2>
      <div class="table-wrap"><table class="usage-days">
        <thead><tr><th>${t('day')}</th><th>${t('operation')}</th><th>${t('requests')}</th><th>${t('errors')}</th><th>p50 ms</th><th>p95 ms</th><th>${t('llmCalls')}</th><th>${t('embeddingCalls')}</th></tr></thead>
        <tbody>${rows.map((r) => html`<tr><td>${r.day}</td><td>${r.operation}</td><td>${fmtNum(r.requests)}</td><td>${fmtNum(r.errors)}</td><td>${r.p50_ms ?? ''}</td><td>${r.p95_ms ?? ''}</td><td>${fmtNum(r.llm_calls)}</td><td>${fmtNum(r.embedding_calls)}</td></tr>`)}</tbody>
      </table></div>`}
  </section>`;
}
