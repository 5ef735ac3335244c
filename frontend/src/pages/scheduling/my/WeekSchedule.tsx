// The body of "My schedule" for one published week: a summary of the caller's own shifts, then one card per
// day with its shifts (times in the location's zone as the server gives them, a "+1 day" mark for shifts
// that end after midnight, who works them, open places and the note). Read-only.
import { useId } from 'react';
import type { PublishedSchedule, PublishedShift } from '../../../api/schedulingTypes';
import { useI18n } from '../../../i18n/I18nProvider';
import { minutesToHours } from '../../crew/crewText';
import { todayInZone, useZonedFormat } from '../../hiring/zonedTime';
import { dayHeading, endDayOffset, mySummary, shiftsByDay, type ScheduleDay } from './model';

export function WeekSchedule({ schedule, meId }: { schedule: PublishedSchedule; meId: string }) {
  const { t, tp, locale } = useI18n();
  const zoned = useZonedFormat();
  const timeZone = schedule.location.timezone;
  const summary = mySummary(schedule.shifts);
  const days = shiftsByDay(schedule);
  const today = todayInZone(timeZone);
  const daysId = useId();

  return (
    <>
      <section className="card my-summary" aria-live="polite">
        <p className="my-summary__text">
          {summary.shifts === 0
            ? t('mySchedule.summaryNone')
            : tp('mySchedule.summary', summary.shifts, {
                hours: tp('mySchedule.hours', minutesToHours(summary.minutes)),
              })}
        </p>
        {schedule.publishedAt ? (
          <p className="muted small my-summary__published">
            {t('mySchedule.published', { time: zoned.dateTime(schedule.publishedAt, timeZone) })}
          </p>
        ) : null}
      </section>

      <section aria-labelledby={daysId}>
        <h2 id={daysId} className="visually-hidden">
          {t('mySchedule.days')}
        </h2>
        <ol className="my-days">
          {days.map((day) => (
            <li key={day.date} className="my-days__item">
              <Day day={day} isToday={day.date === today} timeZone={timeZone} meId={meId} locale={locale} />
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

function Day({
  day,
  isToday,
  timeZone,
  meId,
  locale,
}: {
  day: ScheduleDay;
  isToday: boolean;
  timeZone: string;
  meId: string;
  locale: string;
}) {
  const { t } = useI18n();
  const headingId = useId();
  const mine = day.shifts.some((s) => s.mine);
  const classes = ['card', 'my-day', isToday ? 'is-today' : '', mine ? 'has-mine' : ''].filter(Boolean).join(' ');
  return (
    <section className={classes} aria-labelledby={headingId} data-date={day.date} aria-current={isToday ? 'date' : undefined}>
      <header className="my-day__head">
        <h3 id={headingId} className="my-day__title">
          {dayHeading(locale, day.date)}
        </h3>
        {isToday ? <span className="badge badge--today">{t('mySchedule.today')}</span> : null}
      </header>
      {day.shifts.length === 0 ? (
        <p className="muted small my-day__empty">{t('mySchedule.noShifts')}</p>
      ) : (
        <ul className="my-shifts">
          {day.shifts.map((shift) => (
            <Shift key={shift.id} shift={shift} timeZone={timeZone} meId={meId} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Shift({ shift, timeZone, meId }: { shift: PublishedShift; timeZone: string; meId: string }) {
  const { t, tp, locale } = useI18n();
  const later = endDayOffset(shift, timeZone);
  const names = shift.people.map((p) => (p.id === meId ? t('mySchedule.you', { name: p.name }) : p.name));
  return (
    <li
      className={shift.mine ? 'my-shift is-mine' : 'my-shift'}
      data-testid="published-shift"
      data-mine={shift.mine ? 'true' : 'false'}
      data-shift-id={shift.id}
      data-date={shift.date}
    >
      <div className="my-shift__head">
        <p className="my-shift__time">
          <span>
            {shift.localStart}–{shift.localEnd}
          </span>
          {later > 0 ? (
            <span className="my-shift__later" title={tp('mySchedule.endsLaterHint', later)}>
              <span aria-hidden="true">{tp('mySchedule.endsLater', later)}</span>
              <span className="visually-hidden">{tp('mySchedule.endsLaterHint', later)}</span>
            </span>
          ) : null}
        </p>
        {shift.mine ? <span className="badge badge--mine">{t('mySchedule.yourShift')}</span> : null}
      </div>
      <p className="my-shift__position">{shift.positionName}</p>
      <p className="my-shift__people">
        <span className="visually-hidden">{t('mySchedule.people')}: </span>
        {names.length > 0 ? names.join(', ') : <span className="muted">{t('mySchedule.nobody')}</span>}
      </p>
      {shift.open > 0 || shift.breakMinutes > 0 ? (
        <p className="my-shift__facts small">
          {shift.open > 0 ? <span className="my-shift__open">{tp('mySchedule.open', shift.open)}</span> : null}
          {shift.breakMinutes > 0 ? (
            <span className="muted">
              {t('mySchedule.break', { minutes: new Intl.NumberFormat(locale).format(shift.breakMinutes) })}
            </span>
          ) : null}
        </p>
      ) : null}
      {shift.note ? (
        <p className="my-shift__note small">
          <span className="visually-hidden">{t('mySchedule.note')}: </span>
          {shift.note}
        </p>
      ) : null}
    </li>
  );
}

