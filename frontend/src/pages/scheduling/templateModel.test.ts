import { describe, expect, it } from 'vitest';
import type { TemplateRequest } from '../../api/schedulingTypes';
import { BAR, COCKTAILS, DISHES, positions, REGISTER, templateShift, WAITER } from '../../test/crewData';
import {
  checkDraft,
  checkShift,
  copyToWeekdays,
  endsNextDay,
  errorCount,
  fingerprint,
  fromServerFields,
  fromTemplate,
  newShift,
  paidMinutes,
  shiftMinutes,
  templateFigures,
  toRequest,
  totalPaidMinutes,
  type Draft,
  type DraftShift,
} from './templateModel';

function row(overrides: Partial<DraftShift> = {}): DraftShift {
  return {
    key: 'k1',
    weekday: 1,
    positionId: BAR,
    start: '17:00',
    end: '23:00',
    breakMinutes: '30',
    slots: '2',
    requirements: [],
    note: '',
    ...overrides,
  };
}

const competencyIds = [COCKTAILS, REGISTER];

describe('shift lengths', () => {
  it('counts an end at or before the start as the next day', () => {
    expect(shiftMinutes('17:00', '23:00')).toBe(360);
    expect(shiftMinutes('22:00', '02:30')).toBe(270);
    expect(shiftMinutes('00:00', '23:59')).toBe(1439);
    expect(shiftMinutes('23:59', '00:00')).toBe(1);
    expect(shiftMinutes('09:00', '09:00')).toBe(0);
    expect(shiftMinutes('9:00', '17:00')).toBeNull();
    expect(shiftMinutes('24:00', '02:00')).toBeNull();
    expect(shiftMinutes('', '02:00')).toBeNull();
  });

  it('says when a shift ends the next day, but not when start and end are equal', () => {
    expect(endsNextDay('22:00', '02:00')).toBe(true);
    expect(endsNextDay('17:00', '23:00')).toBe(false);
    expect(endsNextDay('09:00', '09:00')).toBe(false);
    expect(endsNextDay('22:00', '')).toBe(false);
  });

  it('pays the length minus the break, overnight too', () => {
    expect(paidMinutes({ start: '17:00', end: '23:00', breakMinutes: '30' })).toBe(330);
    expect(paidMinutes({ start: '22:00', end: '06:00', breakMinutes: '45' })).toBe(435);
    expect(paidMinutes({ start: '17:00', end: '23:00', breakMinutes: '' })).toBe(360);
    expect(paidMinutes({ start: '17:00', end: '23:00', breakMinutes: ' 0 ' })).toBe(360);
    // Not computable (yet).
    expect(paidMinutes({ start: '17:00', end: '17:00', breakMinutes: '0' })).toBeNull();
    expect(paidMinutes({ start: '17:00', end: '18:00', breakMinutes: '60' })).toBeNull();
    expect(paidMinutes({ start: '17:00', end: '23:00', breakMinutes: '-5' })).toBeNull();
    expect(paidMinutes({ start: '17:00', end: '23:00', breakMinutes: '7.5' })).toBeNull();
    expect(paidMinutes({ start: '17:00', end: 'x', breakMinutes: '0' })).toBeNull();
  });

  it('adds up rows times their slots, skipping rows that cannot be computed', () => {
    expect(
      totalPaidMinutes([
        row(), // 330 × 2
        row({ key: 'k2', start: '22:00', end: '02:00', breakMinutes: '0', slots: '1' }), // 240
        row({ key: 'k3', slots: '' }),
        row({ key: 'k4', slots: '0' }),
        row({ key: 'k5', end: '17:00' }),
      ]),
    ).toBe(900);
    expect(totalPaidMinutes([])).toBe(0);
  });

  it('sums a saved template for the list', () => {
    expect(
      templateFigures({
        shifts: [
          templateShift(), // (360 − 30) × 2
          templateShift({ weekday: 6, start: '22:00', end: '03:00', overnight: true, breakMinutes: 0, slots: 3 }), // 300 × 3
        ],
      }),
    ).toEqual({ shifts: 2, slots: 5, paidMinutes: 1560 });
    expect(templateFigures({ shifts: [] })).toEqual({ shifts: 0, slots: 0, paidMinutes: 0 });
  });
});

describe('drafts', () => {
  it('sorts a template’s shifts by weekday and start, as text', () => {
    const draft = fromTemplate({
      name: 'Summer week',
      shifts: [
        templateShift({ weekday: 3, start: '09:00' }),
        templateShift({ weekday: 1, start: '17:00', note: 'Terrace', requirements: [{ competencyId: COCKTAILS, minLevel: 2 }] }),
        templateShift({ weekday: 1, start: '08:00' }),
      ],
    });
    expect(draft.name).toBe('Summer week');
    expect(draft.shifts.map((s) => `${s.weekday} ${s.start}`)).toEqual(['1 08:00', '1 17:00', '3 09:00']);
    expect(draft.shifts[1]).toMatchObject({ breakMinutes: '30', slots: '2', note: 'Terrace' });
    expect(draft.shifts[0]!.note).toBe('');
    expect(new Set(draft.shifts.map((s) => s.key)).size).toBe(3);
  });

  it('starts a new row like the last one of that day, else the last one, else a plain evening', () => {
    const empty: Draft = { name: 'x', shifts: [] };
    const first = newShift(2, empty, positions());
    expect(first).toMatchObject({ weekday: 2, positionId: BAR, start: '17:00', end: '23:00', breakMinutes: '0', slots: '1', note: '' });
    // The first active position when the first one is archived.
    expect(newShift(2, empty, [positions()[2]!, positions()[1]!]).positionId).toBe(WAITER);
    expect(newShift(2, empty, [positions()[2]!]).positionId).toBe('');

    const monday = row({ key: 'a', weekday: 1, start: '10:00', requirements: [{ competencyId: COCKTAILS, minLevel: 2 }] });
    const friday = row({ key: 'b', weekday: 5, start: '20:00' });
    const draft: Draft = { name: 'x', shifts: [monday, friday] };
    const again = newShift(1, draft, positions());
    expect(again).toMatchObject({ weekday: 1, start: '10:00' });
    expect(again.key).not.toBe('a');
    // Its requirements are a copy, not shared.
    expect(again.requirements).toEqual(monday.requirements);
    expect(again.requirements).not.toBe(monday.requirements);
    expect(newShift(3, draft, positions())).toMatchObject({ weekday: 3, start: '20:00' });
  });

  it('copies a row to other weekdays after the existing rows, skipping its own day', () => {
    const source = row({ key: 'src', weekday: 2, requirements: [{ competencyId: REGISTER, minLevel: 1 }] });
    const draft: Draft = { name: 'x', shifts: [source, row({ key: 'other', weekday: 4 })] };
    const next = copyToWeekdays(draft, 'src', [2, 4, 6]);
    expect(next.shifts.map((s) => [s.key === 'src' || s.key === 'other' ? s.key : 'copy', s.weekday])).toEqual([
      ['src', 2],
      ['other', 4],
      ['copy', 4],
      ['copy', 6],
    ]);
    next.shifts[2]!.requirements[0]!.minLevel = 5;
    expect(source.requirements[0]!.minLevel).toBe(1);
    expect(copyToWeekdays(draft, 'missing', [3])).toBe(draft);
  });

  it('makes the request: trimmed name and note, numbers, null for no note, in draft order', () => {
    const draft: Draft = {
      name: '  Summer week ',
      shifts: [
        row({ key: 'a', weekday: 6, start: '22:00', end: '03:00', breakMinutes: '', slots: ' 3 ', note: '  Festival  ' }),
        row({ key: 'b', requirements: [{ competencyId: COCKTAILS, minLevel: 2 }], note: '   ' }),
      ],
    };
    const { body, keys } = toRequest(draft);
    expect(keys).toEqual(['a', 'b']);
    expect(body).toEqual({
      name: 'Summer week',
      shifts: [
        { weekday: 6, positionId: BAR, start: '22:00', end: '03:00', breakMinutes: 0, slots: 3, requirements: [], note: 'Festival' },
        {
          weekday: 1,
          positionId: BAR,
          start: '17:00',
          end: '23:00',
          breakMinutes: 30,
          slots: 2,
          requirements: [{ competencyId: COCKTAILS, minLevel: 2 }],
          note: null,
        },
      ],
    } satisfies TemplateRequest);
  });

  it('fingerprints what is sent, not how it was typed', () => {
    const a: Draft = { name: 'Week', shifts: [row({ key: 'a', note: '' })] };
    const b: Draft = { name: ' Week ', shifts: [row({ key: 'b', note: '  ' })] };
    expect(fingerprint(a)).toBe(fingerprint(b));
    expect(fingerprint(a)).not.toBe(fingerprint({ ...a, shifts: [row({ end: '23:30' })] }));
  });
});

describe('checks', () => {
  it('accepts a sound row', () => {
    expect(checkShift(row(), positions(), competencyIds)).toEqual({});
    expect(checkShift(row({ start: '22:00', end: '06:00', breakMinutes: '' }), positions(), competencyIds)).toEqual({});
  });

  it('uses the server’s codes for every field', () => {
    const p = positions();
    expect(checkShift(row({ weekday: 8 }), p).weekday).toBe('invalid_weekday');
    expect(checkShift(row({ positionId: '' }), p).positionId).toBe('required');
    expect(checkShift(row({ positionId: DISHES }), p).positionId).toBe('unknown_position');
    expect(checkShift(row({ positionId: 'gone' }), p).positionId).toBe('unknown_position');
    expect(checkShift(row({ start: '' }), p).start).toBe('required');
    expect(checkShift(row({ start: '5pm' }), p).start).toBe('invalid_time');
    expect(checkShift(row({ end: '' }), p).end).toBe('required');
    expect(checkShift(row({ end: '17:00' }), p).end).toBe('end_equals_start');
    expect(checkShift(row({ start: '06:00', end: '22:01' }), p).end).toBe('too_long');
    expect(checkShift(row({ start: '06:00', end: '22:00' }), p).end).toBeUndefined();
    expect(checkShift(row({ breakMinutes: 'half' }), p).breakMinutes).toBe('not_a_number');
    expect(checkShift(row({ breakMinutes: '-1' }), p).breakMinutes).toBe('negative');
    expect(checkShift(row({ breakMinutes: '360' }), p).breakMinutes).toBe('longer_than_shift');
    expect(checkShift(row({ breakMinutes: '359' }), p).breakMinutes).toBeUndefined();
    expect(checkShift(row({ slots: '' }), p).slots).toBe('required');
    expect(checkShift(row({ slots: 'two' }), p).slots).toBe('not_a_number');
    expect(checkShift(row({ slots: '0' }), p).slots).toBe('at_least_one');
    expect(checkShift(row({ slots: '51' }), p).slots).toBe('too_many');
    expect(checkShift(row({ slots: '50' }), p).slots).toBeUndefined();
    expect(checkShift(row({ note: 'x'.repeat(501) }), p).note).toBe('too_long');
    expect(checkShift(row({ note: '🍸'.repeat(500) }), p).note).toBeUndefined();
  });

  it('checks requirements only against known competencies', () => {
    const p = positions();
    const req = (competencyId: string, minLevel: number) => ({ competencyId, minLevel });
    expect(checkShift(row({ requirements: [req(COCKTAILS, 0)] }), p, competencyIds).requirements).toBe('invalid_level');
    expect(checkShift(row({ requirements: [req(COCKTAILS, 6)] }), p, competencyIds).requirements).toBe('invalid_level');
    expect(checkShift(row({ requirements: [req('gone', 1)] }), p, competencyIds).requirements).toBe('unknown_competency');
    expect(
      checkShift(row({ requirements: [req(COCKTAILS, 1), req(COCKTAILS, 3)] }), p, competencyIds).requirements,
    ).toBe('duplicate_competency');
    expect(checkShift(row({ requirements: [req(COCKTAILS, 5), req(REGISTER, 1)] }), p, competencyIds)).toEqual({});
    // Without the list of competencies there is nothing to check them against.
    expect(checkShift(row({ requirements: [req('gone', 1)] }), p)).toEqual({});
  });

  it('checks a draft’s name and counts its errors', () => {
    const bad = row({ key: 'bad', end: '17:00', slots: '0' });
    const errors = checkDraft({ name: '  ', shifts: [row(), bad] }, positions(), competencyIds);
    expect(errors.name).toBe('required');
    expect(errors.rows).toEqual({ bad: { end: 'end_equals_start', slots: 'at_least_one' } });
    expect(errorCount(errors)).toBe(3);
    expect(checkDraft({ name: 'x'.repeat(81), shifts: [] }, positions()).name).toBe('too_long');
    expect(checkDraft({ name: '🍸'.repeat(80), shifts: [] }, positions()).name).toBeUndefined();
    const many = Array.from({ length: 301 }, (_, i) => row({ key: `r${i}` }));
    expect(checkDraft({ name: 'Week', shifts: many }, positions()).shifts).toBe('too_many');
    expect(errorCount(checkDraft({ name: 'Week', shifts: [row()] }, positions()))).toBe(0);
  });
});

describe('server errors', () => {
  it('puts `shifts[i].field` on the row that was sent as shift i', () => {
    const errors = fromServerFields(
      {
        name: 'taken',
        shifts: 'too_many',
        'shifts[1].end': 'end_equals_start',
        'shifts[1].slots': 'too_many',
        'shifts[0].requirements': 'unknown_competency',
        'shifts[7].start': 'invalid_time',
        'shifts[0].colour': 'weird',
        somethingElse: 'odd',
      },
      ['a', 'b'],
    );
    expect(errors.name).toBe('taken');
    expect(errors.shifts).toBe('too_many');
    expect(errors.rows).toEqual({
      a: { requirements: 'unknown_competency' },
      b: { end: 'end_equals_start', slots: 'too_many' },
    });
    // A row that was not sent, a field the editor does not have, a field that is not a shift's: for the banner.
    expect(errors.other).toEqual(['invalid_time', 'weird', 'odd']);
    expect(errorCount(errors)).toBe(8);
  });
});
