// A scriptable stand-in for XMLHttpRequest (jsdom's would try the network): records what the code under test
// sends, and lets a test play upload progress, answers, network failures and aborts.
import { vi } from 'vitest';

type Listener = (() => void) | null;

export class FakeXhr {
  static instances: FakeXhr[] = [];

  static install(): void {
    FakeXhr.instances = [];
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
  }

  static last(): FakeXhr {
    const xhr = FakeXhr.instances.at(-1);
    if (!xhr) throw new Error('no XMLHttpRequest was made');
    return xhr;
  }

  method = '';
  url = '';
  requestHeaders: Record<string, string> = {};
  withCredentials = false;
  body: unknown = undefined;
  sent = false;
  aborted = false;

  status = 0;
  statusText = '';
  responseText = '';
  private responseHeaders: Record<string, string> = {};

  upload: { onprogress: ((event: ProgressEvent) => void) | null } = { onprogress: null };
  onload: Listener = null;
  onerror: Listener = null;
  ontimeout: Listener = null;
  onabort: Listener = null;

  constructor() {
    FakeXhr.instances.push(this);
  }

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.requestHeaders[name] = value;
  }

  getResponseHeader(name: string): string | null {
    return this.responseHeaders[name.toLowerCase()] ?? null;
  }

  send(body?: unknown): void {
    this.body = body;
    this.sent = true;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.onabort?.();
  }

  // ---- driven by tests ----

  /** The file part of the multipart body. */
  filePart(name = 'file'): File | null {
    return this.body instanceof FormData ? (this.body.get(name) as File | null) : null;
  }

  progress(loaded: number, total: number, lengthComputable = true): void {
    this.upload.onprogress?.({ loaded, total, lengthComputable } as ProgressEvent);
  }

  respond(status: number, body?: unknown, headers: Record<string, string> = {}, statusText = ''): void {
    this.status = status;
    this.statusText = statusText;
    this.responseText = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
    this.responseHeaders = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    this.onload?.();
  }

  failNetwork(): void {
    this.status = 0;
    this.onerror?.();
  }
}
