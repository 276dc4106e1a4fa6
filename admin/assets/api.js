// The one place that talks to the server: every change carries the session's CSRF token.
let csrf = '';

export function setCsrf(token) { csrf = token; }

export class ApiError extends Error {
  constructor(status, name, message) { super(message); this.status = status; this.name = name; }
}

async function failure(res) {
  const type = res.headers.get('content-type') || '';
  if (type.includes('json')) {
    const body = await res.json();
    return new ApiError(res.status, body.Name || 'Error', body.Message || res.statusText);
  }
  return new ApiError(res.status, res.status === 401 ? 'SignedOut' : 'Error', await res.text());
}

export async function get(path) {
  const res = await fetch(path, { credentials: 'same-origin' });
  if (!res.ok) throw await failure(res);
  return res.json();
}

async function send(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw await failure(res);
  return res;
}

export async function post(path, body) { return (await send(path, body)).json(); }

export async function postForFile(path, body) { return (await send(path, body)).blob(); }

export async function postEmpty(path) { await send(path, {}); }

// Saves data as a file in the browser's downloads.
export function saveFile(data, name, type = 'application/octet-stream') {
  const blob = data instanceof Blob ? data : new Blob([data], { type });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// A file chosen in an <input type=file>, as Base64 (bounded: the server refuses more anyway).
export async function fileAsBase64(input) {
  const file = input.files && input.files[0];
  if (!file) throw new ApiError(400, 'NoFile', 'choose a file first');
  if (file.size > 2 * 1024 * 1024) throw new ApiError(400, 'TooLarge', 'the file is larger than 2 MB: certificate files are far smaller; check that it is the right file');
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
