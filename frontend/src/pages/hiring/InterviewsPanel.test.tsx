import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorResponse, jsonResponse, mockApi, renderUi } from '../../test/utils';
import { InterviewsPanel, validateInterview } from './InterviewsPanel';
import { interview, VENUE } from '../../test/hiringData';
import { createTranslator } from '../../i18n/core';
import { isPastInZone, nowInZone, zonedFormat } from './zonedTime';

afterEach(() => vi.unstubAllGlobals());

// What the UI shows for the default interview (14:00–14:30 in Amsterdam), in the test's locale.
const when = zonedFormat(createTranslator('en').locale)
  .range('2030-03-02T13:00:00Z', '2030-03-02T13:30:00Z', 'Europe/Amsterdam')
  .replace(/\s+/g, ' '); // as toHaveTextContent normalizes (Intl uses thin and narrow spaces)
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const staff = [
  { id: 'u9', name: 'Mila Bakker', role: 'manager' },
  { id: 'u8', name: 'Noor Visser', role: 'floor_manager' },
];

function panel(interviews = [interview()], canSchedule = true) {
  return <InterviewsPanel applicationId="a1" location={VENUE} interviews={interviews} canSchedule={canSchedule} />;
}

async function openForm() {
  const user = userEvent.setup();
  await user.click(screen.getByRole('button', { name: 'Schedule interview' }));
  const dialog = await screen.findByRole('dialog', { name: 'Schedule an interview' });
  await within(dialog).findByRole('option', { name: 'Noor Visser (Floor manager)' });
  return { user, dialog };
}

async function fill(user: ReturnType<typeof userEvent.setup>, dialog: HTMLElement, date = '2031-05-04', time = '15:30') {
  await user.type(within(dialog).getByLabelText('Date'), date);
  await user.type(within(dialog).getByLabelText('Time'), time);
  await user.clear(within(dialog).getByLabelText('Duration (minutes)'));
  await user.type(within(dialog).getByLabelText('Duration (minutes)'), '45');
  await user.clear(within(dialog).getByLabelText('Place'));
  await user.type(within(dialog).getByLabelText('Place'), 'Terrace');
  await user.selectOptions(within(dialog).getByLabelText('Interviewer'), 'u8');
}

describe('interview form validation', () => {
  const valid = { date: '2031-05-04', time: '15:30', durationMinutes: '30', place: 'Bar', interviewerId: 'u9' };
  const now = new Date('2031-05-04T12:00:00Z'); // 14:00 in Amsterdam (summer time)

  it('accepts a complete future appointment', () => {
    expect(validateInterview(valid, 'Europe/Amsterdam', now)).toEqual({});
  });

  it('names every problem with the server’s field codes', () => {
    expect(
      validateInterview(
        { date: '', time: '25:00', durationMinutes: '5', place: ' ', interviewerId: '' },
        'Europe/Amsterdam',
        now,
      ),
    ).toEqual({
      date: 'required',
      time: 'invalid_time',
      durationMinutes: 'out_of_range',
      place: 'required',
      interviewerId: 'required',
    });
    expect(validateInterview({ ...valid, durationMinutes: '481' }, 'Europe/Amsterdam', now).durationMinutes).toBe(
      'out_of_range',
    );
    expect(validateInterview({ ...valid, date: '2031-02-30' }, 'Europe/Amsterdam', now).date).toBe('invalid_date');
  });

  it('compares with the time in the location’s zone', () => {
    // 13:30 in Amsterdam has passed at 12:00 UTC (14:00 local) — though 13:30 UTC has not.
    expect(validateInterview({ ...valid, time: '13:30' }, 'Europe/Amsterdam', now).time).toBe('in_past');
    expect(validateInterview({ ...valid, time: '14:30' }, 'Europe/Amsterdam', now)).toEqual({});
    expect(isPastInZone('2031-05-04', '13:30', 'UTC', now)).toBe(false);
    expect(nowInZone('America/New_York', now)).toEqual({ date: '2031-05-04', time: '08:00' });
  });
});

describe('interviews panel', () => {
  it('lists interviews in the location’s time zone with their details and a calendar file', () => {
    mockApi({});
    renderUi(panel([interview({ outcome: null })]));
    const item = screen.getByRole('listitem');
    expect(item).toHaveTextContent(when);
    expect(item).toHaveTextContent('30 minutes');
    expect(item).toHaveTextContent('Bar, ground floor');
    expect(item).toHaveTextContent('Mila Bakker');
    expect(item).toHaveTextContent('Scheduled');
    expect(within(item).getByRole('link', { name: 'Calendar file (.ics)' })).toHaveAttribute('href', '/api/interviews/i1/ics');
    expect(within(item).getByRole('button', { name: 'Record outcome' })).toBeInTheDocument();
  });

  it('shows no actions without permission', () => {
    mockApi({});
    renderUi(panel([interview()], false));
    expect(screen.queryByRole('button', { name: 'Schedule interview' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Reschedule' })).not.toBeInTheDocument();
  });

  it('checks the form before sending, then schedules', async () => {
    const created = interview({ id: 'i2', localDate: '2031-05-04', localTime: '15:30' });
    const { requests } = mockApi({
      [`GET /api/locations/${VENUE.id}/staff`]: () => jsonResponse(200, staff),
      'POST /api/applications/a1/interviews': () => jsonResponse(201, created),
    });
    renderUi(panel([]));
    const { user, dialog } = await openForm();
    expect(within(dialog).getByLabelText('Place')).toHaveValue(VENUE.name);
    expect(within(dialog).getByLabelText('Duration (minutes)')).toHaveValue(30);

    await user.click(within(dialog).getByRole('button', { name: 'Send invitation' }));
    expect(within(dialog).getAllByText('This field is required.')).toHaveLength(3); // date, time, interviewer

    await user.type(within(dialog).getByLabelText('Date'), '2020-01-01');
    await user.type(within(dialog).getByLabelText('Time'), '10:00');
    expect(await within(dialog).findByText('This time has already passed.')).toBeInTheDocument();
    await user.clear(within(dialog).getByLabelText('Duration (minutes)'));
    await user.type(within(dialog).getByLabelText('Duration (minutes)'), '600');
    expect(within(dialog).getByText('This number is outside the allowed range.')).toBeInTheDocument();
    expect(requests.some((r) => r.method === 'POST')).toBe(false);

    await user.clear(within(dialog).getByLabelText('Date'));
    await user.clear(within(dialog).getByLabelText('Time'));
    await fill(user, dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Send invitation' }));
    expect(await screen.findByText('The interview has been scheduled and the invitation sent.')).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(requests.find((r) => r.method === 'POST')?.body).toEqual({
      date: '2031-05-04',
      time: '15:30',
      durationMinutes: 45,
      place: 'Terrace',
      interviewerId: 'u8',
    });
  });

  it.each([
    [
      errorResponse(422, 'interview_overlap', { conflict: 'i1' }),
      new RegExp(`^This overlaps another interview \\(${escape(when)}\\)\\. Choose another time\\.$`),
    ],
    [errorResponse(422, 'interview_overlap', { conflict: 'elsewhere' }), /^This interview overlaps another interview of the interviewer or the applicant\.$/],
    [errorResponse(422, 'interview_in_past'), /^This time has already passed\. Choose a later date or time\.$/],
  ])('shows the server’s refusal (%#)', async (answer, message) => {
    mockApi({
      [`GET /api/locations/${VENUE.id}/staff`]: () => jsonResponse(200, staff),
      'POST /api/applications/a1/interviews': () => answer,
    });
    renderUi(panel([interview()]));
    const { user, dialog } = await openForm();
    await fill(user, dialog);
    await user.click(within(dialog).getByRole('button', { name: 'Send invitation' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(message);
    expect(screen.getByRole('dialog', { name: 'Schedule an interview' })).toBeInTheDocument();
  });

  it('reschedules, cancels and records an outcome', async () => {
    const { requests } = mockApi({
      [`GET /api/locations/${VENUE.id}/staff`]: () => jsonResponse(200, staff),
      'PATCH /api/interviews/i1': () => jsonResponse(200, interview({ localTime: '16:00' })),
      'POST /api/interviews/i1/cancel': () => jsonResponse(200, interview({ status: 'cancelled' })),
      'POST /api/interviews/i1/outcome': () => jsonResponse(200, interview({ status: 'completed', outcome: 'passed' })),
    });
    renderUi(panel([interview()]));
    const user = userEvent.setup();

    await user.click(screen.getByRole('button', { name: 'Reschedule' }));
    const edit = await screen.findByRole('dialog', { name: 'Reschedule interview' });
    expect(within(edit).getByLabelText('Date')).toHaveValue('2030-03-02');
    expect(within(edit).getByLabelText('Time')).toHaveValue('14:00');
    await user.clear(within(edit).getByLabelText('Time'));
    await user.type(within(edit).getByLabelText('Time'), '16:00');
    await user.click(within(edit).getByRole('button', { name: 'Save and send update' }));
    expect(await screen.findByText('The interview has been moved and the applicant informed.')).toBeInTheDocument();
    expect(requests.find((r) => r.method === 'PATCH')?.body).toMatchObject({ date: '2030-03-02', time: '16:00', interviewerId: 'u9' });

    await user.click(screen.getByRole('button', { name: 'Cancel interview' }));
    const cancel = await screen.findByRole('alertdialog', { name: 'Cancel interview' });
    await user.type(within(cancel).getByLabelText(/Reason for cancelling/), 'Sick');
    await user.click(within(cancel).getByRole('button', { name: 'Cancel interview' }));
    expect(await screen.findByText('The interview has been cancelled.')).toBeInTheDocument();
    expect(requests.find((r) => r.url === '/api/interviews/i1/cancel')?.body).toEqual({ reason: 'Sick' });

    await user.click(screen.getByRole('button', { name: 'Record outcome' }));
    const outcome = await screen.findByRole('dialog', { name: 'Outcome of the interview' });
    await user.selectOptions(within(outcome).getByLabelText('Outcome'), 'passed');
    await user.click(within(outcome).getByRole('button', { name: 'Save outcome' }));
    expect(await screen.findByText('The outcome has been saved.')).toBeInTheDocument();
    expect(requests.find((r) => r.url === '/api/interviews/i1/outcome')?.body).toEqual({ outcome: 'passed' });
  });
});
