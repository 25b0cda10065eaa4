// The console's shell: sign-in, navigation and a hash router (#/users, #/memory/<id>, ...). Ids in the hash
// are encoded; the API key is never part of a URL.
import { html, render, useEffect, useState } from './vendor/preact-htm.js';
import { ApiError, con, session } from './api.js';
import { lang, t } from './i18n.js';
import { UsersPage, UserPage } from './pages/users.js';
import { MemoryPage } from './pages/memory.js';
import { SearchPage } from './pages/search.js';
import { KnowledgebasesPage } from './pages/knowledgebases.js';
import { FeedbackPage, TasksPage } from './pages/activity.js';

document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
document.title = t('title');

function parseHash() {
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, query: new URLSearchParams(query) };
}

function useHash() {
  const [h, setH] = useState(parseHash());
  useEffect(() => {
    const on = () => setH(parseHash());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return h;
}

/** The usage page brings the chart library; it is loaded the first time the page is opened, not with the app. */
function UsagePage() {
  const [Page, setPage] = useState(null);
  useEffect(() => {
    import('./pages/usage.js').then((m) => setPage(() => m.UsagePage));
  }, []);
  return Page ? html`<${Page} />` : html`<p class="muted">${t('loading')}</p>`;
}

function SignIn({ onSignedIn, error: initial }) {
  const [error, setError] = useState(initial);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    const key = e.target.elements.key.value.trim();
    e.target.elements.key.value = '';
    setBusy(true);
    try {
      const s = await con('/session', {}, key);
      session.save(key);
      onSignedIn(s);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  // method=post and no action: even without scripts the key could never land in a URL.
  return html`<main class="signin">
    <h1>${t('title')}</h1>
    <form method="post" onSubmit=${submit} autocomplete="off">
      <label for="key">${t('apiKey')}</label>
      <input id="key" name="key" type="password" required autocomplete="off" spellcheck="false" placeholder="mpg-…" />
      <button type="submit" disabled=${busy}>${t('signIn')}</button>
      <p class="muted">${t('signInHelp')}</p>
      ${error ? html`<p class="error" role="alert">${t('signInFailed')}: ${error.message}</p>` : null}
    </form>
  </main>`;
}

const NAV = [
  ['users', 'users'],
  ['search', 'search'],
  ['kb', 'knowledgebases'],
  ['feedback', 'feedback'],
  ['tasks', 'tasks'],
  ['usage', 'usage'],
];

function Shell({ info, onSignOut }) {
  const { parts, query } = useHash();
  const [section = 'users', id, sub] = parts;
  const ro = info.read_only;
  let page;
  if (section === 'users' && id) page = html`<${UserPage} userId=${id} tab=${sub} query=${query} readOnly=${ro} />`;
  else if (section === 'memory' && id) page = html`<${MemoryPage} id=${id} readOnly=${ro} />`;
  else if (section === 'search') page = html`<${SearchPage} query=${query} />`;
  else if (section === 'kb') page = html`<${KnowledgebasesPage} kbId=${id} fileId=${sub} readOnly=${ro} />`;
  else if (section === 'feedback') page = html`<${FeedbackPage} />`;
  else if (section === 'tasks') page = html`<${TasksPage} readOnly=${ro} />`;
  else if (section === 'usage') page = html`<${UsagePage} />`;
  else page = html`<${UsersPage} query=${query} />`;
  const active = section === 'memory' ? 'users' : section;
  return html`<div class="shell">
    <header class="top">
      <a class="brand" href="#/users">memos-lite</a>
      <nav class="tabs">
        ${NAV.map(([to, label]) => html`<a href=${'#/' + to} class=${active === to ? 'active' : ''} aria-current=${active === to ? 'page' : undefined}>${t(label)}</a>`)}
      </nav>
      <span class="who">
        <span class="muted" title=${t('project')}>${info.project_id}</span>
        ${ro ? html`<span class="badge archived">${t('readOnly')}</span>` : null}
        <button class="link" onClick=${onSignOut}>${t('signOut')}</button>
      </span>
    </header>
    <main class="page">${page}</main>
  </div>`;
}

function App() {
  const [info, setInfo] = useState(undefined);
  const [error, setError] = useState(undefined);
  useEffect(() => {
    if (!session.key()) return setInfo(null);
    con('/session', {}).then(
      (s) => {
        session.setApiPrefix(s.api_prefix);
        setInfo(s);
      },
      (err) => {
        // A revoked key ends the session; a network error keeps it for a reload.
        if (err instanceof ApiError && (err.code === 40132 || err.code === 40100)) session.clear();
        setError(err);
        setInfo(null);
      },
    );
  }, []);
  const signOut = () => {
    session.clear();
    setInfo(null);
    setError(undefined);
    location.hash = '';
  };
  if (info === undefined) return html`<p class="muted">${t('loading')}</p>`;
  if (!info) return html`<${SignIn} error=${error} onSignedIn=${(s) => { session.setApiPrefix(s.api_prefix); setInfo(s); }} />`;
  return html`<${Shell} info=${info} onSignOut=${signOut} />`;
}

render(html`<${App} />`, document.getElementById('app'));
