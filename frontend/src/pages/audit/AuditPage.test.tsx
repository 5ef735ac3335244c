import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditEntry } from '../../api/auditTypes';
import { haven, noord, VENUE } from '../../test/crewData';
import { jsonResponse, makeMe, mockApi, renderApp, withPermissions, type RecordedRequest } from '../../test/utils';
import { checkAuditForm, localToInstant, toAuditFilter } from './auditModel';
import { EMPTY_FORM } from './auditModel';

afterEach(() => vi.unstubAllGlobals());

const ACTOR = '00000000-0000-4000-8000-0000000000aa';
const SUBJECT = '00000000-0000-4000-8000-0000000000bb';

function entry(id: string, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id,
    occurredAt: '2026-12-08T13:05:00Z',
    action: 'schedule.published',
    actor: { id: ACTOR, name: 'Sam Jansen' },
    subject: { type: 'week', id: SUBJECT, name: '2026-W50' },
    location: { id: haven.id, name: haven.name },
    ip: '192.0.2.10',
    details: { notified: '3', version: '7' },
    ...overrides,
  };
}

function server() {
  return mockApi({
    'GET /api/auth/me': () => jsonResponse(200, withPermissions(makeMe('manager', { locations: [VENUE] }), 'audit.view')),
    'GET /api/locations': () => jsonResponse(200, [haven, noord]),
    'GET /api/audit': (request: RecordedRequest) => {
      const cursor = new URL(request.url, 'http://localhost').searchParams.get('cursor');
      return cursor
        ? jsonResponse(200, { items: [entry('e3', { action: 'auth.login', actor: null, location: null, ip: null, details: {} })], nextCursor: null })
        : jsonResponse(200, { items: [entry('e1'), entry('e2', { action: 'export.downloaded', subject: null })], nextCursor: 'c2' });
    },
  });
}

const auditCalls = (requests: RecordedRequest[]) => requests.filter((r) => r.url.startsWith('/api/audit')).map((r) => r.url);

describe('the audit filter form', () => {
  it('turns local date-times into instants and checks ids', () => {
    expect(localToInstant('')).toBe('');
    expect(localToInstant('2026-12-08T14:30')).toBe(new Date(2026, 11, 8, 14, 30).toISOString());
    expect(checkAuditForm({ ...EMPTY_FORM, actor: 'sam' })).toEqual({ actor: 'invalidId' });
    expect(checkAuditForm({ ...EMPTY_FORM, actor: ACTOR, subject: SUBJECT })).toEqual({});
    expect(checkAuditForm({ ...EMPTY_FORM, from: '2026-12-09T00:00', to: '2026-12-08T00:00' })).toEqual({ range: 'range' });
    expect(toAuditFilter({ ...EMPTY_FORM, action: ' schedule. ' }).action).toBe('schedule.');
  });
});

describe('the audit log', () => {
  it('lists entries newest first with time, action, person, subject, venue, IP and details, as cards on phones', async () => {
    const { requests } = server();
    renderApp('/staff/audit');
    const table = await screen.findByTestId('audit-table');
    expect(auditCalls(requests)).toEqual(['/api/audit?limit=50']);
    const rows = within(table).getAllByTestId('audit-entry');
    expect(rows.map((r) => r.getAttribute('data-id'))).toEqual(['e1', 'e2']);
    const first = rows[0]!;
    // The time in the user's locale (en-US in tests), in the browser's zone.
    expect(first).toHaveTextContent(new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date('2026-12-08T13:05:00Z')));
    expect(first).toHaveTextContent('schedule.published');
    expect(first).toHaveTextContent('Sam Jansen');
    expect(first).toHaveTextContent('week: 2026-W50');
    expect(first).toHaveTextContent('Café De Haven');
    expect(first).toHaveTextContent('192.0.2.10');
    expect(within(first).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['notified: 3', 'version: 7']);
    // On narrow screens each row is a card whose cells carry their column's name.
    expect(table).toHaveClass('table--cards');
    expect(within(first).getByText('192.0.2.10').closest('td')).toHaveAttribute('data-label', 'IP address');
  });

  it('loads more with the cursor of the last page', async () => {
    const { requests } = server();
    renderApp('/staff/audit');
    const user = userEvent.setup();
    await screen.findByTestId('audit-table');
    await user.click(screen.getByTestId('audit-more'));
    await waitFor(() => expect(screen.getAllByTestId('audit-entry')).toHaveLength(3));
    expect(auditCalls(requests)).toEqual(['/api/audit?limit=50', '/api/audit?limit=50&cursor=c2']);
    expect(screen.queryByTestId('audit-more')).not.toBeInTheDocument();
    const last = screen.getAllByTestId('audit-entry')[2]!;
    expect(last).toHaveTextContent('System');
    expect(screen.getByText('3 entries shown')).toBeInTheDocument();
  });

  it('sends the filters as the query, and the CSV export uses the same ones', async () => {
    const { requests } = server();
    renderApp('/staff/audit');
    const user = userEvent.setup();
    const form = await screen.findByTestId('audit-filters');
    await screen.findByTestId('audit-table');
    await user.type(within(form).getByLabelText('Person (id)'), 'sam');
    await user.click(within(form).getByRole('button', { name: 'Show' }));
    expect(within(form).getByText('This is not an id (such as 6f1c…-…).')).toBeInTheDocument();
    expect(auditCalls(requests)).toHaveLength(1);

    await user.clear(within(form).getByLabelText('Person (id)'));
    await user.type(within(form).getByLabelText('Person (id)'), ACTOR);
    await user.type(within(form).getByLabelText('Action'), 'schedule.');
    await user.type(within(form).getByLabelText('Subject (id)'), SUBJECT);
    await user.selectOptions(within(form).getByLabelText('Venue'), haven.id);
    fireEvent.change(within(form).getByLabelText('From'), { target: { value: '2026-12-01T00:00' } });
    fireEvent.change(within(form).getByLabelText('Until'), { target: { value: '2026-12-08T18:30' } });
    await user.click(within(form).getByRole('button', { name: 'Show' }));

    const from = new Date(2026, 11, 1, 0, 0).toISOString();
    const to = new Date(2026, 11, 8, 18, 30).toISOString();
    const query = new URLSearchParams({ actor: ACTOR, action: 'schedule.', subject: SUBJECT, location: haven.id, from, to });
    await waitFor(() => expect(auditCalls(requests)).toContain(`/api/audit?${query}&limit=50`));
    expect(screen.getByTestId('audit-export')).toHaveAttribute('data-url', `/api/exports/audit?${query}&delimiter=comma`);
    await user.click(screen.getByLabelText('Semicolon (decimal comma)'));
    expect(screen.getByTestId('audit-export')).toHaveAttribute('data-url', `/api/exports/audit?${query}&delimiter=semicolon`);

    await user.click(within(form).getByRole('button', { name: 'Clear filters' }));
    expect(screen.getByTestId('audit-export')).toHaveAttribute('data-url', '/api/exports/audit?delimiter=semicolon');
  });

  it('narrows the list to one person from a row', async () => {
    const { requests } = server();
    renderApp('/staff/audit');
    const user = userEvent.setup();
    const table = await screen.findByTestId('audit-table');
    await user.click(within(table).getAllByRole('button', { name: 'Only Sam Jansen' })[0]!);
    await waitFor(() => expect(auditCalls(requests)).toContain(`/api/audit?actor=${ACTOR}&limit=50`));
    expect(screen.getByLabelText('Person (id)')).toHaveValue(ACTOR);
  });

  it('is refused to staff without audit.view', async () => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, makeMe('manager')) });
    renderApp('/staff/audit');
    expect(await screen.findByRole('heading', { name: /not allowed|No access/i })).toBeInTheDocument();
  });
});
