// Feedback history (each correction with its target memories before and after) and background tasks
// (running, failed with the error, retry).
import { html, useState } from '../vendor/preact-htm.js';
import { con } from '../api.js';
import { t } from '../i18n.js';
import { Badge, ErrorBox, Link, Loading, Pager, Time, route, useLoad } from '../ui.js';
import { ChangeView } from './memory.js';

export function FeedbackPage() {
  const [page, setPage] = useState(1);
  const [data, error] = useLoad(() => con('/feedback', { page, size: 20 }), [page]);
  return html`<section>
    <h1>${t('feedbackHistory')}</h1>
    <${ErrorBox} error=${error} />
    ${data
      ? html`${data.feedback.length ? null : html`<p class="muted">${t('noFeedback')}</p>`}
        ${data.feedback.map(
          (f) => html`<article class="feedback" data-task-id=${f.id}>
            <header>
              <${Badge} kind=${f.status}>${f.status}<//>
              ${f.user_id ? html`<${Link} to=${route('users', f.user_id)}>${f.user_id}<//>` : null}
              <span class="muted right"><${Time} ms=${f.create_time} /></span>
            </header>
            <blockquote class="value">${f.content}</blockquote>
            ${f.error ? html`<p class="error">${f.error}</p>` : null}
            ${f.status === 'completed' ? html`<${ChangeView} change=${f} />` : null}
          </article>`,
        )}
        <${Pager} page=${page} size=${data.size} total=${data.total} onPage=${setPage} />`
      : html`<${Loading} />`}
  </section>`;
}

export function TasksPage({ readOnly }) {
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [data, error, reload] = useLoad(() => con('/tasks', { status: status || undefined, page, size: 50 }), [status, page]);
  const [retryError, setRetryError] = useState();
  const retry = async (id) => {
    setRetryError(undefined);
    try {
      await con('/tasks/retry', { task_id: id });
      reload();
    } catch (err) {
      setRetryError(err);
    }
  };
  return html`<section>
    <h1>${t('tasks')}</h1>
    <div class="filters">
      <label>${t('status')} <select value=${status} onChange=${(e) => (setStatus(e.target.value), setPage(1))}>
        <option value="">${t('all')}</option><option value="running">running</option><option value="failed">failed</option><option value="completed">completed</option>
      </select></label>
      <button onClick=${reload}>↻</button>
    </div>
    <${ErrorBox} error=${retryError || error} />
    ${data
      ? data.tasks.length === 0
        ? html`<p class="muted">${t('noTasks')}</p>`
        : html`<div class="table-wrap"><table class="tasks">
          <thead><tr><th>${t('type')}</th><th>${t('status')}</th><th>${t('user')}</th><th>${t('details')}</th><th>${t('created')}</th><th></th></tr></thead>
          <tbody>${data.tasks.map(
            (k) => html`<tr data-task-id=${k.id}>
              <td>${k.kind}</td>
              <td><${Badge} kind=${k.status}>${k.status}<//> <span class="muted small">${k.attempts} ${t('attempts')}</span></td>
              <td>${k.user_id ? html`<${Link} to=${route('users', k.user_id)}>${k.user_id}<//>` : ''}</td>
              <td><span class="clip">${k.subject ?? ''}</span>${k.error ? html`<div class="error small">${k.error}</div>` : null}</td>
              <td><${Time} ms=${k.create_time} /></td>
              <td>${k.status === 'failed' && !readOnly ? html`<button onClick=${() => retry(k.id)}>${t('retry')}</button>` : null}</td>
            </tr>`,
          )}</tbody>
        </table></div>
        <${Pager} page=${page} size=${data.size} total=${data.total} onPage=${setPage} />`
      : html`<${Loading} />`}
  </section>`;
}
