import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { APPLICATION_STATUSES, type BoardCard } from '../../api/hiringTypes';
import { errorResponse, jsonResponse, mockApi, renderApp } from '../../test/utils';
import { board, card, staffMe, VENUE } from '../../test/hiringData';
import { dropTarget } from './BoardPage';

afterEach(() => vi.unstubAllGlobals());

const venue = { ...VENUE, active: true, applicationCode: 'HAVEN1' };

function column(name: string) {
  return screen.getByRole('region', { name });
}

function cardOf(name: string) {
  return screen.getByRole('article', { name });
}

/**
 * jsdom lays nothing out, so dnd-kit would find every rect empty. Gives the columns a place side by side
 * (280 px wide, 300 px apart, in status order) and each card a place inside its column.
 */
function layOutBoard() {
  const rect = (left: number, top: number, width: number, height: number) =>
    ({ left, top, width, height, right: left + width, bottom: top + height, x: left, y: top, toJSON: () => ({}) }) as DOMRect;
  const columnRect = (el: Element) => {
    const index = APPLICATION_STATUSES.indexOf(el.getAttribute('data-status') as BoardCard['status']);
    return rect(index * 300, 100, 280, 800);
  };
  const original = HTMLElement.prototype.getBoundingClientRect;
  vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect').mockImplementation(function (this: HTMLElement) {
    if (this.classList.contains('board-column')) return columnRect(this);
    // dnd-kit's drag overlay (and the card inside it): placed with a fixed top, left and size and moved by a
    // translate, as a browser would lay it out.
    const overlay = [this, this.parentElement].find((el) => el?.style.position === 'fixed');
    if (overlay) {
      const { left, top, width, height, transform } = overlay.style;
      const shift = /translate3d\((-?[\d.]+)px, (-?[\d.]+)px/.exec(transform);
      const px = (value: string | undefined) => Number.parseFloat(value ?? '') || 0;
      return rect(px(left) + px(shift?.[1]), px(top) + px(shift?.[2]), px(width), px(height));
    }
    if (this.classList.contains('board-card')) {
      const home = this.closest('.board-column');
      if (home) {
        const c = columnRect(home);
        const index = [...home.querySelectorAll('.board-card')].indexOf(this);
        return rect(c.left + 10, 160 + index * 130, 260, 120);
      }
    }
    return original.call(this);
  });
}

describe('hiring board', () => {
  it('shows all seven columns with their counts and the compiled cards', async () => {
    const cards = [
      card({ id: 'a1', name: 'Kim de Vries', status: 'new', nextInterview: '2030-03-02T13:00:00Z' }),
      card({ id: 'a2', name: 'Jan Smit', status: 'new', source: 'web', daysSinceApplied: 1, documentsRejected: 1 }),
      card({ id: 'a3', name: 'Eva Mulder', status: 'short_listed', notesCount: 0, documentsCount: 0, documentsPending: 0 }),
    ];
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('manager')),
      'GET /api/locations': () => jsonResponse(200, [venue]),
      'GET /api/applications/board': () => jsonResponse(200, board(cards)),
    });
    renderApp(`/staff/board?location=${VENUE.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Applications' })).toBeInTheDocument();
    await screen.findByRole('article', { name: 'Kim de Vries' });

    const headings = screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent);
    expect(headings).toEqual(['New', 'Contacted', 'Interviewed', 'Short-listed', 'Hired', 'Rejected', 'Withdrawn']);
    expect(column('New')).toHaveTextContent('2 applications');
    expect(column('Short-listed')).toHaveTextContent('1 application');
    expect(column('Hired')).toHaveTextContent('0 applications');
    expect(screen.getByText('3 applications')).toBeInTheDocument();
    expect(requests.find((r) => r.url.startsWith('/api/applications/board'))?.url).toBe(
      `/api/applications/board?location=${VENUE.id}`,
    );

    const kim = cardOf('Kim de Vries');
    expect(kim).toHaveTextContent('Bartender');
    expect(kim).toHaveTextContent('QR code');
    expect(kim).toHaveTextContent('Applied 3 days ago');
    expect(kim).toHaveTextContent('2 notes');
    expect(kim).toHaveTextContent('1 document');
    expect(kim).toHaveTextContent('1 to review');
    expect(kim).toHaveTextContent(/Interview .*2030/);
    expect(within(kim).getByRole('link', { name: 'Kim de Vries' })).toHaveAttribute('href', '/staff/applications/a1');
    expect(cardOf('Jan Smit')).toHaveTextContent('Website');
    expect(cardOf('Jan Smit')).toHaveTextContent('1 rejected');
    expect(cardOf('Eva Mulder')).toHaveTextContent('0 notes');
  });

  it('filters by position, source and a debounced search', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('manager')),
      'GET /api/locations': () => jsonResponse(200, [venue]),
      'GET /api/applications/board': () => jsonResponse(200, board([card()])),
    });
    const { router } = renderApp('/staff/board');
    const user = userEvent.setup();
    await screen.findByRole('article', { name: 'Kim de Vries' });
    const filters = screen.getByRole('search', { name: 'Filter applications' });
    await user.selectOptions(within(filters).getByLabelText('Position'), 'Host');
    await user.selectOptions(within(filters).getByLabelText('Source'), 'manual');
    await user.type(within(filters).getByLabelText('Search'), 'kim');
    await waitFor(() =>
      expect(requests.at(-1)?.url).toBe('/api/applications/board?position=Host&source=manual&q=kim'),
    );
    // One request for the whole word, not one per letter.
    expect(requests.filter((r) => r.url.includes('q=k')).length).toBe(1);
    expect(router.state.location.search).toBe('?position=Host&source=manual&q=kim');
  });

  it('offers only the moves the transition table allows, and moves a card', async () => {
    let cards: BoardCard[] = [
      card({ id: 'a1', name: 'Kim de Vries', status: 'new' }),
      card({ id: 'a2', name: 'Jan Smit', status: 'short_listed' }),
      card({ id: 'a3', name: 'Eva Mulder', status: 'hired' }),
      card({ id: 'a4', name: 'Ali Yilmaz', status: 'rejected' }),
    ];
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('manager')),
      'GET /api/locations': () => jsonResponse(200, [venue]),
      'GET /api/applications/board': () => jsonResponse(200, board(cards)),
      'POST /api/applications/a1/status': () => {
        cards = cards.map((c) => (c.id === 'a1' ? { ...c, status: 'contacted' } : c));
        return jsonResponse(200, { id: 'a1' });
      },
    });
    renderApp('/staff/board');
    const user = userEvent.setup();
    await screen.findByRole('article', { name: 'Kim de Vries' });

    const menuItems = async (name: string) => {
      await user.click(within(cardOf(name)).getByRole('button', { name: 'Move to…' }));
      const items = within(screen.getByRole('menu')).getAllByRole('menuitem').map((i) => i.textContent);
      await user.keyboard('{Escape}');
      return items;
    };
    expect(await menuItems('Kim de Vries')).toEqual(['Contacted', 'Interviewed', 'Rejected']);
    expect(await menuItems('Jan Smit')).toEqual(['Interviewed', 'Hired', 'Rejected']);
    expect(await menuItems('Ali Yilmaz')).toEqual(['New']);
    // Final statuses cannot move.
    expect(within(cardOf('Eva Mulder')).queryByRole('button', { name: 'Move to…' })).not.toBeInTheDocument();

    await user.click(within(cardOf('Kim de Vries')).getByRole('button', { name: 'Move to…' }));
    await user.click(screen.getByRole('menuitem', { name: 'Contacted' }));
    expect(await screen.findByText('Kim de Vries is now Contacted.')).toBeInTheDocument();
    const sent = requests.find((r) => r.url === '/api/applications/a1/status');
    expect(sent?.body).toEqual({ to: 'contacted', expectedStatus: 'new' });
    expect(sent?.headers.get('X-Crewplots-Csrf')).toBe('1');
    await waitFor(() => expect(within(column('Contacted')).getByRole('article', { name: 'Kim de Vries' })).toBeInTheDocument());
  });

  it('asks a reason before rejecting and opens the hire dialog for "Hired"', async () => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('manager')),
      'GET /api/locations': () => jsonResponse(200, [venue]),
      'GET /api/applications/board': () =>
        jsonResponse(200, board([card({ id: 'a1', status: 'short_listed' })])),
      'POST /api/applications/a1/status': () => jsonResponse(200, { id: 'a1' }),
    });
    renderApp('/staff/board');
    const user = userEvent.setup();
    await screen.findByRole('article', { name: 'Kim de Vries' });

    await user.click(screen.getByRole('button', { name: 'Move to…' }));
    await user.click(screen.getByRole('menuitem', { name: 'Rejected' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reject the application of Kim de Vries' });
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    expect(within(dialog).getByText('This field is required.')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('Reason'), 'No weekend availability');
    await user.click(within(dialog).getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.find((r) => r.url === '/api/applications/a1/status')?.body).toEqual({
      to: 'rejected',
      expectedStatus: 'short_listed',
      reason: 'No weekend availability',
      notifyApplicant: true,
    });

    await user.click(screen.getByRole('button', { name: 'Move to…' }));
    await user.click(screen.getByRole('menuitem', { name: 'Hired' }));
    const hire = await screen.findByRole('dialog', { name: 'Hire Kim de Vries' });
    expect(within(hire).getByLabelText('Position')).toHaveValue('Bartender');
    expect(within(hire).getByRole('button', { name: 'Confirm hire' })).toBeInTheDocument();
  });

  it.each([
    [
      errorResponse(409, 'status_conflict'),
      'Kim de Vries could not be moved: Someone else changed this application in the meantime. The latest state is shown now.',
    ],
    [
      errorResponse(409, 'invalid_transition', { allowed: 'interviewed,rejected' }),
      'Kim de Vries could not be moved: This move is not possible now. Possible moves: Interviewed, Rejected. The latest state is shown now.',
    ],
  ])('explains a 409 and refreshes the board (%#)', async (answer, message) => {
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('manager')),
      'GET /api/locations': () => jsonResponse(200, [venue]),
      'GET /api/applications/board': () => jsonResponse(200, board([card({ id: 'a1', status: 'new' })])),
      'POST /api/applications/a1/status': () => answer,
    });
    renderApp('/staff/board');
    const user = userEvent.setup();
    await screen.findByRole('article', { name: 'Kim de Vries' });
    const boardCalls = () => requests.filter((r) => r.url.startsWith('/api/applications/board')).length;
    const before = boardCalls();
    await user.click(screen.getByRole('button', { name: 'Move to…' }));
    await user.click(screen.getByRole('menuitem', { name: 'Interviewed' }));
    expect(await screen.findByText(message)).toBeInTheDocument();
    await waitFor(() => expect(boardCalls()).toBeGreaterThan(before));
  });

  it('changes the status of selected cards in bulk and lists the failures', async () => {
    const cards = [
      card({ id: 'a1', name: 'Kim de Vries', status: 'new' }),
      card({ id: 'a2', name: 'Jan Smit', status: 'new' }),
      card({ id: 'a3', name: 'Eva Mulder', status: 'hired' }),
    ];
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('administrator')),
      'GET /api/locations': () => jsonResponse(200, [venue]),
      'GET /api/applications/board': () => jsonResponse(200, board(cards)),
      'POST /api/applications/bulk-status': () =>
        jsonResponse(200, {
          results: [
            { id: 'a1', ok: true },
            { id: 'a2', ok: true },
            { id: 'a3', ok: false, error: { code: 'invalid_transition', message: 'hired is final' } },
          ],
        }),
    });
    renderApp('/staff/board');
    const user = userEvent.setup();
    await screen.findByRole('article', { name: 'Kim de Vries' });
    await user.click(screen.getByLabelText('Select Kim de Vries'));
    await user.click(screen.getByLabelText('Select Jan Smit'));
    await user.click(screen.getByLabelText('Select Eva Mulder'));
    const bar = screen.getByRole('region', { name: '3 selected' });
    await user.selectOptions(within(bar).getByLabelText('Change status to'), 'rejected');
    await user.click(within(bar).getByRole('button', { name: 'Change status' }));
    expect(within(bar).getByText('This field is required.')).toBeInTheDocument();
    expect(requests.some((r) => r.url === '/api/applications/bulk-status')).toBe(false);

    await user.type(within(bar).getByLabelText('Reason'), 'Position filled');
    await user.click(within(bar).getByRole('button', { name: 'Change status' }));
    expect(await screen.findByText('2 applications moved to Rejected.')).toBeInTheDocument();
    expect(requests.find((r) => r.url === '/api/applications/bulk-status')?.body).toEqual({
      ids: ['a1', 'a2', 'a3'],
      to: 'rejected',
      reason: 'Position filled',
    });
    const failed = await screen.findByRole('region', { name: '1 selected' });
    expect(within(failed).getByRole('alert')).toHaveTextContent(
      '1 application could not be changed:Eva Mulder: This status change is not possible from the current status.',
    );
  });

  it('lets a floor manager look but not move', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('floor_manager')),
      'GET /api/locations': () => jsonResponse(200, [venue]),
      'GET /api/applications/board': () => jsonResponse(200, board([card()])),
    });
    renderApp('/staff/board');
    const kim = await screen.findByRole('article', { name: 'Kim de Vries' });
    expect(within(kim).queryByRole('button', { name: 'Move to…' })).not.toBeInTheDocument();
    expect(within(kim).queryByRole('checkbox')).not.toBeInTheDocument();
    expect(within(kim).queryByRole('button', { name: 'Drag Kim de Vries' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Add applicant' })).not.toBeInTheDocument();
  });

  it('moves a card with the keyboard through dnd-kit, only onto an allowed column', async () => {
    layOutBoard();
    const { requests } = mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('manager')),
      'GET /api/locations': () => jsonResponse(200, [venue]),
      'GET /api/applications/board': () =>
        jsonResponse(200, board([card({ id: 'a1', status: 'new' }), card({ id: 'a2', name: 'Eva Mulder', status: 'hired' })])),
      'POST /api/applications/a1/status': () => jsonResponse(200, { id: 'a1' }),
    });
    renderApp('/staff/board');
    const user = userEvent.setup();
    const kim = await screen.findByRole('article', { name: 'Kim de Vries' });
    // A final status has nowhere to go: no handle.
    expect(within(cardOf('Eva Mulder')).queryByRole('button', { name: /^Drag/ })).not.toBeInTheDocument();
    const handle = within(kim).getByRole('button', { name: 'Drag Kim de Vries' });
    expect(handle).toHaveAttribute('aria-roledescription', 'movable card');
    expect(document.getElementById(handle.getAttribute('aria-describedby') ?? '')).toHaveTextContent(
      'To move a card, press Space or Enter on its drag handle',
    );
    // Everything dnd-kit's live region said (it keeps only its latest sentence).
    const heard: string[] = [];
    const region = document.querySelector('[id^="DndLiveRegion"]');
    expect(region).not.toBeNull();
    const observer = new MutationObserver(() => {
      if (region?.textContent && heard.at(-1) !== region.textContent) heard.push(region.textContent);
    });
    observer.observe(region as Node, { childList: true, characterData: true, subtree: true });
    const announced = () => heard.join(' ');

    // Hired is not reachable from New: the columns on the way say so, and a drop there does nothing.
    handle.focus();
    await user.keyboard('[Space]');
    await waitFor(() => expect(announced()).toContain('Picked up Kim de Vries.'));
    expect(column('Hired')).toHaveClass('is-blocked');
    expect(column('Interviewed')).not.toHaveClass('is-blocked');
    expect(column('New')).not.toHaveClass('is-blocked');
    for (let i = 0; i < 4; i += 1) await user.keyboard('[ArrowRight]');
    await waitFor(() => expect(announced()).toContain('Kim de Vries cannot move to Hired.'));
    await user.keyboard('[Space]');
    await waitFor(() => expect(announced()).toContain('Moving Kim de Vries was cancelled.'));
    expect(column('Hired')).not.toHaveClass('is-blocked');
    expect(requests.some((r) => r.method === 'POST')).toBe(false);

    // New → Contacted → Interviewed, drop: the same request as "Move to…" → Interviewed.
    handle.focus();
    await user.keyboard('[Space]');
    await user.keyboard('[ArrowRight]');
    await waitFor(() => expect(announced()).toContain('Kim de Vries is over Contacted.'));
    await user.keyboard('[ArrowRight]');
    await waitFor(() => expect(column('Interviewed')).toHaveClass('is-over'));
    await user.keyboard('[Space]');
    await waitFor(() =>
      expect(requests.find((r) => r.method === 'POST')?.body).toEqual({ to: 'interviewed', expectedStatus: 'new' }),
    );
    expect(announced()).toContain('Kim de Vries dropped on Interviewed.');
    expect(await screen.findByText('Kim de Vries is now Interviewed.')).toBeInTheDocument();
    observer.disconnect();
  });

  it('asks the reason when a card is dropped on Rejected', async () => {
    layOutBoard();
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('manager')),
      'GET /api/locations': () => jsonResponse(200, [venue]),
      'GET /api/applications/board': () => jsonResponse(200, board([card({ id: 'a1', status: 'interviewed' })])),
    });
    renderApp('/staff/board');
    const user = userEvent.setup();
    const kim = await screen.findByRole('article', { name: 'Kim de Vries' });
    within(kim).getByRole('button', { name: 'Drag Kim de Vries' }).focus();
    await user.keyboard('[Space]');
    // Interviewed → Short-listed → Hired (blocked) → Rejected.
    for (let i = 0; i < 3; i += 1) await user.keyboard('[ArrowRight]');
    await waitFor(() => expect(column('Rejected')).toHaveClass('is-over'));
    await user.keyboard('[Enter]');
    expect(await screen.findByRole('dialog', { name: 'Reject the application of Kim de Vries' })).toBeInTheDocument();
  });

  it.each([
    ['new', 'contacted', 'contacted'],
    ['new', 'hired', null],
    ['new', 'new', null],
    ['short_listed', 'hired', 'hired'],
    ['rejected', 'new', 'new'],
    ['hired', 'rejected', null],
    ['new', null, null],
    ['new', 'not-a-column', null],
  ] as const)('dropTarget(%s, %s) is %s', (from, over, expected) => {
    expect(dropTarget({ status: from }, over)).toBe(expected);
  });

  it('is behind applications.view', async () => {
    mockApi({ 'GET /api/auth/me': () => jsonResponse(200, staffMe('crew_member')) });
    renderApp('/staff/board');
    expect(await screen.findByRole('heading', { name: 'No access' })).toBeInTheDocument();
  });
});
