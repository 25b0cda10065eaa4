// The search playground: /search/memory with its options, and for each result why it ranked where it did.
import { html, useState } from '../vendor/preact-htm.js';
import { con } from '../api.js';
import { t } from '../i18n.js';
import { Badge, ErrorBox, Link, kindName, route, useLoad } from '../ui.js';

const pct = (x) => (x == null ? '' : (Math.round(x * 1000) / 10).toFixed(1) + '%');
const num = (x, d = 3) => (x == null ? '' : Number(x).toFixed(d));

const DEFAULTS = {
  user_id: '',
  query: '',
  conversation_id: '',
  relativity: '0.45',
  memory_limit: '9',
  include_preference: true,
  preference_limit: '9',
  include_tool: false,
  tool_limit: '6',
  include_skill: false,
  kbs: [],
  filter: '',
};

export function SearchPage({ query }) {
  const [kbs] = useLoad(() => con('/knowledgebases', {}), []);
  // A controlled form: re-rendering with results must not reset what was typed.
  const [form, setForm] = useState({ ...DEFAULTS, user_id: query.get('user') ?? '' });
  const [result, setResult] = useState();
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const text = (name) => ({ name, value: form[name], onInput: (e) => setForm((f) => ({ ...f, [name]: e.target.value })) });
  const check = (name) => ({ name, type: 'checkbox', checked: form[name], onChange: (e) => setForm((f) => ({ ...f, [name]: e.target.checked })) });
  const submit = async (e) => {
    e.preventDefault();
    const body = {
      user_id: form.user_id.trim(),
      query: form.query,
      relativity: Number(form.relativity),
      memory_limit_number: Number(form.memory_limit),
      include_preference: form.include_preference,
      preference_limit_number: Number(form.preference_limit),
      include_tool_memory: form.include_tool,
      tool_memory_limit_number: Number(form.tool_limit),
      include_skill: form.include_skill,
    };
    if (form.conversation_id.trim()) body.conversation_id = form.conversation_id.trim();
    if (form.kbs.length) body.knowledgebase_ids = form.kbs.includes('all') ? 'all' : form.kbs;
    setError(undefined);
    try {
      if (form.filter.trim()) body.filter = JSON.parse(form.filter);
    } catch (err) {
      return setError({ message: `${t('filter')}: ${err.message}` });
    }
    setBusy(true);
    const started = performance.now();
    try {
      const data = await con('/search', body);
      setResult((r) => ({ data, ms: performance.now() - started, run: (r?.run ?? 0) + 1 }));
    } catch (err) {
      setError(err);
      setResult(undefined);
    } finally {
      setBusy(false);
    }
  };
  const chooseKbs = (e) => {
    const chosen = [...e.target.selectedOptions].map((o) => o.value);
    setForm((f) => ({ ...f, kbs: chosen }));
  };
  return html`<section>
    <h1>${t('search')}</h1>
    <form class="search-form" method="post" onSubmit=${submit}>
      <label>${t('userId')} <input required ...${text('user_id')} /></label>
      <label class="wide">${t('query')} <input required ...${text('query')} /></label>
      <label>${t('conversationId')} <input ...${text('conversation_id')} /></label>
      <label>${t('relativity')} <input type="number" min="0" max="1" step="0.05" ...${text('relativity')} /></label>
      <label>${t('facts')} ${t('limit')} <input type="number" min="0" max="25" ...${text('memory_limit')} /></label>
      <label><input ...${check('include_preference')} /> ${t('includePreferences')} <input type="number" min="0" max="25" ...${text('preference_limit')} /></label>
      <label><input ...${check('include_tool')} /> ${t('includeTools')} <input type="number" min="0" max="25" ...${text('tool_limit')} /></label>
      <label><input ...${check('include_skill')} /> ${t('includeSkills')}</label>
      <label>${t('knowledgebases')} <select name="kbs" multiple size="3" onChange=${chooseKbs}>
        <option value="all" selected=${form.kbs.includes('all')}>${t('all')}</option>
        ${(kbs?.knowledgebases ?? []).map((k) => html`<option value=${k.id} selected=${form.kbs.includes(k.id)}>${k.name}</option>`)}
      </select></label>
      <label class="wide">${t('filter')} <textarea rows="2" placeholder='{"and": [{"tags": {"contains": "order"}}]}' ...${text('filter')}></textarea></label>
      <div class="wide"><button type="submit" disabled=${busy}>${t('run')}</button></div>
    </form>
    <${ErrorBox} error=${error} />
    ${result ? html`<${Results} data=${result.data} ms=${result.ms} run=${result.run} />` : null}
  </section>`;
}

function Results({ data, ms, run }) {
  return html`<div class="results" data-run=${run}>
    <h2>${t('results')} <span class="muted small" id="search-time">${t('took')} ${Math.round(ms)} ms (${data.results.length})</span></h2>
    ${data.results.length === 0 ? html`<p class="muted">${t('noResults')}</p>` : null}
    ${data.results.map(
      (r, i) => html`<article class="result" data-memory-id=${r.id}>
        <header>
          <span class="rank">#${i + 1}</span>
          <${Badge} kind=${r.kind}>${kindName(r.kind)} · ${r.memory_type}<//>
          ${r.status === 'archived' ? html`<${Badge} kind="archived">${t('archived')}<//>` : null}
          <span class="rel">${t('relativityValue')} <b>${num(r.relativity, 2)}</b></span>
          <span class="muted">${t('score')} ${num(r.score, 4)}</span>
          ${r.knowledgebase_id ? null : html`<${Link} to=${route('memory', r.id)}>${t('open')}<//>`}
        </header>
        ${r.heading_path?.length ? html`<p class="muted">${r.heading_path.join(' › ')}</p>` : null}
        <p class="value">${r.value}</p>
        <${Why} x=${r.explain} />
      </article>`,
    )}
  </div>`;
}

function Why({ x }) {
  if (!x) return null;
  return html`<details class="why" open>
    <summary>${t('why')}</summary>
    <ul>
      ${x.fields.map((f) => html`<li><b>${t('fields.' + f.field)}</b>: ${t('matchedTerms')} ${f.terms.map((w) => html`<code>${w}</code> `)}</li>`)}
      ${x.coverage != null ? html`<li>${t('coverage')}: ${pct(x.coverage)}</li>` : null}
      ${x.lexical_rank != null ? html`<li>${t('factors.lexicalRank')}: #${x.lexical_rank}</li>` : null}
      ${x.vector_rank != null ? html`<li>${t('factors.vector')}: #${x.vector_rank} (cos ${num(x.similarity, 3)})</li>` : null}
      ${x.factors.map((f) => html`<li>${t('factors.' + f.name)}: ${f.name === 'lexical' ? num(f.value, 4) : '×' + num(f.value, 3)}</li>`)}
    </ul>
  </details>`;
}
