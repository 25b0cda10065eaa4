// Knowledge bases: list and create; a base's files with status and failure reason; upload with a progress bar
// for the upload and one for processing; a file's chunks with their heading paths; delete.
import { html, useEffect, useRef, useState } from '../vendor/preact-htm.js';
import { api, apiWithProgress, con } from '../api.js';
import { fmtNum, t } from '../i18n.js';
import { Badge, ErrorBox, Link, Loading, Pager, Time, route, useLoad } from '../ui.js';

export function KnowledgebasesPage({ kbId, fileId, readOnly }) {
  const [list, error, reload] = useLoad(() => con('/knowledgebases', {}), []);
  const [createError, setCreateError] = useState();
  const create = async (e) => {
    e.preventDefault();
    const f = e.target.elements;
    setCreateError(undefined);
    try {
      const r = await api('/create/knowledgebase', { knowledgebase_name: f.name.value, knowledgebase_description: f.description.value });
      e.target.reset();
      reload();
      location.hash = route('kb', r.id);
    } catch (err) {
      setCreateError(err);
    }
  };
  const kb = list?.knowledgebases.find((k) => k.id === kbId);
  return html`<section class="kb-page">
    <h1>${t('knowledgebases')}</h1>
    <${ErrorBox} error=${error} />
    <div class="kb-layout">
      <aside>
        ${list ? (list.knowledgebases.length ? null : html`<p class="muted">${t('noKbs')}</p>`) : html`<${Loading} />`}
        <ul class="kb-list">${(list?.knowledgebases ?? []).map(
          (k) => html`<li class=${k.id === kbId ? 'active' : ''}><${Link} to=${route('kb', k.id)}>${k.name}<//> <span class="muted">${fmtNum(k.files)} ${t('files')}</span></li>`,
        )}</ul>
        ${readOnly
          ? null
          : html`<form class="create-kb" method="post" onSubmit=${create}>
              <input name="name" required maxlength="100" placeholder=${t('name')} aria-label=${t('name')} />
              <input name="description" placeholder=${t('description')} aria-label=${t('description')} />
              <button type="submit">${t('create')}</button>
              <${ErrorBox} error=${createError} />
            </form>`}
      </aside>
      <div class="kb-main">${kb ? html`<${Knowledgebase} kb=${kb} fileId=${fileId} readOnly=${readOnly} onChanged=${reload} />` : null}</div>
    </div>
  </section>`;
}

const readAsDataUrl = (file) =>
  new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });

function Knowledgebase({ kb, fileId, readOnly, onChanged }) {
  const [page, setPage] = useState(1);
  const [files, error, reload] = useLoad(() => api('/get/knowledgebase-file', { knowledgebase_id: kb.id, page, page_size: 20 }), [kb.id, page]);
  const [upload, setUpload] = useState();
  const [uploadError, setUploadError] = useState();
  const poll = useRef();
  useEffect(() => () => clearTimeout(poll.current), []);

  const watch = (ids) => {
    const tick = async () => {
      try {
        const r = await api('/get/knowledgebase-file', { file_ids: ids });
        const done = r.file_detail_list.filter((f) => f.status !== 'running').length;
        setUpload((u) => ({ ...u, processed: done, total: ids.length }));
        if (done < ids.length) poll.current = setTimeout(tick, 400);
        else {
          reload();
          onChanged();
        }
      } catch (err) {
        setUploadError(err);
      }
    };
    void tick();
  };

  const send = async (e) => {
    e.preventDefault();
    const chosen = [...e.target.elements.files.files];
    if (!chosen.length) return;
    setUploadError(undefined);
    setUpload({ sent: 0, size: 1, processed: 0, total: chosen.length, phase: 'upload' });
    try {
      const file = await Promise.all(chosen.map(async (f) => ({ content: await readAsDataUrl(f), name: f.name })));
      const r = await apiWithProgress('/add/knowledgebase-file', { knowledgebase_id: kb.id, file }, (sent, size) => setUpload((u) => ({ ...u, sent, size: size || sent })));
      e.target.reset();
      setUpload((u) => ({ ...u, sent: u.size, phase: 'processing' }));
      reload();
      watch(r.map((f) => f.id));
    } catch (err) {
      setUploadError(err);
      setUpload(undefined);
    }
  };

  const removeFile = async (id) => {
    if (!confirm(t('confirmDeleteFile'))) return;
    try {
      await api('/delete/knowledgebase-file', { file_ids: [id] });
      if (fileId === id) location.hash = route('kb', kb.id);
      reload();
      onChanged();
    } catch (err) {
      setUploadError(err);
    }
  };
  const removeKb = async () => {
    if (!confirm(t('confirmDeleteKb'))) return;
    try {
      await api('/delete/knowledgebase', { knowledgebase_id: kb.id });
      location.hash = '/kb';
      onChanged();
    } catch (err) {
      setUploadError(err);
    }
  };

  return html`<div>
    <h2>${kb.name} <span class="mono small muted">${kb.id}</span></h2>
    ${kb.description ? html`<p>${kb.description}</p>` : null}
    ${readOnly
      ? null
      : html`<form class="upload" method="post" onSubmit=${send}>
          <input type="file" name="files" multiple accept=".pdf,.docx,.md,.txt,.json,.xml,.zip" aria-label=${t('upload')} />
          <button type="submit">${t('upload')}</button>
          <button type="button" class="danger" onClick=${removeKb}>${t('deleteKb')}</button>
        </form>`}
    ${upload
      ? html`<div class="progress">
          <label>${t('uploading')} <progress id="upload-progress" max=${upload.size} value=${upload.sent}></progress> ${Math.round((100 * upload.sent) / (upload.size || 1))}%</label>
          <label>${t('processing')} <progress id="processing-progress" max=${upload.total} value=${upload.processed}></progress> ${upload.processed} / ${upload.total}</label>
        </div>`
      : null}
    <${ErrorBox} error=${uploadError || error} />
    ${files
      ? html`<div class="table-wrap"><table class="files">
          <thead><tr><th>${t('name')}</th><th>${t('type')}</th><th>${t('size')}</th><th>${t('status')}</th><th>${t('chunks')}</th><th>${t('created')}</th><th></th></tr></thead>
          <tbody>${files.file_detail_list.map(
            (f) => html`<tr data-file-id=${f.id} class=${f.id === fileId ? 'active' : ''}>
              <td><${Link} to=${route('kb', kb.id, f.id)}>${f.name}<//></td>
              <td>${f.type}</td><td>${f.size}</td>
              <td><${Badge} kind=${f.status}>${f.status}<//>${f.error ? html`<div class="error small">${f.error}</div>` : null}</td>
              <td>${f.chunk_count ?? ''}</td><td><${Time} ms=${f.create_time} /></td>
              <td>${readOnly ? null : html`<button class="link danger" onClick=${() => removeFile(f.id)}>${t('delete')}</button>`}</td>
            </tr>`,
          )}</tbody>
        </table></div>
        <${Pager} page=${page} size=${20} total=${files.total} onPage=${setPage} />`
      : html`<${Loading} />`}
    ${fileId ? html`<${Chunks} kbId=${kb.id} fileId=${fileId} />` : null}
  </div>`;
}

function Chunks({ kbId, fileId }) {
  const [page, setPage] = useState(1);
  const [data, error] = useLoad(() => con('/chunks', { knowledgebase_id: kbId, file_id: fileId, page, size: 50 }), [kbId, fileId, page]);
  return html`<div class="chunks">
    <h3>${t('chunks')} ${data ? html`<span class="muted">(${fmtNum(data.total)})</span>` : null}</h3>
    <${ErrorBox} error=${error} />
    ${(data?.chunks ?? []).map(
      (c) => html`<article class="chunk">
        <p class="heading-path">${c.heading_path.length ? c.heading_path.join(' › ') : c.key}${c.page != null ? html` <span class="muted">p. ${c.page}</span>` : null}</p>
        <p class="value">${c.value}</p>
      </article>`,
    )}
    ${data ? html`<${Pager} page=${page} size=${data.size} total=${data.total} onPage=${setPage} />` : null}
  </div>`;
}
