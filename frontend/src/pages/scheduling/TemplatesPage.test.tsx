import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TemplateRequest, TemplateShift, WeekTemplate } from '../../api/schedulingTypes';
import {
  BAR,
  COCKTAILS,
  competencies,
  crewMe,
  haven,
  positions,
  TEMPLATE,
  templateShift,
  VENUE,
  WAITER,
  weekTemplate,
} from '../../test/crewData';
import { crewNl } from '../../i18n/crew.nl';
import { errorResponse, jsonResponse, mockApi, renderApp, type RecordedRequest } from '../../test/utils';

afterEach(() => vi.unstubAllGlobals());

const NEW_TEMPLATE = '50000000-0000-4000-8000-000000000002';
const LIST = `/api/locations/${VENUE.id}/templates`;
const ONE = `/api/templates/${TEMPLATE}`;
const EDITOR = `/staff/templates?location=${VENUE.id}&template=${TEMPLATE}`;

/** Summer week: Monday 17:00–23:00 bartenders (30 min break, 2 slots), Saturday 22:00–03:00 a waiter. */
function summer(overrides: Partial<WeekTemplate> = {}): WeekTemplate {
  return weekTemplate({
    shifts: [
      templateShift({ id: '51000000-0000-4000-8000-000000000002', weekday: 6, positionId: WAITER, start: '22:00', end: '03:00', overnight: true, breakMinutes: 0, slots: 1, note: 'Late' }),
      templateShift(),
    ],
    ...overrides,
  });
}

/** What the server answers for a saved request. */
function saved(id: string, body: TemplateRequest): WeekTemplate {
  return {
    id,
    locationId: VENUE.id,
    name: body.name,
    updatedAt: '2026-05-01T12:00:00Z',
    shifts: body.shifts.map(
      (s, i): TemplateShift => ({
        id: `52000000-0000-4000-8000-00000000000${i}`,
        weekday: s.weekday,
        positionId: s.positionId,
        start: s.start,
        end: s.end,
        overnight: s.end <= s.start,
        breakMinutes: s.breakMinutes ?? 0,
        slots: s.slots,
        requirements: s.requirements ?? [],
        note: s.note ?? null,
      }),
    ),
  };
}

type Handler = (request: RecordedRequest) => Response;

function templatesApi(handlers: Record<string, Handler> = {}, list: () => WeekTemplate[] = () => [summer()]) {
  return mockApi({
    'GET /api/auth/me': () => jsonResponse(200, crewMe('manager')),
    'GET /api/locations': () => jsonResponse(200, [haven]),
    [`GET /api/locations/${VENUE.id}/positions`]: () => jsonResponse(200, positions()),
    [`GET /api/locations/${VENUE.id}/competencies`]: () => jsonResponse(200, competencies()),
    [`GET ${LIST}`]: () => jsonResponse(200, list()),
    [`GET ${ONE}`]: () => jsonResponse(200, summer()),
    ...handlers,
  });
}

const day = (name: string) => screen.getByRole('heading', { level: 3, name }).closest('section')!;
const shiftRow = (legend: RegExp) => screen.getByRole('group', { name: legend });
const writes = (requests: RecordedRequest[]) => requests.filter((r) => r.method !== 'GET');
const itemOf = (name: string) => screen.getByRole('button', { name: `Edit ${name}` }).closest('li')!;

/** Time inputs take a whole value at once. */
function setTime(input: HTMLElement, value: string) {
  fireEvent.change(input, { target: { value } });
}

describe('the template list', () => {
  it('lists the templates with their shifts and paid hours', async () => {
    const { requests } = templatesApi({}, () => [summer(), weekTemplate({ id: NEW_TEMPLATE, name: 'Quiet week', shifts: [] })]);
    renderApp('/staff/templates');
    expect(await screen.findByRole('heading', { level: 1, name: 'Week templates' })).toBeInTheDocument();
    await screen.findByRole('button', { name: 'Edit Summer week' });
    // (6 h − 30 min) × 2 + 5 h = 16 h
    expect(itemOf('Summer week')).toHaveTextContent('2 shifts · 16 paid hours · changed');
    expect(itemOf('Quiet week')).toHaveTextContent('0 shifts · 0 paid hours');
    expect(within(itemOf('Summer week')).getByRole('button', { name: 'Rename Summer week' })).toBeInTheDocument();
    expect(within(itemOf('Summer week')).getByRole('button', { name: 'Delete Summer week' })).toBeInTheDocument();
    expect(requests.some((r) => r.url === LIST)).toBe(true);
    expect(screen.queryByText(/has no positions yet/)).not.toBeInTheDocument();
  });

  it('says so when there are no templates, and sends to the positions when there are none', async () => {
    templatesApi({ [`GET /api/locations/${VENUE.id}/positions`]: () => jsonResponse(200, [positions()[2]]) }, () => []);
    renderApp('/staff/templates');
    expect(await screen.findByText('No templates yet. Make one for a typical week.')).toBeInTheDocument();
    expect(
      await screen.findByText('This location has no positions yet: add them first, then its shifts can be planned.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to positions & competencies' })).toHaveAttribute(
      'href',
      `/staff/crew?location=${VENUE.id}&tab=catalog`,
    );
  });

  it('is forbidden without schedule.manage', async () => {
    templatesApi({ 'GET /api/auth/me': () => jsonResponse(200, crewMe('floor_manager')) });
    renderApp('/staff/templates');
    expect(await screen.findByRole('heading', { level: 1, name: 'No access' })).toBeInTheDocument();
  });

  it('creates a template: checks the name, shows a taken name on the field, then opens the editor', async () => {
    let answer: Handler = () => errorResponse(409, 'name_taken', { name: 'taken' });
    let list = [summer()];
    const { requests } = templatesApi(
      {
        [`POST ${LIST}`]: (request) => {
          const response = answer(request);
          if (response.ok) list = [...list, saved(NEW_TEMPLATE, request.body as TemplateRequest)];
          return response;
        },
        [`GET /api/templates/${NEW_TEMPLATE}`]: () => jsonResponse(200, list.at(-1)),
      },
      () => list,
    );
    const { router } = renderApp('/staff/templates');
    const user = userEvent.setup();
    await screen.findByRole('button', { name: 'Edit Summer week' });
    await user.click(screen.getByRole('button', { name: 'New template' }));
    const dialog = await screen.findByRole('dialog', { name: 'New template' });
    const name = within(dialog).getByLabelText('Name');
    expect(name).toHaveFocus();

    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(within(dialog).getByText('This field is required.')).toBeInTheDocument();
    await user.type(name, 'x'.repeat(81));
    expect(within(dialog).queryByText('This field is required.')).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(within(dialog).getByText('This name is too long.')).toBeInTheDocument();
    expect(writes(requests)).toHaveLength(0);

    await user.clear(name);
    await user.type(name, ' Summer week ');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await within(dialog).findByText('This location already has one with that name.')).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();

    answer = () => errorResponse(422, 'validation_failed', { name: 'too_long' });
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await within(dialog).findByText('This name is too long.')).toBeInTheDocument();

    answer = (request) => jsonResponse(201, saved(NEW_TEMPLATE, request.body as TemplateRequest));
    await user.clear(name);
    await user.type(name, 'Winter week');
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));
    expect(await screen.findByText('Template Winter week created. Add its shifts now.')).toBeInTheDocument();
    expect(writes(requests).map((r) => [r.method, r.url, r.body])).toEqual([
      ['POST', LIST, { name: 'Summer week', shifts: [] }],
      ['POST', LIST, { name: 'Summer week', shifts: [] }],
      ['POST', LIST, { name: 'Winter week', shifts: [] }],
    ]);
    // Straight into the editor of the new template (no second fetch of it).
    expect(await screen.findByRole('heading', { level: 2, name: 'Template: Winter week' })).toBeInTheDocument();
    expect(router.state.location.search).toBe(`?template=${NEW_TEMPLATE}&location=${VENUE.id}`);
    expect(requests.some((r) => r.url === `/api/templates/${NEW_TEMPLATE}`)).toBe(false);
    expect(screen.getAllByText('No shifts')).toHaveLength(7);
  });

  it('renames a template by sending it whole', async () => {
    let list = [summer()];
    const { requests } = templatesApi(
      {
        [`PUT ${ONE}`]: (request) => {
          list = [saved(TEMPLATE, request.body as TemplateRequest)];
          return jsonResponse(200, list[0]);
        },
      },
      () => list,
    );
    renderApp('/staff/templates');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Rename Summer week' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rename Summer week' });
    expect(within(dialog).getByLabelText('Name')).toHaveValue('Summer week');
    await user.clear(within(dialog).getByLabelText('Name'));
    await user.type(within(dialog).getByLabelText('Name'), 'High season');
    await user.click(within(dialog).getByRole('button', { name: 'Rename' }));
    expect(await screen.findByText('Renamed to High season.')).toBeInTheDocument();
    expect(writes(requests)).toHaveLength(1);
    expect(writes(requests)[0]!.body).toEqual({
      name: 'High season',
      shifts: [
        { weekday: 1, positionId: BAR, start: '17:00', end: '23:00', breakMinutes: 30, slots: 2, requirements: [], note: null },
        { weekday: 6, positionId: WAITER, start: '22:00', end: '03:00', breakMinutes: 0, slots: 1, requirements: [], note: 'Late' },
      ],
    } satisfies TemplateRequest);
    expect(await screen.findByRole('button', { name: 'Edit High season' })).toBeInTheDocument();
  });

  it('deletes a template after a confirmation', async () => {
    let list = [summer()];
    const { requests } = templatesApi(
      {
        [`DELETE ${ONE}`]: () => {
          list = [];
          return jsonResponse(204);
        },
      },
      () => list,
    );
    renderApp('/staff/templates');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Delete Summer week' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Delete Summer week?' });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(writes(requests)).toHaveLength(0);

    await user.click(screen.getByRole('button', { name: 'Delete Summer week' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('Summer week is deleted.')).toBeInTheDocument();
    expect(writes(requests).map((r) => [r.method, r.url])).toEqual([['DELETE', ONE]]);
    expect(await screen.findByText('No templates yet. Make one for a typical week.')).toBeInTheDocument();
  });

  it('shows why a delete failed in the confirmation', async () => {
    templatesApi({ [`DELETE ${ONE}`]: () => errorResponse(403, 'forbidden') });
    renderApp('/staff/templates');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Delete Summer week' }));
    const confirm = await screen.findByRole('alertdialog');
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    expect(await within(confirm).findByText('You are not allowed to do this.')).toBeInTheDocument();
  });
});

describe('the template editor', () => {
  it('shows the shifts by weekday with their paid hours, and overnight ones as ending the next day', async () => {
    templatesApi();
    renderApp(EDITOR);
    expect(await screen.findByRole('heading', { level: 2, name: 'Template: Summer week' })).toBeInTheDocument();
    expect(screen.getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    expect(screen.getByText('2 shifts · 16 paid hours')).toBeInTheDocument();
    expect(day('Monday')).toHaveTextContent('1 shift · 11 paid hours');
    expect(day('Tuesday')).toHaveTextContent('No shifts');

    const monday = shiftRow(/^Monday, shift 1/);
    expect(monday).toHaveTextContent('5.5 h paid × 2 slots');
    expect(within(monday).getByLabelText('Position')).toHaveValue(BAR);
    expect(within(monday).getByLabelText('Start')).toHaveValue('17:00');
    expect(within(monday).getByLabelText('End')).toHaveValue('23:00');
    expect(within(monday).getByLabelText('End')).not.toHaveAccessibleDescription('Ends the next day');
    expect(within(monday).getByLabelText('Unpaid break (minutes)')).toHaveValue(30);
    expect(within(monday).getByLabelText('Slots (people)')).toHaveValue(2);
    // Archived positions are not offered for a new choice.
    expect(within(within(monday).getByLabelText('Position')).getAllByRole('option').map((o) => o.textContent)).toEqual([
      'Bartender',
      'Waiter',
    ]);

    const saturday = shiftRow(/^Saturday, shift 1/);
    expect(saturday).toHaveTextContent('5 h paid');
    expect(saturday).not.toHaveTextContent('×');
    expect(within(saturday).getByLabelText('End')).toHaveAccessibleDescription('Ends the next day');
    expect(within(saturday).getByLabelText(/^Note/)).toHaveValue('Late');
    expect(screen.getByText('All changes saved')).toBeInTheDocument();
  });

  it('adds a shift on a weekday, copies it to other days and saves every row', async () => {
    const { requests } = templatesApi({
      [`PUT ${ONE}`]: (request) => jsonResponse(200, saved(TEMPLATE, request.body as TemplateRequest)),
    });
    renderApp(EDITOR);
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 2, name: 'Template: Summer week' });

    await user.click(within(day('Tuesday')).getByRole('button', { name: 'Add a shift on Tuesday' }));
    const tuesday = shiftRow(/^Tuesday, shift 1/);
    // Like the last row typed (the Saturday one), and focused on its position.
    expect(within(tuesday).getByLabelText('Position')).toHaveFocus();
    expect(within(tuesday).getByLabelText('Position')).toHaveValue(WAITER);
    expect(within(tuesday).getByLabelText('Day')).toHaveValue('2');
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();

    await user.selectOptions(within(tuesday).getByLabelText('Position'), 'Bartender');
    setTime(within(tuesday).getByLabelText('Start'), '12:00');
    setTime(within(tuesday).getByLabelText('End'), '18:00');
    expect(within(tuesday).getByLabelText('End')).not.toHaveAccessibleDescription('Ends the next day');
    // An end before the start is the next day.
    setTime(within(tuesday).getByLabelText('Start'), '18:00');
    setTime(within(tuesday).getByLabelText('End'), '01:00');
    expect(within(tuesday).getByLabelText('End')).toHaveAccessibleDescription('Ends the next day');
    expect(within(tuesday).getByText('Ends the next day')).toBeInTheDocument();
    await user.clear(within(tuesday).getByLabelText('Unpaid break (minutes)'));
    await user.type(within(tuesday).getByLabelText('Unpaid break (minutes)'), '15');
    await user.clear(within(tuesday).getByLabelText('Slots (people)'));
    await user.type(within(tuesday).getByLabelText('Slots (people)'), '3');
    await user.clear(within(tuesday).getByLabelText(/^Note/));
    await user.click(within(tuesday).getByRole('button', { name: 'Add a competency' }));
    await user.selectOptions(within(tuesday).getByLabelText(/^Minimum level of Cocktails/), 'level 2 or higher');
    expect(tuesday).toHaveTextContent('6.75 h paid × 3 slots');
    expect(day('Tuesday')).toHaveTextContent('1 shift · 20.25 paid hours');

    await user.click(within(tuesday).getByRole('button', { name: 'Copy Tuesday, shift 1 to other days' }));
    const copy = await screen.findByRole('dialog', { name: 'Copy Tuesday 18:00–01:00' });
    const days = within(copy).getByRole('group', { name: 'Copy to' });
    expect(within(days).getAllByRole('checkbox').map((c) => c.parentElement!.textContent)).toEqual([
      'Monday',
      'Wednesday',
      'Thursday',
      'Friday',
      'Saturday',
      'Sunday',
    ]);
    await user.click(within(copy).getByRole('button', { name: 'Copy' }));
    expect(within(copy).getByText('Choose at least one day.')).toBeInTheDocument();
    await user.click(within(days).getByLabelText('Friday'));
    await user.click(within(days).getByLabelText('Wednesday'));
    await user.click(within(copy).getByRole('button', { name: 'Copy' }));
    expect(await screen.findByText('Copied to 2 days. Save to keep them.')).toBeInTheDocument();
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    // Copying does not save.
    expect(writes(requests)).toHaveLength(0);
    expect(shiftRow(/^Wednesday, shift 1/)).toHaveTextContent('6.75 h paid × 3 slots');
    expect(within(shiftRow(/^Friday, shift 1/)).getByLabelText('End')).toHaveAccessibleDescription('Ends the next day');
    expect(screen.getByText('5 shifts · 76.75 paid hours')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Save template' }));
    expect(await screen.findByText('Template Summer week saved.')).toBeInTheDocument();
    expect(screen.getByText('All changes saved')).toBeInTheDocument();
    expect(writes(requests)).toHaveLength(1);
    const tuesdayShift = {
      weekday: 2,
      positionId: BAR,
      start: '18:00',
      end: '01:00',
      breakMinutes: 15,
      slots: 3,
      requirements: [{ competencyId: COCKTAILS, minLevel: 2 }],
      note: null,
    };
    expect(writes(requests)[0]!.method).toBe('PUT');
    expect(writes(requests)[0]!.url).toBe(ONE);
    expect(writes(requests)[0]!.body).toEqual({
      name: 'Summer week',
      shifts: [
        { weekday: 1, positionId: BAR, start: '17:00', end: '23:00', breakMinutes: 30, slots: 2, requirements: [], note: null },
        { weekday: 6, positionId: WAITER, start: '22:00', end: '03:00', breakMinutes: 0, slots: 1, requirements: [], note: 'Late' },
        tuesdayShift,
        { ...tuesdayShift, weekday: 3 },
        { ...tuesdayShift, weekday: 5 },
      ],
    } satisfies TemplateRequest);
  });

  it('copies to Monday to Friday in one go and moves a row to another day', async () => {
    templatesApi();
    renderApp(EDITOR);
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 2, name: 'Template: Summer week' });
    await user.click(within(shiftRow(/^Saturday, shift 1/)).getByRole('button', { name: /^Copy/ }));
    const copy = await screen.findByRole('dialog', { name: 'Copy Saturday 22:00–03:00' });
    await user.click(within(copy).getByRole('button', { name: 'Monday to Friday' }));
    expect(within(copy).getAllByRole('checkbox', { checked: true }).map((c) => c.parentElement!.textContent)).toEqual([
      'Monday',
      'Tuesday',
      'Wednesday',
      'Thursday',
      'Friday',
    ]);
    await user.click(within(copy).getByRole('button', { name: 'Copy' }));
    expect(await screen.findByText('Copied to 5 days. Save to keep them.')).toBeInTheDocument();
    expect(day('Monday')).toHaveTextContent('2 shifts');
    expect(shiftRow(/^Monday, shift 2/)).toHaveTextContent('5 h paid');

    // A row moved to another day follows it there, focused.
    await user.selectOptions(within(shiftRow(/^Thursday, shift 1/)).getByLabelText('Day'), 'Sunday');
    expect(day('Thursday')).toHaveTextContent('No shifts');
    expect(within(shiftRow(/^Sunday, shift 1/)).getByLabelText('Day')).toHaveFocus();
  });

  it('checks the rows before saving, with the server’s wording', async () => {
    const { requests } = templatesApi();
    renderApp(EDITOR);
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 2, name: 'Template: Summer week' });
    const monday = shiftRow(/^Monday, shift 1/);
    setTime(within(monday).getByLabelText('End'), '17:00');
    await user.clear(within(monday).getByLabelText('Slots (people)'));
    await user.clear(within(screen.getByRole('heading', { level: 2 }).closest('div')!).getByLabelText('Name'));
    await user.click(screen.getByRole('button', { name: 'Save template' }));

    expect(
      within(monday).getByText('The end must differ from the start (an end before the start means the next day).'),
    ).toBeInTheDocument();
    expect(within(monday).getByLabelText('End')).toHaveAttribute('aria-invalid', 'true');
    expect(within(monday).getByText('This field is required.')).toBeInTheDocument();
    expect(screen.getByText('3 fields need attention')).toBeInTheDocument();
    expect(writes(requests)).toHaveLength(0);
    // Focus goes to the first field in error.
    expect(document.activeElement).toHaveAttribute('aria-invalid', 'true');

    // Fixing a field updates the count straight away.
    setTime(within(monday).getByLabelText('End'), '23:00');
    expect(screen.getByText('2 fields need attention')).toBeInTheDocument();
  });

  it('puts the server’s `shifts[i].field` errors on the row that was sent as shift i', async () => {
    const { requests } = templatesApi({
      [`PUT ${ONE}`]: () =>
        errorResponse(422, 'validation_failed', {
          'shifts[1].end': 'too_long',
          'shifts[2].slots': 'too_many',
          'shifts[2].requirements': 'unknown_competency',
        }),
    });
    renderApp(EDITOR);
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 2, name: 'Template: Summer week' });
    // Sent as [Monday, Saturday, Tuesday]; shown as Monday, Tuesday, Saturday.
    await user.click(screen.getByRole('button', { name: 'Add a shift on Tuesday' }));
    await user.click(screen.getByRole('button', { name: 'Save template' }));

    const saturday = shiftRow(/^Saturday, shift 1/);
    const tuesday = shiftRow(/^Tuesday, shift 1/);
    const monday = shiftRow(/^Monday, shift 1/);
    expect(await within(saturday).findByText('A shift can last at most 16 hours.')).toBeInTheDocument();
    expect(within(saturday).getByLabelText('End')).toHaveAttribute('aria-invalid', 'true');
    expect(within(tuesday).getByText('At most 50 slots.')).toBeInTheDocument();
    expect(within(tuesday).getByLabelText('Slots (people)')).toHaveAttribute('aria-invalid', 'true');
    expect(within(tuesday).getByText('One of these competencies is archived or no longer exists.')).toBeInTheDocument();
    expect(within(monday).queryByText(/at most|archived/)).not.toBeInTheDocument();
    expect(screen.getByText('3 fields need attention')).toBeInTheDocument();
    expect(screen.queryByText('Some fields need your attention.')).not.toBeInTheDocument();
    expect(writes(requests)).toHaveLength(1);
    expect((writes(requests)[0]!.body as TemplateRequest).shifts.map((s) => s.weekday)).toEqual([1, 6, 2]);

    // Changing a field takes its server error away.
    await user.clear(within(tuesday).getByLabelText('Slots (people)'));
    await user.type(within(tuesday).getByLabelText('Slots (people)'), '2');
    expect(within(tuesday).queryByText('At most 50 slots.')).not.toBeInTheDocument();
    expect(screen.getByText('2 fields need attention')).toBeInTheDocument();
  });

  it('shows a taken name on the name field, and other refusals in a banner', async () => {
    let answer: Handler = () => errorResponse(409, 'name_taken', { name: 'taken' });
    templatesApi({ [`PUT ${ONE}`]: (request) => answer(request) });
    renderApp(EDITOR);
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 2, name: 'Template: Summer week' });
    const name = screen.getByRole('textbox', { name: 'Name' });
    await user.type(name, ' 2');
    await user.click(screen.getByRole('button', { name: 'Save template' }));
    expect(await screen.findByText('This location already has one with that name.')).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');

    answer = () => errorResponse(422, 'validation_failed', { 'shifts[9].start': 'invalid_time', shifts: 'too_many' });
    await user.click(screen.getByRole('button', { name: 'Save template' }));
    expect(await screen.findByText('A template can have at most 300 shifts.')).toBeInTheDocument();
    // A field of a row that was not sent has no place to go: it is listed under the save bar.
    expect(screen.getByText('Enter a valid time (HH:MM).')).toBeInTheDocument();

    answer = () => errorResponse(404, 'not_found');
    await user.click(screen.getByRole('button', { name: 'Save template' }));
    expect(await screen.findByText('This could not be found.')).toBeInTheDocument();
  });

  it('removes a row locally and says to save', async () => {
    const { requests } = templatesApi({
      [`PUT ${ONE}`]: (request) => jsonResponse(200, saved(TEMPLATE, request.body as TemplateRequest)),
    });
    renderApp(EDITOR);
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 2, name: 'Template: Summer week' });
    await user.click(screen.getByRole('button', { name: 'Remove Monday, shift 1' }));
    expect(await screen.findByText('A shift on Monday was removed. Save to keep this change.')).toBeInTheDocument();
    expect(day('Monday')).toHaveTextContent('No shifts');
    expect(screen.getByRole('button', { name: 'Add a shift on Monday' })).toHaveFocus();
    await user.click(screen.getByRole('button', { name: 'Save template' }));
    await waitFor(() => expect(writes(requests)).toHaveLength(1));
    expect((writes(requests)[0]!.body as TemplateRequest).shifts.map((s) => s.weekday)).toEqual([6]);
  });

  it('starts a first row as a plain evening shift of the first active position', async () => {
    templatesApi({
      [`GET ${ONE}`]: () => jsonResponse(200, weekTemplate({ shifts: [] })),
      [`GET /api/locations/${VENUE.id}/positions`]: () => jsonResponse(200, [positions()[2], positions()[1]]),
    });
    renderApp(EDITOR);
    const user = userEvent.setup();
    await screen.findByRole('heading', { level: 2, name: 'Template: Summer week' });
    await user.click(screen.getByRole('button', { name: 'Add a shift on Friday' }));
    const friday = shiftRow(/^Friday, shift 1/);
    expect(within(friday).getByLabelText('Position')).toHaveValue(WAITER);
    expect(within(friday).getByLabelText('Start')).toHaveValue('17:00');
    expect(within(friday).getByLabelText('End')).toHaveValue('23:00');
    expect(within(friday).getByLabelText('Slots (people)')).toHaveValue(1);
    expect(friday).toHaveTextContent('6 h paid');
  });

  it('cannot add shifts while the location has no active positions', async () => {
    templatesApi({ [`GET /api/locations/${VENUE.id}/positions`]: () => jsonResponse(200, [positions()[2]]) });
    renderApp(EDITOR);
    await screen.findByRole('heading', { level: 2, name: 'Template: Summer week' });
    expect(screen.getByText('This location has no positions yet: add them first, then its shifts can be planned.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Add a shift on Monday' })).toBeDisabled();
    // A row whose position was archived keeps showing it, marked.
    expect(within(shiftRow(/^Monday, shift 1/)).getByLabelText('Position')).toHaveDisplayValue('Unknown position');
  });

  it('speaks Dutch', async () => {
    templatesApi();
    renderApp(EDITOR, { language: 'nl' });
    await screen.findByRole('heading', { level: 2, name: crewNl['templates.editTitle'].replace('{name}', 'Summer week') });
    const saturday = shiftRow(new RegExp(`^${crewNl['templates.weekday.6']}`));
    expect(within(saturday).getByLabelText(crewNl['templates.field.end'])).toHaveAccessibleDescription(
      crewNl['templates.field.nextDay'],
    );
    // (6 h − 30 min) × 2 = 11 h on Monday, 5,5 h paid per slot.
    expect(shiftRow(new RegExp(`^${crewNl['templates.weekday.1']}`))).toHaveTextContent('5,5');
  });

  it('says when the template does not exist', async () => {
    templatesApi({ [`GET ${ONE}`]: () => errorResponse(404, 'not_found') });
    const { router } = renderApp(EDITOR);
    const user = userEvent.setup();
    expect(await screen.findByText('This template does not exist (any more).')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'All templates' }));
    expect(await screen.findByRole('button', { name: 'Edit Summer week' })).toBeInTheDocument();
    expect(router.state.location.search).toBe(`?location=${VENUE.id}`);
  });
});

describe('leaving the editor', () => {
  async function openFromList() {
    const api = templatesApi();
    const rendered = renderApp('/staff/templates');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Edit Summer week' }));
    await screen.findByRole('heading', { level: 2, name: 'Template: Summer week' });
    return { ...api, ...rendered, user };
  }

  it('goes straight back without changes', async () => {
    const { user, router } = await openFromList();
    await user.click(screen.getByRole('button', { name: 'All templates' }));
    expect(await screen.findByRole('button', { name: 'Edit Summer week' })).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(router.state.location.search).toBe(`?location=${VENUE.id}`);
  });

  it('asks before discarding unsaved changes from the back button', async () => {
    const { user, requests } = await openFromList();
    await user.type(screen.getByRole('textbox', { name: 'Name' }), '!');
    await user.click(screen.getByRole('button', { name: 'All templates' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Discard your changes?' });
    expect(confirm).toHaveTextContent('The changes to this template are not saved yet.');
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveValue('Summer week!');

    await user.click(screen.getByRole('button', { name: 'All templates' }));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Discard changes' }));
    expect(await screen.findByRole('button', { name: 'Edit Summer week' })).toBeInTheDocument();
    expect(writes(requests)).toHaveLength(0);
  });

  it('asks before a link or the browser’s back leaves unsaved changes', async () => {
    const { user, router } = await openFromList();
    await user.click(screen.getByRole('button', { name: 'Add a shift on Sunday' }));
    const search = router.state.location.search;

    await user.click(screen.getByRole('link', { name: 'Crew' }));
    const confirm = await screen.findByRole('alertdialog', { name: 'Discard your changes?' });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(router.state.location.pathname).toBe('/staff/templates');
    expect(router.state.location.search).toBe(search);
    expect(shiftRow(/^Sunday, shift 1/)).toBeInTheDocument();

    await act(() => router.navigate(-1));
    await user.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Discard changes' }));
    expect(await screen.findByRole('button', { name: 'Edit Summer week' })).toBeInTheDocument();
  });

  it('warns before the tab closes with unsaved changes, and not after saving', async () => {
    const { user } = await openFromList();
    const unload = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(unload()).toBe(false);
    await user.type(screen.getByRole('textbox', { name: 'Name' }), '!');
    expect(unload()).toBe(true);
    await user.type(screen.getByRole('textbox', { name: 'Name' }), '{Backspace}');
    expect(unload()).toBe(false);
  });
});
