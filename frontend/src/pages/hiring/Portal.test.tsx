import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApplicationSummary, MotivationLetter } from '../../api/hiringTypes';
import { jsonResponse, makeMe, mockApi, publicSettingsApi, renderApp, renderUi, type RecordedRequest } from '../../test/utils';
import { LetterEditor } from './LetterEditor';
import { summary, VENUE } from '../../test/hiringData';

afterEach(() => vi.unstubAllGlobals());

const applicant = makeMe('applicant');

function portalApi(applications: ApplicationSummary[], extra: Parameters<typeof mockApi>[0] = {}) {
  return mockApi({
    'GET /api/auth/me': () => jsonResponse(200, applicant),
    'GET /api/me/applications': () => jsonResponse(200, applications),
    ...extra,
  });
}

describe('applicant portal', () => {
  it('says how long closed applications are kept, from the server\'s settings (nothing when they are not erased)', async () => {
    portalApi([summary()], publicSettingsApi({ retentionDays: 180 }));
    const first = renderApp('/portal');
    expect(await screen.findByTestId('retention-note')).toHaveTextContent(
      'Rejected or withdrawn applications are kept for 180 days after their last change, then erased with your data.',
    );
    first.unmount();
    vi.unstubAllGlobals();
    portalApi([summary()], publicSettingsApi({ retentionDays: 0 }));
    renderApp('/portal');
    await screen.findByRole('heading', { name: 'My applications' });
    await new Promise((r) => setTimeout(r, 30));
    expect(screen.queryByTestId('retention-note')).not.toBeInTheDocument();
  });

  it('shows each application with the applicant’s wording and a timeline without reasons', async () => {
    // Even if a reason or a note slipped into the answer, the portal would not show it.
    const leaky = {
      ...summary({ id: 'a1', status: 'contacted' }),
      timeline: [
        { status: 'new', at: '2026-11-01T09:00:00Z', reason: 'SECRET-REASON-1' },
        { status: 'contacted', at: '2026-11-03T09:00:00Z', reason: 'SECRET-REASON-2' },
      ],
      notes: [{ html: '<p>SECRET-NOTE</p>' }],
    } as unknown as ApplicationSummary;
    const rejected = summary({
      id: 'a2',
      location: { ...VENUE, id: 'v2', name: 'Bar Noord' },
      status: 'rejected',
      canWithdraw: false,
      timeline: [
        { status: 'new', at: '2026-10-01T09:00:00Z' },
        { status: 'rejected', at: '2026-10-05T09:00:00Z' },
      ],
    });
    portalApi([leaky, rejected]);
    renderApp('/portal');
    const first = await screen.findByRole('article', { name: 'Café De Haven' });
    expect(within(first).getByText('In contact', { selector: '.badge' })).toBeInTheDocument();
    const timeline = within(first).getByRole('list', { name: 'Progress' });
    expect(within(timeline).getAllByRole('listitem').map((li) => li.querySelector('.timeline__status')?.textContent)).toEqual([
      'Received',
      'In contact',
    ]);
    expect(within(first).getByRole('button', { name: 'Withdraw application' })).toBeInTheDocument();

    const second = screen.getByRole('article', { name: 'Bar Noord' });
    expect(within(second).getByText('Not selected', { selector: '.badge' })).toBeInTheDocument();
    expect(within(second).queryByRole('button', { name: 'Withdraw application' })).not.toBeInTheDocument();

    expect(document.body).not.toHaveTextContent(/SECRET/);
    expect(document.body).not.toHaveTextContent('Rejected');
    expect(document.body).not.toHaveTextContent('Reason');
  });

  it('shows upcoming interviews in the venue’s time zone with a calendar link', async () => {
    portalApi([
      summary({
        interviews: [
          {
            id: 'i1',
            startsAt: '2099-03-02T13:00:00Z',
            endsAt: '2099-03-02T13:30:00Z',
            timezone: 'Europe/Amsterdam',
            place: 'Bar, ground floor',
            status: 'scheduled',
          },
          {
            id: 'i0',
            startsAt: '2000-03-02T13:00:00Z',
            endsAt: '2000-03-02T13:30:00Z',
            timezone: 'Europe/Amsterdam',
            place: 'Old place',
            status: 'completed',
          },
        ],
      }),
    ]);
    renderApp('/portal');
    const article = await screen.findByRole('article', { name: 'Café De Haven' });
    expect(within(article).getByRole('heading', { name: 'Interviews' })).toBeInTheDocument();
    expect(article).toHaveTextContent('Bar, ground floor');
    expect(article).toHaveTextContent('2099');
    expect(article).not.toHaveTextContent('Old place');
    expect(within(article).getByRole('link', { name: 'Add to calendar' })).toHaveAttribute('href', '/api/interviews/i1/ics');
  });

  it('withdraws after confirmation', async () => {
    let applications = [summary()];
    const { requests } = portalApi(applications, {
      'POST /api/applications/a1/withdraw': () => {
        applications = [summary({ status: 'withdrawn', canWithdraw: false })];
        return jsonResponse(200, applications[0]);
      },
    });
    renderApp('/portal');
    const user = userEvent.setup();
    const article = await screen.findByRole('article', { name: 'Café De Haven' });
    await user.click(within(article).getByRole('button', { name: 'Withdraw application' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Withdraw application' });
    expect(dialog).toHaveTextContent('Withdraw your application to Café De Haven (Bartender)?');
    await user.click(within(dialog).getByRole('button', { name: 'Withdraw application' }));
    expect(await screen.findByText('Your application to Café De Haven has been withdrawn.')).toBeInTheDocument();
    expect(requests.find((r) => r.url === '/api/applications/a1/withdraw')?.headers.get('X-Crewplots-Csrf')).toBe('1');
    await waitFor(() => expect(within(article).getByText('Withdrawn', { selector: '.badge' })).toBeInTheDocument());
    expect(within(article).queryByRole('button', { name: 'Withdraw application' })).not.toBeInTheDocument();
  });

  it('offers the data download and deletes the account after the username is typed', async () => {
    const { requests } = portalApi([], { 'DELETE /api/me': () => jsonResponse(204) });
    const { router } = renderApp('/portal');
    const user = userEvent.setup();
    expect(await screen.findByText('Your applications will appear here.')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Download my data' })).toHaveAttribute('href', '/api/me/export');
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete your account' });
    const confirm = within(dialog).getByRole('button', { name: 'Delete my account permanently' });
    expect(confirm).toBeDisabled();
    await user.type(within(dialog).getByLabelText(`Type your username (${applicant.username}) to confirm`), applicant.username);
    await user.click(confirm);
    await waitFor(() => expect(router.state.location.pathname).toBe('/login'));
    expect(router.state.location.search).toBe('');
    expect(await screen.findByText('Your account and all your data have been deleted.')).toBeInTheDocument();
    expect(requests.some((r) => r.method === 'DELETE' && r.url === '/api/me')).toBe(true);
  });
});

describe('motivation letter autosave', () => {
  it('waits for a pause in typing, then saves once and says so', async () => {
    let release: (() => void) | null = null;
    const puts: RecordedRequest[] = [];
    mockApi({
      'GET /api/applications/a1/letter': () =>
        jsonResponse(200, { html: '<p>Dear team,</p>', updatedAt: null } satisfies MotivationLetter),
      'PUT /api/applications/a1/letter': async (request) => {
        puts.push(request);
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return jsonResponse(200, { html: (request.body as { html: string }).html, updatedAt: '2026-11-05T10:00:00Z' });
      },
    });
    renderUi(<LetterEditor application={{ id: 'a1', status: 'new' }} delayMs={300} />);
    const user = userEvent.setup();
    const editor = await screen.findByRole('textbox', { name: 'Motivation letter' });
    expect(editor).toHaveTextContent('Dear team,');

    await user.click(editor);
    await user.keyboard(' I love');
    await user.keyboard(' coffee');
    expect(screen.getByRole('status')).toHaveTextContent('Not saved yet…');
    expect(puts).toHaveLength(0);

    expect(await screen.findByText('Saving…')).toBeInTheDocument();
    expect(puts).toHaveLength(1);
    expect((puts[0]?.body as { html: string }).html).toContain('I love coffee');
    expect(puts[0]?.headers.get('X-Crewplots-Csrf')).toBe('1');
    release!();
    expect(await screen.findByText('Saved')).toBeInTheDocument();
    // Nothing more to send.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(puts).toHaveLength(1);
  });

  it('shows the letter read-only once the application is closed', async () => {
    mockApi({
      'GET /api/applications/a1/letter': () => jsonResponse(200, { html: '<p><strong>Hello</strong></p>', updatedAt: null }),
    });
    renderUi(<LetterEditor application={{ id: 'a1', status: 'hired' }} />);
    expect((await screen.findByText('Hello')).tagName).toBe('STRONG');
    expect(screen.queryByRole('textbox')).not.toBeInTheDocument();
  });
});
