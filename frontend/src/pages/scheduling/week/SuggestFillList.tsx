// The proposal as a list: per venue (when several were filled), the suggestions day by day — each with a check
// box, the person, the shift, "borrowed from …", why this person (the soft terms with their figures and points)
// and the rule engine's warnings (in the venue's clock) — then the shifts left open with why nobody fits (the refusal counts).
import { createElement } from 'react';
import type { FillOpenShift, FillSuggestionItem, FillWeek, FillProposal } from '../../../api/autofillTypes';
import { useI18n } from '../../../i18n/I18nProvider';
import { ReasonList } from './ReasonList';
import type { FillState } from './SuggestFillState';
import { fillShiftLabel, nobodyFitsText, pointsText, whyText } from './SuggestFillText';
import { dayLabel } from './weekText';

type Level = 3 | 4;

function Heading({ level, className, children }: { level: Level; className: string; children: string }) {
  return createElement(`h${level}`, { className }, children);
}

function byTime(a: { date: string; localStart: string; localEnd: string }, b: typeof a): number {
  return a.date.localeCompare(b.date) || a.localStart.localeCompare(b.localStart) || a.localEnd.localeCompare(b.localEnd);
}

/** The venues of the proposal, the week on screen first, each with its suggestions and open shifts. */
export function groupByVenue(proposal: FillProposal, currentWeekId: string) {
  const weeks: FillWeek[] = [...proposal.weeks];
  // A week named only by its suggestions or open shifts still gets a group (the server should list it).
  for (const item of [...proposal.suggestions, ...proposal.open]) {
    if (!weeks.some((w) => w.weekId === item.weekId)) weeks.push({ weekId: item.weekId, location: item.location, version: 0 });
  }
  weeks.sort((a, b) => Number(b.weekId === currentWeekId) - Number(a.weekId === currentWeekId));
  return weeks.map((week) => ({
    week,
    suggestions: proposal.suggestions.filter((s) => s.weekId === week.weekId).sort((a, b) => byTime(a, b) || a.person.name.localeCompare(b.person.name)),
    open: proposal.open.filter((o) => o.weekId === week.weekId).sort(byTime),
  }));
}

export function ProposalList({ proposal, fill }: { proposal: FillProposal; fill: FillState }) {
  const { t } = useI18n();
  const groups = groupByVenue(proposal, fill.weekId);
  const several = groups.length > 1;
  const level: Level = several ? 4 : 3;
  return (
    <div className="suggest-list">
      {groups.map(({ week, suggestions, open }) => (
        <section key={week.weekId} className="suggest-venue-group" data-location-id={week.location.id} data-week-id={week.weekId}>
          {several ? <h3 className="suggest-venue-group__title">{week.location.name}</h3> : null}
          {suggestions.length === 0 ? <p className="muted">{t('autofill.list.noSuggestions')}</p> : null}
          <DayGroups suggestions={suggestions} fill={fill} level={level} />
          {open.length > 0 ? (
            <div className="suggest-unfilled">
              <Heading level={level} className="suggest-list__day">
                {t('autofill.unfilled.title')}
              </Heading>
              <ul className="suggest-unfilled__list">
                {open.map((o) => (
                  <Unfilled key={o.shiftId} open={o} />
                ))}
              </ul>
            </div>
          ) : suggestions.length > 0 ? (
            <p className="muted small">{t('autofill.unfilled.none')}</p>
          ) : null}
        </section>
      ))}
    </div>
  );
}

function DayGroups({
  suggestions,
  fill,
  level,
}: {
  suggestions: readonly FillSuggestionItem[];
  fill: FillState;
  level: Level;
}) {
  const { locale } = useI18n();
  const dates = [...new Set(suggestions.map((s) => s.date))];
  return (
    <>
      {dates.map((date) => (
        <div key={date} className="suggest-day" data-date={date}>
          <Heading level={level} className="suggest-list__day">
            {dayLabel(locale, date, 'long')}
          </Heading>
          <ul className="suggest-day__list">
            {suggestions
              .filter((s) => s.date === date)
              .map((s) => (
                <SuggestionItem key={`${s.shiftId}-${s.person.id}`} suggestion={s} fill={fill} />
              ))}
          </ul>
        </div>
      ))}
    </>
  );
}

function SuggestionItem({ suggestion: s, fill }: { suggestion: FillSuggestionItem; fill: FillState }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const on = fill.isSelected(s);
  const borrowed = s.borrowedFrom?.name ?? null;
  // The badge already says where a borrowed person comes from.
  const why = s.why.filter((w) => !(w.code === 'borrowed' && borrowed));
  return (
    <li
      className={on ? 'suggestion is-included' : 'suggestion'}
      data-testid="suggestion"
      data-shift-id={s.shiftId}
      data-user-id={s.person.id}
      data-location-id={s.location.id}
    >
      <label className="suggestion__toggle">
        <input
          type="checkbox"
          className="checkbox"
          checked={on}
          onChange={(e) => fill.toggle(s, e.target.checked)}
          aria-label={t('autofill.include', { name: s.person.name, shift: fillShiftLabel(i18n, s) })}
        />
        <span className="suggestion__name">{s.person.name}</span>
        <span className="suggestion__shift">
          {s.localStart}–{s.localEnd} · {s.positionName || t('week.unknownPosition')}
        </span>
      </label>
      {borrowed ? <p className="suggestion__borrowed">{t('autofill.borrowedFrom', { location: borrowed })}</p> : null}
      {why.length > 0 ? (
        <ul className="why-list" aria-label={t('autofill.why.label', { name: s.person.name })}>
          {why.map((w, i) => (
            <li key={`${w.code}-${i}`} className={w.points < 0 ? 'why is-against' : 'why'} data-code={w.code}>
              <span className="why__text">{whyText(i18n, w, borrowed)}</span>{' '}
              <span className="why__points" title={t('autofill.why.points', { points: w.points })}>
                <span aria-hidden="true">{pointsText(locale, w.points)}</span>
                <span className="visually-hidden">{t('autofill.why.points', { points: w.points })}</span>
              </span>
            </li>
          ))}
        </ul>
      ) : null}
      {s.warnings.length > 0 ? <ReasonList reasons={s.warnings} timeZone={s.location.timezone} className="suggestion__warnings" /> : null}
    </li>
  );
}

function Unfilled({ open }: { open: FillOpenShift }) {
  const i18n = useI18n();
  const { t, tp } = i18n;
  const counted = open.reasons.filter((r) => r.count > 0);
  return (
    <li className="unfilled" data-testid="unfilled" data-shift-id={open.shiftId} data-codes={counted.map((r) => r.code).join(' ')}>
      <p className="unfilled__shift">
        <span className="unfilled__label">{fillShiftLabel(i18n, open)}</span>{' '}
        <span className="unfilled__slots">{tp('autofill.unfilled.slots', open.openSlots)}</span>
      </p>
      <p className="unfilled__why">
        {counted.length > 0
          ? nobodyFitsText(i18n, counted)
          : open.candidates === 0
            ? t('autofill.unfilled.noCandidates')
            : t('autofill.unfilled.allBusy')}
      </p>
      <p className="muted small">{tp('autofill.unfilled.candidates', open.candidates)}</p>
    </li>
  );
}
