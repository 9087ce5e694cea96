// fetch() for motcua's JSON API. Errors come back as ApiError with the
// API's code, message and per-field messages; a network failure is status 0.
let csrf = null;

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || (status === 0 ? 'network' : 'unknown');
    this.fields = e.fields || {};
    this.retryAfter = retryAfter;
  }
}

export function setCsrf(token) { csrf = token; }
export function csrfToken() { return csrf || ''; }

// One file to /api/v1/attachments, with progress (0..1) as it goes up.
// Resolves to the staged attachment {id, name, media_type, size, ...}.
export function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/api/v1/attachments');
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    if (file.type) xhr.setRequestHeader('Content-Type', file.type);
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let json = null;
      try { json = JSON.parse(xhr.responseText); } catch { json = null; }
      if (xhr.status >= 200 && xhr.status < 300) resolve(json);
      else reject(new ApiError(xhr.status, json, Number(xhr.getResponseHeader('Retry-After')) || 0));
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.send(file);
  });
}

export async function api(path, { method = 'GET', body, query, signal } = {}) {
  let url = path;
  if (query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
    const s = q.toString();
    if (s) url += '?' + s;
  }
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(url, {
      method, headers, signal, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, null);
  }
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!res.ok) throw new ApiError(res.status, json, Number(res.headers.get('Retry-After')) || 0);
  return json;
}

// The signed-in user, or null.
export async function whoAmI() {
  try {
    const me = await api('/api/v1/auth/me');
    setCsrf(me.csrf_token);
    return me.user;
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

// Ends the session; the caller decides where to go next.
export async function logout() {
  try { await api('/api/v1/auth/logout', { method: 'POST' }); } catch { /* the session ends anyway */ }
  setCsrf(null);
}

export function isStaff(user) {
  return !!user && user.roles.some((r) => r.role !== 'citizen');
}
