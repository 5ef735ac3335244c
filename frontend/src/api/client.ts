// A small fetch wrapper for the Crew Plots JSON API: same origin, cookies, CSRF header, typed errors.
import type { ErrorBody } from './types';

export const CSRF_HEADER = 'X-Crewplots-Csrf';

export type FieldErrors = NonNullable<ErrorBody['error']['fields']>;

/** Any failed API call. `code` is the server's stable snake_case code (or `network_error` when no answer came). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldErrors;
  /** Seconds to wait before retrying, from the `Retry-After` header (429 and 503), else null. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    fields?: FieldErrors | undefined;
    retryAfter?: number | null | undefined;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.fields = init.fields ?? {};
    this.retryAfter = init.retryAfter ?? null;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (/^\d+$/.test(trimmed)) return Number.parseInt(trimmed, 10);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

function fallbackCode(status: number): string {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 409:
      return 'conflict';
    case 413:
      return 'too_large';
    case 415:
      return 'unsupported_type';
    case 422:
      return 'validation_failed';
    case 429:
      return 'too_many_requests';
    case 502:
    case 503:
    case 504:
      return 'service_unavailable';
    default:
      return 'internal_error';
  }
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, fields } = error as { code?: unknown; message?: unknown; fields?: unknown };
  if (typeof code !== 'string' || (message !== undefined && typeof message !== 'string')) return false;
  if (fields === undefined || fields === null) return true;
  return (
    typeof fields === 'object' && Object.values(fields as object).every((v) => typeof v === 'string')
  );
}

/**
 * The ApiError for a non-2xx answer from its status, body text and `Retry-After` header, tolerating bodies that
 * are not our JSON (proxies, HTML pages). Shared by `fetch` calls and XMLHttpRequest uploads.
 */
export function apiErrorFrom(
  status: number,
  statusText: string,
  text: string,
  retryAfterHeader: string | null,
): ApiError {
  const retryAfter = parseRetryAfter(retryAfterHeader);
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (isErrorBody(body)) {
    return new ApiError({
      status,
      code: body.error.code,
      message: body.error.message || statusText,
      fields: body.error.fields ?? undefined,
      retryAfter,
    });
  }
  return new ApiError({
    status,
    code: fallbackCode(status),
    message: statusText || `HTTP ${status}`,
    retryAfter,
  });
}

/** Turns a non-2xx response into an ApiError. */
export async function toApiError(response: Response): Promise<ApiError> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    text = '';
  }
  return apiErrorFrom(response.status, response.statusText, text, response.headers.get('Retry-After'));
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  signal?: AbortSignal | undefined;
}

/** Builds `/path?query` leaving out empty values. */
export function buildUrl(path: string, query?: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.append(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/**
 * Calls the API and resolves with the parsed JSON body (or `undefined` for 204 and empty bodies).
 * The caller states the response type; it comes from the generated OpenAPI types.
 */
export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers[CSRF_HEADER] = '1';
  const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (options.signal) init.signal = options.signal;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, code: 'network_error', message: 'The server could not be reached.' });
  }

  if (!response.ok) throw await toApiError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError({ status: response.status, code: 'invalid_response', message: 'Unreadable answer.' });
  }
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body }),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};
