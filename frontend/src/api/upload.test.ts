import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTranslator, dictionaries } from '../i18n/core';
import { uploadErrorMessage } from '../pages/people/documentText';
import { FakeXhr } from '../test/fakeXhr';
import { ApiError } from './client';
import { endpoints } from './endpoints';
import { isAbortError, uploadFile, type UploadProgress } from './upload';

beforeEach(() => FakeXhr.install());
afterEach(() => vi.unstubAllGlobals());

const pdf = () => new File(['%PDF-1.4\n', 'x'.repeat(2000)], 'cv.pdf', { type: 'application/pdf' });

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the upload to fail');
}

describe('uploadFile', () => {
  it('POSTs the file as one multipart part named "file", with the CSRF header and credentials', async () => {
    const file = pdf();
    const done = uploadFile('/api/people/p1/documents', file, { query: { kind: 'resume', expiresOn: '' } });
    const xhr = FakeXhr.last();
    expect(xhr.method).toBe('POST');
    // Empty query values are left out.
    expect(xhr.url).toBe('/api/people/p1/documents?kind=resume');
    expect(xhr.requestHeaders['X-Crewplots-Csrf']).toBe('1');
    expect(xhr.requestHeaders['Accept']).toBe('application/json');
    // The browser sets the multipart boundary itself.
    expect(xhr.requestHeaders['Content-Type']).toBeUndefined();
    expect(xhr.withCredentials).toBe(true);
    expect(xhr.body).toBeInstanceOf(FormData);
    expect([...(xhr.body as FormData).keys()]).toEqual(['file']);
    expect(xhr.filePart()?.name).toBe('cv.pdf');
    expect(xhr.filePart()?.size).toBe(file.size);

    xhr.respond(201, { id: 'd1', kind: 'resume' });
    await expect(done).resolves.toEqual({ id: 'd1', kind: 'resume' });
  });

  it('reports upload progress as a rounded-down percentage', async () => {
    const seen: UploadProgress[] = [];
    const done = uploadFile('/upload', pdf(), { onProgress: (p) => seen.push(p) });
    const xhr = FakeXhr.last();
    xhr.progress(0, 2000);
    xhr.progress(999, 2000);
    xhr.progress(500, 0, false); // unknown total: nothing to report
    xhr.progress(2000, 2000);
    expect(seen.map((p) => p.percent)).toEqual([0, 49, 100]);
    expect(seen[1]).toEqual({ loaded: 999, total: 2000, percent: 49 });
    xhr.respond(201, {});
    await done;
  });

  it('builds the document URL with kind and end date', async () => {
    const done = endpoints.uploadDocument('a b', { kind: 'passport', expiresOn: '2027-01-31' }, pdf());
    expect(FakeXhr.last().url).toBe('/api/people/a%20b/documents?kind=passport&expiresOn=2027-01-31');
    FakeXhr.last().respond(201, {});
    await done;
  });

  it.each([
    [413, 'too_large'],
    [415, 'unsupported_type'],
    [503, 'store_unavailable'],
  ])('turns a %i answer into ApiError %s', async (status, code) => {
    const done = uploadFile('/upload', pdf());
    FakeXhr.last().respond(status, { error: { code, message: 'English' } }, { 'Retry-After': '30' });
    const error = await rejection(done);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status, code, message: 'English' });
    expect((error as ApiError).retryAfter).toBe(30);
  });

  it('maps answers that are not our JSON (a proxy refusing a large body) by status', async () => {
    const done = uploadFile('/upload', pdf());
    FakeXhr.last().respond(413, '<html><body>Request Entity Too Large</body></html>', {}, 'Payload Too Large');
    expect(await rejection(done)).toMatchObject({ status: 413, code: 'too_large' });

    const next = uploadFile('/upload', pdf());
    FakeXhr.last().respond(502, 'Bad Gateway');
    expect(await rejection(next)).toMatchObject({ status: 502, code: 'service_unavailable' });
  });

  it('keeps field errors of a 4xx answer', async () => {
    const done = uploadFile('/upload', pdf());
    FakeXhr.last().respond(400, { error: { code: 'invalid_query', message: 'x', fields: { expiresOn: 'invalid_date' } } });
    expect(await rejection(done)).toMatchObject({ code: 'invalid_query', fields: { expiresOn: 'invalid_date' } });
  });

  it('reports a network failure as network_error', async () => {
    const done = uploadFile('/upload', pdf());
    FakeXhr.last().failNetwork();
    expect(await rejection(done)).toMatchObject({ status: 0, code: 'network_error' });
  });

  it('rejects an unreadable success answer', async () => {
    const done = uploadFile('/upload', pdf());
    FakeXhr.last().respond(201, 'not json');
    expect(await rejection(done)).toMatchObject({ code: 'invalid_response' });
  });

  it('cancels through an AbortSignal', async () => {
    const controller = new AbortController();
    const done = uploadFile('/upload', pdf(), { signal: controller.signal });
    const xhr = FakeXhr.last();
    xhr.progress(100, 2000);
    controller.abort();
    expect(xhr.aborted).toBe(true);
    const error = await rejection(done);
    expect(isAbortError(error)).toBe(true);
    expect(error).not.toBeInstanceOf(ApiError);
  });

  it('does not start when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const error = await rejection(uploadFile('/upload', pdf(), { signal: controller.signal }));
    expect(isAbortError(error)).toBe(true);
    expect(FakeXhr.instances).toHaveLength(0);
  });
});

describe('upload error messages', () => {
  const en = createTranslator('en', 'en-GB');
  const nl = createTranslator('nl', 'nl-NL');
  const apiError = (status: number, code: string) => new ApiError({ status, code, message: 'x' });

  it('names the server\'s limit in a 413 too_large text when it is known, in English and Dutch', () => {
    const limit = 10 * 1024 * 1024;
    expect(uploadErrorMessage(en, apiError(413, 'too_large'), limit)).toBe('This file is too large. Documents may be at most 10 MB.');
    expect(uploadErrorMessage(nl, apiError(413, 'too_large'), limit)).toBe('Dit bestand is te groot. Documenten mogen maximaal 10 MB zijn.');
    expect(uploadErrorMessage(en, apiError(413, 'too_large'))).toBe(dictionaries.en['documents.upload.error.too_largeAnySize']);
    expect(uploadErrorMessage(nl, apiError(413, 'too_large'))).toBe(dictionaries.nl['documents.upload.error.too_largeAnySize']);
  });

  it.each([
    [415, 'unsupported_type'],
    [503, 'store_unavailable'],
  ] as const)('has an upload-specific text for %i %s, in English and Dutch', (status, code) => {
    const key = `documents.upload.error.${code}` as const;
    expect(uploadErrorMessage(en, apiError(status, code))).toBe(dictionaries.en[key]);
    expect(uploadErrorMessage(nl, apiError(status, code))).toBe(dictionaries.nl[key]);
    expect(dictionaries.nl[key]).not.toBe(dictionaries.en[key]);
  });

  it('falls back to the general error texts', () => {
    expect(uploadErrorMessage(en, apiError(403, 'forbidden'))).toBe(dictionaries.en['error.forbidden']);
    expect(uploadErrorMessage(nl, apiError(0, 'network_error'))).toBe(dictionaries.nl['error.network_error']);
    expect(uploadErrorMessage(en, new Error('boom'))).toBe(dictionaries.en['error.unknown']);
  });
});
