// File uploads with progress. `fetch` cannot report how much of a request body has been sent; XMLHttpRequest
// can (`upload.onprogress`), so uploads go through it. Same rules as client.ts: same origin, cookies, the CSRF
// header, errors as ApiError with the server's code (or the status's fallback code for non-JSON answers).
import { ApiError, apiErrorFrom, buildUrl, CSRF_HEADER, type RequestOptions } from './client';

export interface UploadProgress {
  /** Bytes of the request body sent so far. */
  loaded: number;
  /** Size of the request body (the file plus a little multipart framing). */
  total: number;
  /** 0–100, rounded down, so 100 means every byte has left the browser. */
  percent: number;
}

export interface UploadOptions {
  query?: RequestOptions['query'];
  /** Name of the multipart part that carries the file. */
  field?: string;
  onProgress?: (progress: UploadProgress) => void;
  /** Aborting cancels the upload; the promise then rejects with a DOMException named `AbortError`. */
  signal?: AbortSignal | undefined;
}

function abortError(): DOMException {
  return new DOMException('The upload was cancelled.', 'AbortError');
}

export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** POSTs one file as `multipart/form-data` and resolves with the parsed JSON answer. */
export function uploadFile<T>(path: string, file: Blob, options: UploadOptions = {}): Promise<T> {
  const { query, field = 'file', onProgress, signal } = options;
  return new Promise<T>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const xhr = new XMLHttpRequest();
    const onAbortSignal = () => xhr.abort();
    const settle = () => signal?.removeEventListener('abort', onAbortSignal);

    xhr.open('POST', buildUrl(path, query));
    xhr.withCredentials = true;
    xhr.setRequestHeader(CSRF_HEADER, '1');
    xhr.setRequestHeader('Accept', 'application/json');
    // No Content-Type: the browser sets multipart/form-data with its boundary.

    xhr.upload.onprogress = (event: ProgressEvent) => {
      if (!onProgress || !event.lengthComputable || event.total <= 0) return;
      const percent = Math.min(100, Math.floor((event.loaded / event.total) * 100));
      onProgress({ loaded: event.loaded, total: event.total, percent });
    };

    xhr.onload = () => {
      settle();
      const text = typeof xhr.responseText === 'string' ? xhr.responseText : '';
      if (xhr.status < 200 || xhr.status >= 300) {
        reject(apiErrorFrom(xhr.status, xhr.statusText, text, xhr.getResponseHeader('Retry-After')));
        return;
      }
      if (!text) {
        resolve(undefined as T);
        return;
      }
      try {
        resolve(JSON.parse(text) as T);
      } catch {
        reject(new ApiError({ status: xhr.status, code: 'invalid_response', message: 'Unreadable answer.' }));
      }
    };
    const networkError = () => {
      settle();
      reject(new ApiError({ status: 0, code: 'network_error', message: 'The server could not be reached.' }));
    };
    xhr.onerror = networkError;
    xhr.ontimeout = networkError;
    xhr.onabort = () => {
      settle();
      reject(abortError());
    };
    signal?.addEventListener('abort', onAbortSignal, { once: true });

    const body = new FormData();
    const name = file instanceof File ? file.name : 'upload';
    body.append(field, file, name);
    xhr.send(body);
  });
}
