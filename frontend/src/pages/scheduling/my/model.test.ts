import { describe, expect, it } from 'vitest';
import type { PublishedShift } from '../../../api/schedulingTypes';
import { endDayOffset, mySummary, paidMinutes, shiftsByDay } from './model';

function shift(overrides: Partial<PublishedShift> = {}): PublishedShift {
  return {
    id: 's1',
    date: '2026-06-15',
    positionName: 'Bar',
    startsAt: '2026-06-15T07:00:00Z',
    endsAt: '2026-06-15T15:00:00Z',
    localStart: '09:00',
    localEnd: '17:00',
    breakMinutes: 30,
    slots: 1,
    open: 0,
    note: null,
    people: [],
    mine: true,
    ...overrides,
  };
}

describe('paid time', () => {
  it('is end minus start minus the break', () => {
    expect(paidMinutes(shift())).toBe(450);
  });

  it('counts the real length of a night with a clock change', () => {
    // 25 October 2026, Amsterdam: 22:00 CEST to 06:00 CET is nine hours.
    const night = shift({ date: '2026-10-24', startsAt: '2026-10-24T20:00:00Z', endsAt: '2026-10-25T05:00:00Z', breakMinutes: 0 });
    expect(paidMinutes(night)).toBe(540);
  });

  it('sums only my shifts', () => {
    expect(mySummary([shift(), shift({ id: 's2', mine: false }), shift({ id: 's3', breakMinutes: 0 })])).toEqual({
      shifts: 2,
      minutes: 930,
    });
  });
});

describe('endDayOffset', () => {
  it("is the number of days after the start date the shift ends, in the location's zone", () => {
    expect(endDayOffset(shift(), 'Europe/Amsterdam')).toBe(0);
    const night = shift({ startsAt: '2026-06-15T20:00:00Z', endsAt: '2026-06-16T00:30:00Z', localStart: '22:00', localEnd: '02:30' });
    expect(endDayOffset(night, 'Europe/Amsterdam')).toBe(1);
    // The same instants end on the start date in New York.
    expect(endDayOffset({ ...night, date: '2026-06-15' }, 'America/New_York')).toBe(0);
  });

  it('falls back on the clock times for an unknown zone', () => {
    expect(endDayOffset(shift({ localStart: '22:00', localEnd: '02:00' }), 'Mars/Olympus_Mons')).toBe(1);
    expect(endDayOffset(shift(), 'Mars/Olympus_Mons')).toBe(0);
  });
});

describe('shiftsByDay', () => {
  it('puts the shifts on their days by start time, with the ISO week when the server sent no days', () => {
    const days = shiftsByDay({
      isoWeek: '2026-W25',
      days: [],
      shifts: [
        shift({ id: 'late', startsAt: '2026-06-15T16:00:00Z' }),
        shift({ id: 'early' }),
        shift({ id: 'sunday', date: '2026-06-21' }),
      ],
    });
    expect(days.map((d) => d.date)).toEqual([
      '2026-06-15',
      '2026-06-16',
      '2026-06-17',
      '2026-06-18',
      '2026-06-19',
      '2026-06-20',
      '2026-06-21',
    ]);
    expect(days[0]?.shifts.map((s) => s.id)).toEqual(['early', 'late']);
    expect(days[6]?.shifts.map((s) => s.id)).toEqual(['sunday']);
  });
});
