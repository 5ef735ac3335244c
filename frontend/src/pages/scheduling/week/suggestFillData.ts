// Fixtures of the "Suggest fill" tests, on top of testData.ts (Café De Haven, week 2026-W10): a second venue of the
// same manager with a draft of that week (De Kade), a third without one (Bar Zuid), and a proposal over both
// drafts — Noor borrowed from De Kade on Monday, Eva on Saturday with a warning, one Saturday slot nobody fits,
// and Jan at De Kade on Friday.
import type { AutofillSettings, FillSuggestionItem, FillProposal } from '../../../api/autofillTypes';
import type { Location } from '../../../api/types';
import { eva, jan, LOC, reason, S_MON, S_SAT, summary, venue, WEEK, WEEK_ID } from './testData';

export const KADE = '10000000-0000-4000-8000-000000000002';
export const ZUID = '10000000-0000-4000-8000-000000000003';
export const KADE_WEEK_ID = '50000000-0000-4000-8000-000000000020';
export const K_FRI = '70000000-0000-4000-8000-000000000020';
export const NOOR = '30000000-0000-4000-8000-000000000009';

const other = (id: string, name: string, code: string): Location => ({
  ...venue,
  id,
  name,
  applicationCode: code,
  applicationUrl: `https://crew.example.nl/apply/${code}`,
});
export const kade = other(KADE, 'De Kade', 'KADE01');
export const zuid = other(ZUID, 'Bar Zuid', 'ZUID01');

const haven = { id: LOC, name: venue.name, timezone: venue.timezone };
const kadeRef = { id: KADE, name: kade.name, timezone: kade.timezone };

/** De Kade's weeks around W10: a draft of W10 with 4 slots, 3 filled. */
export function kadeWeeks() {
  const week = summary(WEEK, 'draft');
  return [{ ...week, week: { ...week.week, id: KADE_WEEK_ID, locationId: KADE }, shifts: 3, slots: 4, filled: 3 }];
}

export const noorOnMonday: FillSuggestionItem = {
  shiftId: S_MON,
  weekId: WEEK_ID,
  location: haven,
  positionName: 'Bartender',
  date: '2026-03-02',
  startsAt: '2026-03-02T17:00:00Z',
  endsAt: '2026-03-02T22:00:00Z',
  localStart: '18:00',
  localEnd: '23:00',
  person: { id: NOOR, name: 'Noor Bakker', role: 'crew_member' },
  borrowedFrom: kadeRef,
  why: [
    { code: 'contract_hours', points: 8, weekMinutesAfter: 1440, contractMinutes: 1920 },
    { code: 'borrowed', points: -2, fromLocationId: KADE },
  ],
  warnings: [],
};

export const evaOnSaturday: FillSuggestionItem = {
  shiftId: S_SAT,
  weekId: WEEK_ID,
  location: haven,
  positionName: 'Waiter',
  date: '2026-03-07',
  startsAt: '2026-03-07T11:00:00Z',
  endsAt: '2026-03-07T17:00:00Z',
  localStart: '12:00',
  localEnd: '18:00',
  person: eva,
  borrowedFrom: null,
  why: [
    { code: 'interested', points: 6 },
    { code: 'preferred', points: 5 },
    { code: 'fair_spread', points: 4, lateNights: 1, weekends: 2 },
  ],
  warnings: [reason('over_contract_hours', 'warning', '12 h this week, contract 10 h.')],
};

export const janAtKade: FillSuggestionItem = {
  shiftId: K_FRI,
  weekId: KADE_WEEK_ID,
  location: kadeRef,
  positionName: 'Bartender',
  date: '2026-03-06',
  startsAt: '2026-03-06T19:00:00Z',
  endsAt: '2026-03-07T01:00:00Z',
  localStart: '20:00',
  localEnd: '02:00',
  person: jan,
  borrowedFrom: null,
  why: [{ code: 'home_venue', points: 5 }],
  warnings: [],
};

export function proposal(overrides: Partial<FillProposal> = {}): FillProposal {
  return {
    isoWeek: WEEK,
    weeks: [
      { weekId: WEEK_ID, location: haven, version: 7 },
      { weekId: KADE_WEEK_ID, location: kadeRef, version: 3 },
    ],
    suggestions: [noorOnMonday, evaOnSaturday, janAtKade],
    open: [
      {
        shiftId: S_SAT,
        weekId: WEEK_ID,
        location: haven,
        positionName: 'Waiter',
        date: '2026-03-07',
        startsAt: '2026-03-07T11:00:00Z',
        endsAt: '2026-03-07T17:00:00Z',
        localStart: '12:00',
        localEnd: '18:00',
        openSlots: 1,
        candidates: 6,
        reasons: [
          { code: 'time_off', count: 3 },
          { code: 'unavailable', count: 2 },
          { code: 'rest_too_short', count: 1 },
          { code: 'position', count: 4 },
        ],
      },
    ],
    score: 123,
    stoppedEarly: true,
    solveMs: 1900,
    openBefore: 4,
    filled: 3,
    ...overrides,
  };
}

export const savedSettings: AutofillSettings = {
  allowBorrowing: false,
  weights: { contractHours: 8, preferred: 5, interest: 6, fairSpread: 4, competencyMargin: 2, homeVenue: 5, fewSplitDays: 3 },
};
