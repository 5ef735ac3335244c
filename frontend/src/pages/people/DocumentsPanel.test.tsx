import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DocumentInfo, PersonProfile, QueuedDocument } from '../../api/types';
import { createTranslator, dictionaries } from '../../i18n/core';
import { FakeXhr } from '../../test/fakeXhr';
import { errorResponse, jsonResponse, makeMe, mockApi, publicSettingsApi, renderApp, renderUi } from '../../test/utils';
import { DocumentsPanel } from './DocumentsPanel';

beforeEach(() => FakeXhr.install());
afterEach(() => vi.unstubAllGlobals());

const PERSON = '30000000-0000-4000-8000-000000000003';
const docsPath = `/api/people/${PERSON}/documents`;
const en = createTranslator('en');

function doc(overrides: Partial<DocumentInfo> = {}): DocumentInfo {
  return {
    id: 'd1',
    ownerId: PERSON,
    kind: 'resume',
    contentType: 'application/pdf',
    sizeBytes: 20 * 1024,
    expiresOn: null,
    reviewState: 'pending',
    reviewedBy: null,
    reviewedAt: null,
    reviewReason: null,
    uploadedAt: '2026-11-20T10:00:00Z',
    ...overrides,
  };
}

const cv = doc();
const passport = doc({
  id: 'd2',
  kind: 'passport',
  contentType: 'image/jpeg',
  sizeBytes: 1.5 * 1024 * 1024,
  expiresOn: '2030-05-01',
  reviewState: 'approved',
  reviewedAt: '2026-11-21T09:00:00Z',
});
const idCard = doc({
  id: 'd3',
  kind: 'id_card',
  contentType: 'image/png',
  sizeBytes: 300,
  expiresOn: '2020-01-01',
  reviewState: 'rejected',
  reviewedAt: '2026-11-21T09:30:00Z',
  reviewReason: 'Unreadable scan',
});

function item(name: string): HTMLElement {
  const list = screen.getByRole('list', { name: 'Uploaded documents' });
  const match = within(list)
    .getAllByRole('listitem')
    .find((li) => li.querySelector('.doc__title')?.textContent === name);
  if (!match) throw new Error(`no document item ${name}`);
  return match;
}

describe('documents panel', () => {
  it('lists each document with its state, size, dates and a download link', async () => {
    mockApi({ [`GET ${docsPath}`]: () => jsonResponse(200, [cv, passport, idCard]) });
    renderUi(<DocumentsPanel personId={PERSON} canManage canReview={false} />);
    await screen.findByRole('list', { name: 'Uploaded documents' });

    const first = item('CV');
    expect(within(first).getByText('Pending review')).toHaveClass('badge--review-pending');
    expect(first).toHaveTextContent('20 kB · PDF');
    expect(first).toHaveTextContent(`Uploaded${en.formatDateTime(cv.uploadedAt)}`);
    expect(first).toHaveTextContent('No end date');
    const download = within(first).getByRole('link', { name: 'Download' });
    expect(download).toHaveAttribute('href', '/api/documents/d1/content');
    expect(download).toHaveAttribute('download');
    expect(download).toHaveAccessibleDescription('CV');

    const second = item('Passport');
    expect(within(second).getByText('Approved')).toHaveClass('badge--review-approved');
    expect(second).toHaveTextContent('1.5 MB · JPEG');
    expect(second).toHaveTextContent(`Valid until${en.formatDate('2030-05-01')}`);
    expect(second).toHaveTextContent(`Reviewed${en.formatDateTime(passport.reviewedAt)}`);
    expect(within(second).queryByText('Expired')).not.toBeInTheDocument();

    const third = item('ID card');
    expect(within(third).getByText('Rejected')).toHaveClass('badge--review-rejected');
    expect(within(third).getByText('Expired')).toBeInTheDocument();
    expect(third).toHaveTextContent('ReasonUnreadable scan');
    expect(third).toHaveTextContent('300 byte · PNG');

    // Own documents: delete and upload, no review.
    expect(within(first).getByRole('button', { name: 'Delete' })).toBeInTheDocument();
    expect(screen.getByRole('form', { name: 'Upload a document' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
  });

  it('says so when there are no documents', async () => {
    mockApi({ [`GET ${docsPath}`]: () => jsonResponse(200, []) });
    renderUi(<DocumentsPanel personId={PERSON} canManage={false} canReview={false} />);
    expect(await screen.findByText('No documents yet.')).toBeInTheDocument();
  });

  it('shows a translated error when the list cannot be loaded', async () => {
    mockApi({ [`GET ${docsPath}`]: () => errorResponse(403, 'forbidden') });
    renderUi(<DocumentsPanel personId={PERSON} canManage={false} canReview={false} />, { language: 'nl' });
    expect(await screen.findByRole('alert')).toHaveTextContent(dictionaries.nl['error.forbidden']);
  });

  it('hides delete, upload and review controls when they are not allowed', async () => {
    mockApi({ [`GET ${docsPath}`]: () => jsonResponse(200, [cv, passport, idCard]) });
    renderUi(<DocumentsPanel personId={PERSON} canManage={false} canReview={false} />);
    await screen.findByRole('list', { name: 'Uploaded documents' });
    expect(screen.getAllByRole('link', { name: 'Download' })).toHaveLength(3);
    expect(screen.queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reject' })).not.toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Upload a document' })).not.toBeInTheDocument();
    expect(screen.queryByLabelText('File')).not.toBeInTheDocument();
  });

  it('deletes a document only after confirmation', async () => {
    let documents = [cv, passport];
    const { requests } = mockApi({
      [`GET ${docsPath}`]: () => jsonResponse(200, documents),
      'DELETE /api/documents/d1': () => {
        documents = documents.filter((d) => d.id !== 'd1');
        return jsonResponse(204);
      },
    });
    renderUi(<DocumentsPanel personId={PERSON} canManage canReview={false} />);
    const user = userEvent.setup();
    await screen.findByRole('list', { name: 'Uploaded documents' });

    await user.click(within(item('CV')).getByRole('button', { name: 'Delete' }));
    let confirm = await screen.findByRole('alertdialog', { name: 'Delete document' });
    expect(confirm).toHaveTextContent(`Delete this document (CV, uploaded ${en.formatDate(cv.uploadedAt)})?`);
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(requests.some((r) => r.method === 'DELETE')).toBe(false);

    await user.click(within(item('CV')).getByRole('button', { name: 'Delete' }));
    confirm = await screen.findByRole('alertdialog', { name: 'Delete document' });
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('The document has been deleted.')).toBeInTheDocument();
    const deletion = requests.find((r) => r.method === 'DELETE');
    expect(deletion?.url).toBe('/api/documents/d1');
    expect(deletion?.headers.get('X-Crewplots-Csrf')).toBe('1');
    await waitFor(() => expect(() => item('CV')).toThrow());
    expect(item('Passport')).toBeInTheDocument();
  });

  it('lets a reviewer approve, and reject with a reason', async () => {
    let documents = [cv, passport];
    const { requests } = mockApi({
      [`GET ${docsPath}`]: () => jsonResponse(200, documents),
      'POST /api/documents/d1/review': () => {
        documents = documents.map((d) => (d.id === 'd1' ? { ...d, reviewState: 'approved' as const } : d));
        return jsonResponse(200, documents[0]);
      },
      'POST /api/documents/d2/review': (req) => {
        const reason = (req.body as { reason: string }).reason;
        documents = documents.map((d) =>
          d.id === 'd2' ? { ...d, reviewState: 'rejected' as const, reviewReason: reason } : d,
        );
        return jsonResponse(200, documents[1]);
      },
    });
    renderUi(<DocumentsPanel personId={PERSON} canManage canReview />);
    const user = userEvent.setup();
    await screen.findByRole('list', { name: 'Uploaded documents' });

    // Only the decisions that change something are offered.
    expect(within(item('CV')).getByRole('button', { name: 'Approve' })).toHaveAccessibleDescription('CV');
    expect(within(item('Passport')).queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();

    await user.click(within(item('CV')).getByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('The document has been approved.')).toBeInTheDocument();
    await waitFor(() => expect(within(item('CV')).getByText('Approved')).toBeInTheDocument());
    const approval = requests.find((r) => r.url === '/api/documents/d1/review');
    expect(approval?.body).toEqual({ decision: 'approved' });
    expect(approval?.headers.get('X-Crewplots-Csrf')).toBe('1');

    await user.click(within(item('Passport')).getByRole('button', { name: 'Reject' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reject document: Passport' });
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(within(dialog).getByText('This field is required.')).toBeInTheDocument();
    expect(requests.some((r) => r.url === '/api/documents/d2/review')).toBe(false);

    await user.type(within(dialog).getByLabelText('Reason'), '  Photo page is cut off ');
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(await screen.findByText('The document has been rejected.')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.find((r) => r.url === '/api/documents/d2/review')?.body).toEqual({
      decision: 'rejected',
      reason: 'Photo page is cut off',
    });
    await waitFor(() => expect(item('Passport')).toHaveTextContent('ReasonPhoto page is cut off'));
  });

  it('reports a refused review in a toast', async () => {
    mockApi({
      [`GET ${docsPath}`]: () => jsonResponse(200, [cv]),
      'POST /api/documents/d1/review': () => errorResponse(403, 'forbidden'),
    });
    renderUi(<DocumentsPanel personId={PERSON} canManage canReview />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Approve' }));
    expect(await screen.findByText('That did not work: You are not allowed to do this.')).toBeInTheDocument();
  });
});

describe('document upload', () => {
  const pdf = (size = 20_000) =>
    new File(['%PDF-1.4\n', 'x'.repeat(size - 9)], 'cv.pdf', { type: 'application/pdf' });

  it('checks the choice before uploading, against the server\'s size limit', async () => {
    mockApi({ ...publicSettingsApi(), [`GET ${docsPath}`]: () => jsonResponse(200, []) });
    renderUi(<DocumentsPanel personId={PERSON} canManage canReview={false} />);
    const user = userEvent.setup({ applyAccept: false });
    const form = await screen.findByRole('form', { name: 'Upload a document' });
    expect(within(form).getByLabelText('File')).toHaveAttribute('accept', expect.stringContaining('.pdf,.jpg,.jpeg,.png'));
    // The hint names the limit from the public settings (2 MiB here), not a constant.
    expect(await within(form).findByText('PDF, JPEG or PNG, at most 2 MB.')).toBeInTheDocument();

    await user.click(within(form).getByRole('button', { name: 'Upload' }));
    expect(within(form).getByText('This field is required.')).toBeInTheDocument();

    await user.upload(within(form).getByLabelText('File'), new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    expect(within(form).getByText('Choose a PDF, JPEG or PNG file.')).toBeInTheDocument();

    const big = pdf(100);
    Object.defineProperty(big, 'size', { value: 2 * 1024 * 1024 + 1 });
    await user.upload(within(form).getByLabelText('File'), big);
    expect(within(form).getByText('This file is larger than the limit.')).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Upload' }));
    expect(FakeXhr.instances).toHaveLength(0);
  });

  it('shows progress, can be cancelled, and uploads with kind and end date', async () => {
    let documents: DocumentInfo[] = [];
    mockApi({ [`GET ${docsPath}`]: () => jsonResponse(200, documents) });
    renderUi(<DocumentsPanel personId={PERSON} canManage canReview={false} />);
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Upload a document' });
    expect(within(form).getByLabelText('Kind of document')).toHaveValue('resume');
    expect(
      within(within(form).getByLabelText('Kind of document')).getAllByRole('option').map((o) => o.textContent),
    ).toEqual(['CV', 'ID card', 'Passport', 'Work permit', 'Reference', 'Employment contract', 'Other document']);

    await user.selectOptions(within(form).getByLabelText('Kind of document'), 'passport');
    await user.type(within(form).getByLabelText(/^Valid until/), '2031-12-31');
    await user.upload(within(form).getByLabelText('File'), pdf());
    await user.click(within(form).getByRole('button', { name: 'Upload' }));

    // First attempt: cancelled half-way.
    let xhr = FakeXhr.last();
    expect(xhr.url).toBe(`${docsPath}?kind=passport&expiresOn=2031-12-31`);
    act(() => xhr.progress(5_000, 20_000));
    expect(await within(form).findByText('Uploading… 25%')).toBeInTheDocument();
    expect(within(form).getByRole('progressbar')).toHaveAttribute('value', '25');
    expect(within(form).getByRole('button', { name: /Uploading/ })).toBeDisabled();
    await user.click(within(form).getByRole('button', { name: 'Cancel upload' }));
    expect(xhr.aborted).toBe(true);
    expect(await within(form).findByText('The upload was cancelled.')).toBeInTheDocument();
    expect(within(form).queryByRole('progressbar')).not.toBeInTheDocument();

    // Second attempt: all the way.
    await user.click(within(form).getByRole('button', { name: 'Upload' }));
    xhr = FakeXhr.last();
    expect(FakeXhr.instances).toHaveLength(2);
    act(() => xhr.progress(20_000, 20_000));
    expect(await within(form).findByText('Storing the document securely…')).toBeInTheDocument();
    const created = doc({ id: 'd9', kind: 'passport', expiresOn: '2031-12-31' });
    documents = [created];
    act(() => xhr.respond(201, created));
    expect(await screen.findByText('The document (Passport) has been uploaded and awaits review.')).toBeInTheDocument();
    expect(await screen.findByRole('list', { name: 'Uploaded documents' })).toHaveTextContent('Passport');
    // The form is ready for the next document.
    await waitFor(() => expect(within(form).queryByRole('progressbar')).not.toBeInTheDocument());
    expect(within(form).getByLabelText('Kind of document')).toHaveValue('resume');
    expect((within(form).getByLabelText('File') as HTMLInputElement).files).toHaveLength(0);
  });

  it.each([
    [413, 'too_large', 'This file is too large. Documents may be at most 2 MB.'],
    [415, 'unsupported_type', 'This file is not a PDF, JPEG or PNG. Other kinds of files cannot be uploaded.'],
    [503, 'store_unavailable', 'Secure document storage is temporarily unavailable. Your file was not saved; try again shortly.'],
  ])('translates a %i %s refusal', async (status, code, text) => {
    mockApi({ ...publicSettingsApi(), [`GET ${docsPath}`]: () => jsonResponse(200, []) });
    renderUi(<DocumentsPanel personId={PERSON} canManage canReview={false} />);
    const user = userEvent.setup();
    const form = await screen.findByRole('form', { name: 'Upload a document' });
    await user.upload(within(form).getByLabelText('File'), pdf());
    await user.click(within(form).getByRole('button', { name: 'Upload' }));
    act(() => FakeXhr.last().respond(status, { error: { code, message: 'English' } }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(text);
  });
});

// ---- the pages around the panel -------------------------------------------------------------------------------

function personProfile(overrides: Partial<PersonProfile> = {}): PersonProfile {
  return {
    id: PERSON,
    username: 'kim',
    email: 'kim@example.nl',
    firstName: 'Kim',
    lastName: 'de Vries',
    displayName: 'Kim de Vries',
    role: 'applicant',
    locations: [],
    sensitive: { phone: '+31 6 1234 5678' },
    sensitiveStatus: 'ok',
    canEdit: false,
    ...overrides,
  };
}

describe('person page and queues', () => {
  it('leads a reviewer from the review queue on the staff home to the person, who can be approved', async () => {
    const queued: QueuedDocument = { document: cv, ownerName: 'Kim de Vries' };
    const expiring: QueuedDocument = { document: passport, ownerName: 'Kim de Vries' };
    const manager = makeMe('manager');
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, manager),
      'GET /api/documents/review-queue': () => jsonResponse(200, [queued]),
      'GET /api/documents/expiring': () => jsonResponse(200, [expiring]),
      [`GET /api/people/${manager.id}/profile`]: () =>
        jsonResponse(200, personProfile({ id: manager.id, canEdit: true, role: 'manager' })),
      [`GET /api/people/${manager.id}/documents`]: () => jsonResponse(200, []),
      [`GET /api/people/${PERSON}/profile`]: () => jsonResponse(200, personProfile()),
      [`GET ${docsPath}`]: () => jsonResponse(200, [cv]),
    });
    const { router } = renderApp('/staff');
    const user = userEvent.setup();

    const review = await screen.findByRole('region', { name: /^Awaiting review/ });
    const row = await within(review).findByRole('link', { name: /Kim de Vries/ });
    expect(row).toHaveTextContent(`CV · uploaded ${en.formatDate(cv.uploadedAt)}`);
    const soon = screen.getByRole('region', { name: /^Expiring within 30 days/ });
    expect(await within(soon).findByRole('link', { name: /Kim de Vries/ })).toHaveTextContent(
      `Passport · valid until ${en.formatDate('2030-05-01')}`,
    );
    expect(requests.find((r) => r.url.startsWith('/api/documents/expiring'))?.url).toBe(
      '/api/documents/expiring?days=30',
    );
    // The manager's own section is on the same page.
    expect(screen.getByRole('heading', { name: 'My profile & documents' })).toBeInTheDocument();

    await user.click(row);
    await waitFor(() => expect(router.state.location.pathname).toBe(`/staff/people/${PERSON}`));
    expect(await screen.findByRole('heading', { level: 1, name: 'Kim de Vries' })).toBeInTheDocument();
    const documents = await screen.findByRole('region', { name: 'Documents' });
    expect(await within(documents).findByRole('button', { name: 'Approve' })).toBeInTheDocument();
    expect(within(documents).getByRole('button', { name: 'Delete' })).toBeInTheDocument();
  });

  it('shows no review controls on one’s own documents', async () => {
    const manager = makeMe('manager');
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, manager),
      [`GET /api/people/${manager.id}/profile`]: () =>
        jsonResponse(200, personProfile({ id: manager.id, displayName: 'Sam Jansen', canEdit: true })),
      [`GET /api/people/${manager.id}/documents`]: () => jsonResponse(200, [doc({ ownerId: manager.id })]),
    });
    renderApp(`/staff/people/${manager.id}`);
    const documents = await screen.findByRole('region', { name: 'Documents' });
    expect(await within(documents).findByRole('button', { name: 'Delete' })).toBeInTheDocument();
    expect(within(documents).queryByRole('button', { name: 'Approve' })).not.toBeInTheDocument();
    expect(within(documents).queryByRole('button', { name: 'Reject' })).not.toBeInTheDocument();
  });

  it('shows a floor manager the phone number only, and no documents', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('floor_manager')),
      [`GET /api/people/${PERSON}/profile`]: () => jsonResponse(200, personProfile()),
    });
    renderApp(`/staff/people/${PERSON}`);
    const profile = await screen.findByRole('region', { name: 'Personal details' });
    expect(within(profile).getByText('You can see the phone number only.')).toBeInTheDocument();
    expect(within(profile).getByText('+31 6 1234 5678')).toBeInTheDocument();
    expect(within(profile).queryByText('Address')).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Documents' })).not.toBeInTheDocument();
    expect(requests.some((r) => r.url === docsPath)).toBe(false);
  });

  it('says when the person is not there (or not visible)', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('manager')),
      [`GET /api/people/${PERSON}/profile`]: () => errorResponse(404, 'not_found'),
    });
    renderApp(`/staff/people/${PERSON}`);
    expect(
      await screen.findByText('This person does not exist, or you may not see their details.'),
    ).toBeInTheDocument();
  });

  it('links each user in the administration list to their page', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, makeMe('administrator')),
      'GET /api/locations': () => jsonResponse(200, []),
      'GET /api/admin/users': () =>
        jsonResponse(200, {
          items: [{ ...personProfile(), status: 'active', createdAt: '2026-11-01T09:00:00Z', lastLoginAt: null }],
          nextCursor: null,
        }),
    });
    renderApp('/admin/users');
    expect(await screen.findByRole('link', { name: 'Open the profile of Kim de Vries' })).toHaveAttribute(
      'href',
      `/staff/people/${PERSON}`,
    );
  });
});
