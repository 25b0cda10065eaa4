// One memory: its fields, every version (the superseded-by chain), its source messages within their
// conversation; edit, delete and correct it through the MemOS API, and see what a correction changed.
import { html, useState } from '../vendor/preact-htm.js';
import { api, con } from '../api.js';
import { t } from '../i18n.js';
import { Badge, ErrorBox, Json, Link, Loading, MemoryCard, Message, Time, route, useLoad } from '../ui.js';

export function MemoryPage({ id, readOnly }) {
  const [data, error, reload] = useLoad(() => con('/memory', { memory_id: id }), [id]);
  const [notice, setNotice] = useState('');
  const [deleted, setDeleted] = useState();
  if (deleted) return html`<section><p class="notice" role="status">${t('deleted')}</p>${deleted.user_id ? html`<${Link} to=${route('users', deleted.user_id)}>${deleted.user_id}<//>` : null}</section>`;
  if (error) return html`<${ErrorBox} error=${error} />`;
  if (!data) return html`<${Loading} />`;
  const m = data.memory;
  const sourceTexts = new Set((m.sources ?? []).map((s) => (typeof s.content === 'string' ? s.content : '')));
  return html`<section class="memory-page">
    <p class="crumbs"><${Link} to="/users">${t('users')}<//> / ${m.user_id ? html`<${Link} to=${route('users', m.user_id)}>${m.user_id}<//>` : m.knowledgebase_id} /</p>
    <h1>${t('memory')} <span class="mono small">${m.id}</span></h1>
    ${notice ? html`<p class="notice" role="status">${notice}</p>` : null}
    <${MemoryCard} m=${m} />
    ${readOnly ? null : html`<${Actions} m=${m} onChanged=${(n) => (setNotice(n), reload())} onDeleted=${() => setDeleted(m)} />`}

    <h2>${t('versions')}</h2>
    <p class="muted">${t('versionsHelp')}</p>
    <ol class="versions">${data.versions.map(
      (v) => html`<li class=${`version ${v.status}${v.id === m.id ? ' this' : ''}`} data-version-id=${v.id}>
        <${Badge} kind=${v.status}>${v.status === 'archived' ? t('archived') : t('current')}<//>
        <span class="value">${v.value}</span>
        <span class="muted"> · <${Time} ms=${v.update_time} /></span>
        ${v.id !== m.id ? html` <${Link} to=${route('memory', v.id)}>${t('open')}<//>` : null}
      </li>`,
    )}</ol>

    <h2>${t('sources')}</h2>
    ${m.sources?.length
      ? html`<div class="sources">${m.sources.map((s) => html`<${Message} m=${{ role: String(s.role ?? ''), content: typeof s.content === 'string' ? s.content : JSON.stringify(s.content), chat_time: s.chat_time ?? '' }} />`)}</div>`
      : html`<p class="muted">${t('noSources')}</p>`}

    ${data.conversation.length
      ? html`<h2>${t('conversation')} <span class="mono">${m.conversation_id}</span></h2>
          <div class="conv">${data.conversation.map((c) => html`<${Message} m=${c} highlight=${sourceTexts.has(c.content)} />`)}</div>`
      : null}

    <h2>${t('details')}</h2>
    <dl class="fields">
      <dt>${t('type')}</dt><dd>${m.kind} / ${m.memory_type} / ${m.scope}</dd>
      <dt>${t('conversationId')}</dt><dd>${m.conversation_id}</dd>
      ${m.agent_id ? html`<dt>agent_id</dt><dd>${m.agent_id}</dd>` : null}
      ${m.app_id ? html`<dt>app_id</dt><dd>${m.app_id}</dd>` : null}
      ${m.state_key ? html`<dt>state</dt><dd>${m.state_key}</dd>` : null}
      <dt>${t('created')}</dt><dd><${Time} ms=${m.create_time} /></dd>
      <dt>${t('tags')}</dt><dd>${m.tags.join(', ')}</dd>
      <dt>${t('info')}</dt><dd><${Json} value=${m.info} /></dd>
      ${m.data ? html`<dt>data</dt><dd><${Json} value=${m.data} /></dd>` : null}
    </dl>
  </section>`;
}

function Actions({ m, onChanged, onDeleted }) {
  const [mode, setMode] = useState('');
  const [draft, setDraft] = useState(m.value);
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const [change, setChange] = useState();
  const run = async (fn) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const save = (e) => {
    e.preventDefault();
    return run(async () => {
      await api('/update/memory', { memory_id: m.id, content: draft });
      setMode('');
      onChanged(t('saved'));
    });
  };
  const remove = () =>
    confirm(t('confirmDelete')) &&
    run(async () => {
      await api('/delete/memory', { memory_ids: [m.id] });
      onDeleted();
    });
  const correct = (e) => {
    e.preventDefault();
    const text = e.target.elements.feedback.value.trim();
    if (!text) return;
    return run(async () => {
      const r = await api('/add/feedback', { user_id: m.user_id, conversation_id: m.conversation_id, feedback_content: text, async_mode: false });
      const history = await con('/feedback', { page: 1, size: 20 });
      setChange(history.feedback.find((f) => f.id === r.task_id) ?? { before: [], after: [] });
      setMode('');
      onChanged('');
    });
  };
  const editable = m.scope !== 'knowledgebase';
  return html`<div class="actions">
    ${editable ? html`<button onClick=${() => (setDraft(m.value), setMode(mode === 'edit' ? '' : 'edit'))}>${t('edit')}</button>` : null}
    ${m.user_id && editable ? html`<button onClick=${() => setMode(mode === 'correct' ? '' : 'correct')}>${t('correct')}</button>` : null}
    ${editable ? html`<button class="danger" onClick=${remove} disabled=${busy}>${t('delete')}</button>` : null}
    ${mode === 'edit'
      ? html`<form class="edit" method="post" onSubmit=${save}>
          <textarea name="content" rows="4" aria-label=${t('edit')} value=${draft} onInput=${(e) => setDraft(e.target.value)}></textarea>
          <div><button type="submit" disabled=${busy}>${t('save')}</button> <button type="button" onClick=${() => setMode('')}>${t('cancel')}</button></div>
        </form>`
      : null}
    ${mode === 'correct'
      ? html`<form class="edit" method="post" onSubmit=${correct}>
          <p class="muted">${t('correctHelp')}</p>
          <textarea name="feedback" rows="3" aria-label=${t('correct')}></textarea>
          <div><button type="submit" disabled=${busy}>${t('send')}</button> <button type="button" onClick=${() => setMode('')}>${t('cancel')}</button></div>
        </form>`
      : null}
    <${ErrorBox} error=${error} />
    ${change ? html`<${ChangeView} change=${change} />` : null}
  </div>`;
}

/** Before and after of one feedback (also used by the feedback history). */
export function ChangeView({ change }) {
  if (!change.after.length && !change.before.length) return html`<div class="change"><h3>${t('whatChanged')}</h3><p class="muted">${t('nothingChanged')}</p></div>`;
  return html`<div class="change">
    <h3>${t('whatChanged')}</h3>
    <div class="before-after">
      <div><h4>${t('before')}</h4>${change.before.map((m) => html`<${MemoryCard} m=${m} />`)}</div>
      <div><h4>${t('after')}</h4>${change.after.map((m) => html`<${MemoryCard} m=${m} />`)}</div>
    </div>
  </div>`;
}
