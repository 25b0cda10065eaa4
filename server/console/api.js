// Talking to memos-lite. The key lives in sessionStorage (this tab only) and goes out in the Authorization
// header; requests carry no cookies, so nothing here can be driven by another site.
const KEY = 'memos-lite.key';
let apiPrefix = '/api/openmem/v1';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  save: (key) => sessionStorage.setItem(KEY, key),
  clear: () => sessionStorage.removeItem(KEY),
  setApiPrefix: (p) => (apiPrefix = p),
};

export class ApiError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

async function post(url, body, key = session.key()) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Token ${key ?? ''}` },
    body: JSON.stringify(body ?? {}),
    credentials: 'omit',
    cache: 'no-store',
  });
  let j;
  try {
    j = await res.json();
  } catch {
    throw new ApiError(res.status, `HTTP ${res.status}`);
  }
  if (j.code !== 0) throw new ApiError(j.code, j.message);
  return j.data;
}

/** A MemOS API endpoint (/search/memory, /add/feedback, ...). */
export const api = (path, body) => post(apiPrefix + path, body);
/** A console read (/api/console/users, ...). */
export const con = (path, body, key) => post('/api/console' + path, body, key);

/**
 * POST with upload progress (fetch cannot report it): onProgress(sent, total) while the body goes out.
 */
export function apiWithProgress(path, body, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiPrefix + path);
    xhr.setRequestHeader('content-type', 'application/json');
    xhr.setRequestHeader('authorization', `Token ${session.key() ?? ''}`);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : 0);
    xhr.onerror = () => reject(new ApiError(0, 'network error'));
    xhr.onload = () => {
      try {
        const j = JSON.parse(xhr.responseText);
        if (j.code !== 0) reject(new ApiError(j.code, j.message));
        else resolve(j.data);
      } catch {
        reject(new ApiError(xhr.status, `HTTP ${xhr.status}`));
      }
    };
    xhr.send(JSON.stringify(body));
  });
}
