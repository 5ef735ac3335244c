import { snippetParts } from '../../api/knowledgeTypes';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonResponse, mockApi, renderApp, withPermissions } from '../../test/utils';
import { crewMe, myShifts } from '../selfservice/testData';

describe('search snippets', () => {
  it('split the server marks into highlighted and plain parts, never HTML', () => {
    expect(snippetParts('Zet je \u0002fietsen\u0003 in het <b>rek</b>')).toEqual([
      { text: 'Zet je ', hit: false },
      { text: 'fietsen', hit: true },
      { text: ' in het <b>rek</b>', hit: false },
    ]);
    expect(snippetParts('')).toEqual([]);
    expect(snippetParts('\u0002a\u0003\u0002b')).toEqual([
      { text: 'a', hit: true },
      { text: 'b', hit: true },
    ]);
  });
});

afterEach(() => vi.unstubAllGlobals());

const summary = {
  id: 'a1',
  locationId: 'loc-1',
  categoryId: null,
  title: 'Allergens',
  state: 'published' as const,
  mustRead: true,
  version: 2,
  updatedAt: '2026-12-01T10:00:00Z',
  updatedBy: { id: 'm1', name: 'Mia Manager' },
  publishedAt: '2026-12-01T10:00:00Z',
};

describe('must-read articles', () => {
  it('remind crew on their home and take a confirmation of the version read', async () => {
    let confirmed = false;
    const me = withPermissions(crewMe(), 'knowledge.read');
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, me),
      'GET /api/me/shifts': () => jsonResponse(200, myShifts()),
      'GET /api/knowledge/must-read': () => jsonResponse(200, confirmed ? [] : [summary]),
      'GET /api/knowledge/articles/a1': () =>
        jsonResponse(200, {
          article: summary,
          bodyHtml: '<p>Ask <strong>every</strong> guest.</p>',
          confirmFromVersion: 2,
          canEdit: false,
          canViewReadStatus: false,
          myConfirmation: confirmed ? { version: 2, confirmedAt: '2026-12-02T09:00:00Z' } : null,
          needsMyConfirmation: !confirmed,
        }),
      'POST /api/knowledge/articles/a1/confirm-read': () => {
        confirmed = true;
        return jsonResponse(200, { version: 2, confirmedAt: '2026-12-02T09:00:00Z' });
      },
    });
    const { router } = renderApp('/me/shifts');
    const banner = await screen.findByTestId('must-read-banner');
    expect(banner).toHaveTextContent('You have 1 article to read');
    await userEvent.click(screen.getByTestId('must-read-item'));
    await waitFor(() => expect(router.state.location.pathname).toBe('/knowledge/a1'));
    expect(await screen.findByTestId('kb-body')).toHaveTextContent('Ask every guest.');
    await userEvent.click(screen.getByTestId('kb-confirm'));
    expect(await screen.findByTestId('kb-confirmed')).toHaveTextContent('version 2');
    const confirm = requests.find((r) => r.method === 'POST');
    expect(confirm?.body).toEqual({ version: 2 });
  });
});
