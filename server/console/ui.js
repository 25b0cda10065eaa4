// Small shared pieces. Everything user-written is rendered as text (Preact escapes it); no HTML is ever built
// from data, and no stored value is used as a link target.
import { html, useEffect, useState } from './vendor/preact-htm.js';
import { fmtTime, t } from './i18n.js';

/** Loads data with `fn` whenever `deps` change: [data, error, reload]. */
export function useLoad(fn, deps) {
  const [state, setState] = useState({ data: undefined, error: undefined });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ data: s.data, error: undefined }));
    fn().then(
      (data) => live && setState({ data, error: undefined }),
      (error) => live && setState({ data: undefined, error }),
    );
    return () => (live = false);
  }, [...deps, tick]);
  return [state.data, state.error, () => setTick((n) => n + 1)];
}

export const Loading = () => html`<p class="muted">${t('loading')}</p>`;
export const ErrorBox = ({ error }) => (error ? html`<p class="error" role="alert">${error.code ? `${error.code}: ` : ''}${error.message}</p>` : null);

export const Badge = ({ kind, children }) => html`<span class=${`badge ${kind ?? ''}`}>${children}</span>`;

export const Time = ({ ms }) => (ms ? html`<time datetime=${new Date(ms).toISOString()}>${fmtTime(ms)}</time>` : null);

/** An in-app link: the href is always built here from a fixed route and encoded ids. */
export const Link = ({ to, children, ...rest }) => html`<a href=${'#' + to} ...${rest}>${children}</a>`;
export const route = (...parts) => '/' + parts.map((p) => encodeURIComponent(String(p))).join('/');

export const Pager = ({ page, size, total, onPage }) => {
  const pages = Math.max(1, Math.ceil(total / size));
  if (pages <= 1) return null;
  return html`<nav class="pager">
    <button disabled=${page <= 1} onClick=${() => onPage(page - 1)}>${t('prev')}</button>
    <span>${t('page')} ${page} / ${pages}</span>
    <button disabled=${page >= pages} onClick=${() => onPage(page + 1)}>${t('next')}</button>
  </nav>`;
};

/** A structured value (info, tool schema, skill) as indented JSON text. */
export const Json = ({ value }) => html`<pre class="json">${JSON.stringify(value, null, 2)}</pre>`;

const kindLabel = { fact: 'facts', preference: 'preferences', tool: 'tools', skill: 'skills' };
export const kindName = (k) => t(kindLabel[k] ?? k);

/** One memory in a list. */
export function MemoryCard({ m, extra }) {
  return html`<article class=${`memory ${m.status}`} data-memory-id=${m.id}>
    <header>
      <${Badge} kind=${m.kind}>${m.memory_type}<//>
      <${Badge} kind=${m.status}>${m.status === 'archived' ? t('archived') : t('activated')}<//>
      ${m.priority > 0 ? html`<${Badge} kind="priority">${t('factors.priority')} +${m.priority}<//>` : null}
      <span class="key">${m.key}</span>
      <span class="muted right"><${Time} ms=${m.event_time} /></span>
    </header>
    <p class="value">${m.value}</p>
    ${m.tags?.length ? html`<p class="tags">${m.tags.map((x) => html`<span class="tag">${x}</span>`)}</p>` : null}
    <footer>
      <${Link} to=${route('memory', m.id)}>${t('open')}<//>
      ${m.superseded_by ? html`<span class="muted"> · ${t('supersededBy')} <${Link} to=${route('memory', m.superseded_by)}>${m.superseded_by.slice(0, 12)}…<//></span>` : null}
      ${extra}
    </footer>
  </article>`;
}

/** A message of a conversation. */
export const Message = ({ m, highlight }) => html`<div class=${`msg ${m.role}${highlight ? ' highlight' : ''}`} data-message-id=${m.id ?? ''}>
  <div class="msg-head"><b>${m.role}</b> <span class="muted">${m.chat_time ?? ''} <${Time} ms=${m.event_time} /></span></div>
  <div class="msg-body">${m.content}</div>
</div>`;
