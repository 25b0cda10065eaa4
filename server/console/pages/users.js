// The project's users (searchable, paged by cursor so 100k users stay fast) and one user's memories and
// conversations.
import { html, useEffect, useState } from '../vendor/preact-htm.js';
import { con } from '../api.js';
import { fmtNum, t } from '../i18n.js';
import { ErrorBox, Link, Loading, MemoryCard, Message, Pager, Time, kindName, route, useLoad } from '../ui.js';

const count = (memories, kind, status = 'activated') => memories.filter((c) => c.kind === kind && c.status === status).reduce((n, c) => n + c.count, 0);
const archivedCount = (memories) => memories.filter((c) => c.status === 'archived').reduce((n, c) => n + c.count, 0);

export function UsersPage({ query }) {
  const [search, setSearch] = useState(query.get('q') ?? '');
  const [applied, setApplied] = useState(search);
  const [pages, setPages] = useState([]);
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const load = async (after, reset) => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await con('/users', { search: applied || undefined, after, size: 50 });
      setPages((p) => (reset ? [r] : [...p, r]));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => void load(undefined, true), [applied]);
  // Typing filters after a short pause, so each keystroke does not cost a query.
  useEffect(() => {
    const id = setTimeout(() => setApplied(search.trim()), 250);
    return () => clearTimeout(id);
  }, [search]);
  const users = pages.flatMap((p) => p.users);
  const next = pages.length ? pages[pages.length - 1].next : null;
  return html`<section>
    <h1>${t('users')}</h1>
    <input class="search" type="search" placeholder=${t('findUser')} aria-label=${t('findUser')} value=${search} onInput=${(e) => setSearch(e.target.value)} />
    <${ErrorBox} error=${error} />
    ${!busy && pages.length && users.length === 0 ? html`<p class="muted">${t('noUsers')}</p>` : null}
    <div class="table-wrap"><table class="users">
      <thead><tr>
        <th>${t('user')}</th><th>${t('facts')}</th><th>${t('preferences')}</th><th>${t('tools')}</th><th>${t('skills')}</th>
        <th>${t('archived')}</th><th>${t('messages')}</th><th>${t('agents')}</th><th>${t('lastActive')}</th>
      </tr></thead>
      <tbody>${users.map(
        (u) => html`<tr data-user-id=${u.user_id}>
          <td><${Link} to=${route('users', u.user_id)}><${Subject} u=${u} /><//></td>
          <td>${fmtNum(count(u.memories, 'fact'))}</td><td>${fmtNum(count(u.memories, 'preference'))}</td>
          <td>${fmtNum(count(u.memories, 'tool'))}</td><td>${fmtNum(count(u.memories, 'skill'))}</td>
          <td>${fmtNum(archivedCount(u.memories))}</td><td>${fmtNum(u.messages)}</td>
          <td>${u.agent_ids.join(', ')}</td><td><${Time} ms=${u.last_active} /></td>
        </tr>`,
      )}</tbody>
    </table></div>
    ${busy ? html`<${Loading} />` : next ? html`<button onClick=${() => load(next)}>${t('loadMore')}</button>` : null}
  </section>`;
}

const KINDS = ['fact', 'preference', 'tool', 'skill'];

/** A user id, or an agent's name for an agent's own memories. */
const Subject = ({ u }) => (u.agent ? html`<span class="badge tool">${t('agent')}</span> ${u.agent}` : u.user_id);

export function UserPage({ userId, tab = 'memories', query }) {
  const [user, error] = useLoad(() => con('/user', { user_id: userId }), [userId]);
  return html`<section>
    <p class="crumbs"><${Link} to="/users">${t('users')}<//> / </p>
    <h1 class="user-id">${user ? html`<${Subject} u=${user} />` : userId}</h1>
    <${ErrorBox} error=${error} />
    ${user
      ? html`<p class="counts">
          ${KINDS.map((k) => html`<span>${kindName(k)} <b>${fmtNum(count(user.memories, k))}</b></span>`)}
          <span>${t('archived')} <b>${fmtNum(archivedCount(user.memories))}</b></span>
          <span>${t('messages')} <b>${fmtNum(user.messages)}</b></span>
          ${user.agent_ids.length ? html`<span>${t('agents')} <b>${user.agent_ids.join(', ')}</b></span>` : null}
          <span>${t('lastActive')} <b><${Time} ms=${user.last_active} /></b></span>
        </p>
        ${user.profiles.map(
          (p) => html`<section class="profile"><h2>${t('profile')} <span class="muted small">${p.template} · <${Time} ms=${p.update_time} /></span></h2><pre class="json">${p.value}</pre></section>`,
        )}
        <nav class="subtabs">
          <a href=${'#' + route('users', userId, 'memories')} class=${tab === 'memories' ? 'active' : ''}>${t('memories')}</a>
          <a href=${'#' + route('users', userId, 'conversations')} class=${tab !== 'memories' ? 'active' : ''}>${t('conversations')} (${user.conversations.length})</a>
        </nav>
        ${tab === 'memories' ? html`<${UserMemories} userId=${userId} />` : html`<${Conversations} userId=${userId} list=${user.conversations} selected=${query.get('c')} />`}`
      : error ? null : html`<${Loading} />`}
  </section>`;
}

function UserMemories({ userId }) {
  const [kind, setKind] = useState('');
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [data, error] = useLoad(() => con('/memories', { user_id: userId, kind: kind || undefined, status: status || undefined, page, size: 50 }), [userId, kind, status, page]);
  return html`<div>
    <div class="filters">
      <label>${t('kind')} <select value=${kind} onChange=${(e) => (setKind(e.target.value), setPage(1))}>
        <option value="">${t('all')}</option>${KINDS.map((k) => html`<option value=${k}>${kindName(k)}</option>`)}
      </select></label>
      <label>${t('status')} <select value=${status} onChange=${(e) => (setStatus(e.target.value), setPage(1))}>
        <option value="">${t('all')}</option><option value="activated">${t('activated')}</option><option value="archived">${t('archived')}</option>
      </select></label>
      ${data ? html`<span class="muted">${t('total')} ${fmtNum(data.total)}</span>` : null}
    </div>
    <${ErrorBox} error=${error} />
    ${data ? html`<div class="memories">${data.memories.map((m) => html`<${MemoryCard} m=${m} />`)}</div>
      <${Pager} page=${page} size=${data.size} total=${data.total} onPage=${setPage} />` : html`<${Loading} />`}
  </div>`;
}

function Conversations({ userId, list, selected }) {
  const current = selected ?? list[0]?.conversation_id;
  const [messages, setMessages] = useState([]);
  const [next, setNext] = useState(null);
  const [error, setError] = useState();
  const load = async (after, reset) => {
    try {
      const r = await con('/conversation', { user_id: userId, conversation_id: current, after_id: after ?? 0, size: 200 });
      setMessages((m) => (reset ? r.messages : [...m, ...r.messages]));
      setNext(r.next);
    } catch (e) {
      setError(e);
    }
  };
  useEffect(() => {
    if (current) void load(0, true);
  }, [userId, current]);
  return html`<div class="conversations">
    <ul class="conv-list">${list.map(
      (c) => html`<li class=${c.conversation_id === current ? 'active' : ''}>
        <a href=${'#' + route('users', userId, 'conversations') + '?c=' + encodeURIComponent(c.conversation_id)}>${c.conversation_id}</a>
        <span class="muted"> ${fmtNum(c.messages)} · <${Time} ms=${c.last_time} /></span>
      </li>`,
    )}</ul>
    <div class="conv">
      <${ErrorBox} error=${error} />
      ${current ? html`<h2>${t('conversation')} <span class="mono">${current}</span></h2>` : null}
      ${messages.map((m) => html`<${Message} m=${m} />`)}
      ${next ? html`<button onClick=${() => load(next)}>${t('loadMore')}</button>` : null}
    </div>
  </div>`;
}
