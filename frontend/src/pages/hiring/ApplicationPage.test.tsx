import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApplicationDetail } from '../../api/hiringTypes';
import { errorResponse, jsonResponse, mockApi, renderApp } from '../../test/utils';
import { detail, interview, KIM, note, staffMe, VENUE } from '../../test/hiringData';

afterEach(() => vi.unstubAllGlobals());

function api(current: () => ApplicationDetail, extra: Parameters<typeof mockApi>[0] = {}, role: 'manager' | 'floor_manager' = 'manager') {
  return mockApi({
    'GET /api/auth/me': () => jsonResponse(200, staffMe(role)),
    'GET /api/applications/a1': () => jsonResponse(200, current()),
    [`GET /api/people/${KIM}/notes`]: () => jsonResponse(200, current().notes),
    ...extra,
  });
}

describe('application page', () => {
  it('shows the applicant, history, interviews, notes and other applications', async () => {
    const data = detail({
      notes: [note()],
      interviews: [interview()],
      otherApplications: [{ id: 'a9', location: { ...VENUE, id: 'v2', name: 'Bar Noord' }, status: 'rejected' }],
      hasMotivationLetter: true,
    });
    api(() => data, {
      'GET /api/applications/a1/letter': () =>
        jsonResponse(200, { html: '<p>I <em>love</em> coffee</p>', updatedAt: '2026-11-02T10:00:00Z' }),
    });
    renderApp('/staff/applications/a1');
    expect(await screen.findByRole('heading', { level: 1, name: 'Kim de Vries' })).toBeInTheDocument();
    expect(screen.getByText('Short-listed', { selector: '.badge' })).toBeInTheDocument();

    const applicant = screen.getByRole('region', { name: 'Applicant' });
    expect(applicant).toHaveTextContent('kim@example.nl');
    expect(applicant).toHaveTextContent('+31 6 1234 5678');
    expect(applicant).toHaveTextContent('Kade 1, Amsterdam');
    expect(applicant).toHaveTextContent('Weekends');

    const letter = screen.getByRole('region', { name: 'Motivation letter' });
    expect((await within(letter).findByText('love')).tagName).toBe('EM');

    const history = screen.getByRole('region', { name: 'Status history' });
    const entries = within(history).getAllByRole('listitem');
    expect(entries[0]).toHaveTextContent('New → to Short-listed');
    expect(entries[0]).toHaveTextContent('by Mila Bakker (Manager)');
    expect(entries[0]).toHaveTextContent('Reason: Strong bar experience');
    expect(entries[1]).toHaveTextContent('by the system');

    expect(screen.getByRole('region', { name: 'Interviews' })).toHaveTextContent('Bar, ground floor');
    expect(screen.getByRole('region', { name: /Internal notes/ })).toHaveTextContent('Friendly on the phone.');
    expect(screen.getByRole('form', { name: 'Add a note' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Other applications' })).toHaveTextContent('Bar Noord');
    expect(screen.getByRole('link', { name: 'Bar Noord' })).toHaveAttribute('href', '/staff/applications/a9');
  });

  it('offers the moves the server allows, and hires through the dialog', async () => {
    let data = detail();
    const { requests } = api(() => data, {
      'POST /api/applications/a1/status': () => {
        data = detail({ status: 'interviewed', permissions: { ...data.permissions, hire: false, allowedTransitions: ['short_listed', 'rejected'] } });
        return jsonResponse(200, data);
      },
      'POST /api/applications/a1/hire': () => {
        data = detail({ status: 'hired', permissions: { ...data.permissions, hire: false, allowedTransitions: [] } });
        return jsonResponse(200, data);
      },
    });
    renderApp('/staff/applications/a1');
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 1, name: 'Kim de Vries' });

    await user.click(screen.getByRole('button', { name: 'Move to…' }));
    expect(within(screen.getByRole('menu')).getAllByRole('menuitem').map((i) => i.textContent)).toEqual([
      'Interviewed',
      'Rejected',
    ]);
    await user.keyboard('{Escape}');

    await user.click(screen.getByRole('button', { name: 'Hire' }));
    const dialog = await screen.findByRole('dialog', { name: 'Hire Kim de Vries' });
    await user.clear(within(dialog).getByLabelText('Start date'));
    await user.click(within(dialog).getByRole('button', { name: 'Confirm hire' }));
    expect(within(dialog).getByText('This field is required.')).toBeInTheDocument();
    await user.type(within(dialog).getByLabelText('Start date'), '2026-12-01');
    await user.type(within(dialog).getByLabelText(/^Contracted hours/), '24');
    await user.click(within(dialog).getByRole('button', { name: 'Confirm hire' }));
    expect(await screen.findByText('Kim de Vries has been hired.')).toBeInTheDocument();
    expect(requests.find((r) => r.url === '/api/applications/a1/hire')?.body).toEqual({
      position: 'Bartender',
      contractedHours: 24,
      startDate: '2026-12-01',
      expectedStatus: 'short_listed',
    });
    await waitFor(() => expect(screen.getByText('Hired', { selector: '.badge' })).toBeInTheDocument());
    expect(screen.queryByRole('button', { name: 'Hire' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Move to…' })).not.toBeInTheDocument();
  });

  it('explains a hire that lost a race (409)', async () => {
    api(() => detail(), { 'POST /api/applications/a1/hire': () => errorResponse(409, 'status_conflict') });
    renderApp('/staff/applications/a1');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Hire' }));
    const dialog = await screen.findByRole('dialog', { name: 'Hire Kim de Vries' });
    await user.click(within(dialog).getByRole('button', { name: 'Confirm hire' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Someone else changed this application in the meantime.',
    );
  });

  it('says when the personal details are unavailable, and hides actions the role lacks', async () => {
    const data = detail({
      applicant: { ...detail().applicant, sensitive: null, sensitiveStatus: 'unavailable' },
      permissions: {
        changeStatus: false,
        allowedTransitions: [],
        hire: false,
        scheduleInterview: false,
        addNote: true,
        reviewDocuments: false,
      },
    });
    api(() => data, {}, 'floor_manager');
    renderApp('/staff/applications/a1');
    await screen.findByRole('heading', { level: 1, name: 'Kim de Vries' });
    expect(screen.getByText(/personal details are temporarily unavailable/)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Move to…' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Hire' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Schedule interview' })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Documents' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add note' })).toBeInTheDocument();
  });

  it('says when the application is not there', async () => {
    mockApi({
      'GET /api/auth/me': () => jsonResponse(200, staffMe('manager')),
      'GET /api/applications/zz': () => errorResponse(404, 'not_found'),
    });
    renderApp('/staff/applications/zz');
    expect(await screen.findByText('This application does not exist, or you may not see it.')).toBeInTheDocument();
  });
});
