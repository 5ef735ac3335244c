// /me/open-shifts — open places in the published weeks of my venues (four weeks ahead) and shifts colleagues offer
// (self.service). Each card says what the rule engine thinks of me on it: eligible → "Claim" (or "Take shift" for
// an offer) with a hint when a manager approves first; not eligible → the reasons, no button. "I'd take this"
// marks interest (managers see interested people first); a claim waiting for approval says so.
//
// Stable selectors: [data-testid="open-shift"] a card (data-shift-id, data-kind = claim | offer, data-eligible,
// data-pending), inside it [data-testid="claim-button"] / [data-testid="take-offer"], [data-testid="offer-badge"],
// [data-testid="needs-approval"] / [data-testid="no-approval"], [data-testid="warnings"], [data-testid="claim-pending"],
// [data-testid="refused"] with the reasons,
// [data-testid="interest-toggle"] (aria-pressed); [data-testid="take-dialog"] and [data-testid="take-confirm"].
import { useState } from 'react';
import { Link } from 'react-router';
import { useClaimShift, useOpenShifts, useRequestStep, useSetInterest } from '../../api/shiftRequests';
import type { OpenShiftItem, ShiftRequestItem } from '../../api/shiftRequestTypes';
import { Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useToast } from '../../components/toast';
import { ReasonList } from '../scheduling/week/ReasonList';
import { NextDayMark, TakeShiftDialog } from './requestParts';
import { endsNextDay, momentIn, requestErrorMessage, shiftTime, useRequestText } from './requestText';
import { longDay, shortDay } from './selfText';
import './selfService.css';
import '../../styles/requests.css';

export function OpenShiftsPage() {
  const { rt } = useRequestText();
  useTitle(rt('openShifts.title'));
  const open = useOpenShifts();

  return (
    <div className="page self-page req-page" data-testid="open-shifts">
      <header className="page__header">
        <h1>{rt('openShifts.title')}</h1>
        <p className="muted">{rt('openShifts.intro')}</p>
      </header>
      <nav className="self-links req-links" aria-label={rt('sr.links')}>
        <Link className="button button--secondary self-links__link" to="/me/requests">
          {rt('sr.link.myRequests')}
        </Link>
        <Link className="button button--secondary self-links__link" to="/me/shifts">
          {rt('sr.link.myShifts')}
        </Link>
      </nav>
      {open.isPending ? (
        <Loading />
      ) : open.isError ? (
        <LoadError error={open.error} onRetry={() => void open.refetch()} />
      ) : open.data.items.length === 0 ? (
        <div className="card empty-state" data-testid="no-open-shifts">
          <p className="empty-state__lead">{rt('openShifts.empty.title')}</p>
          <p className="muted">{rt('openShifts.empty.body')}</p>
        </div>
      ) : (
        <OpenShiftDays items={open.data.items} />
      )}
    </div>
  );
}

/** The items by their (local) date, earliest first. */
function byDay(items: readonly OpenShiftItem[]): { date: string; items: OpenShiftItem[] }[] {
  const sorted = [...items].sort((a, b) => a.shift.startsAt.localeCompare(b.shift.startsAt));
  const groups: { date: string; items: OpenShiftItem[] }[] = [];
  for (const item of sorted) {
    const last = groups[groups.length - 1];
    if (last && last.date === item.shift.date) last.items.push(item);
    else groups.push({ date: item.shift.date, items: [item] });
  }
  return groups;
}

function OpenShiftDays({ items }: { items: readonly OpenShiftItem[] }) {
  const { locale } = useRequestText();
  return (
    <ol className="self-days">
      {byDay(items).map((day) => (
        <li key={day.date} className="self-days__item">
          <h2 className="self-days__title">{longDay(locale, day.date)}</h2>
          <ul className="self-cards">
            {day.items.map((item) => (
              <OpenShiftCard key={item.offer ? `offer-${item.offer.requestId}` : `claim-${item.shift.shiftId}`} item={item} />
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

function OpenShiftCard({ item }: { item: OpenShiftItem }) {
  const text = useRequestText();
  const { rt, rtp, locale } = text;
  const toast = useToast();
  const claim = useClaimShift();
  const take = useRequestStep();
  const [asking, setAsking] = useState(false);
  const { shift, location, offer } = item;
  const pending = !!item.pendingClaimId;
  const warnings = item.reasons.filter((r) => r.severity === 'warning');
  const busy = claim.isPending || take.isPending;

  const done = (request: ShiftRequestItem) => {
    setAsking(false);
    const what = `${shift.positionName}, ${shortDay(locale, shift.date)} ${shiftTime(shift)}`;
    if (request.status === 'approved') toast.success(rt('openShifts.done.yours', { shift: what }));
    else if (offer) toast.success(rt('openShifts.done.takePending', { shift: what }));
    else toast.success(rt('openShifts.done.claimPending', { shift: what }));
  };
  const failed = (error: unknown) => {
    setAsking(false);
    toast.error(requestErrorMessage(text, error, offer ? 'take' : 'claim'));
  };
  const confirm = () => {
    if (offer) take.mutate({ id: offer.requestId, step: 'accept' }, { onSuccess: done, onError: failed });
    else claim.mutate(shift.shiftId, { onSuccess: done, onError: failed });
  };

  return (
    <li
      className={item.eligible ? 'self-card req-open' : 'self-card req-open is-refused'}
      data-testid="open-shift"
      data-shift-id={shift.shiftId}
      data-kind={offer ? 'offer' : 'claim'}
      data-eligible={String(item.eligible)}
      data-pending={String(pending)}
    >
      <div className="self-card__head">
        <h3 className="self-card__title">
          {shift.positionName} · {location.name}
        </h3>
        {offer ? (
          <span className="badge badge--req-offer" data-testid="offer-badge">
            {rt('openShifts.offeredBy', { name: offer.by })}
          </span>
        ) : null}
      </div>
      <p className="self-card__time">
        <span>{`${shortDay(locale, shift.date)} · ${shiftTime(shift)}`}</span>
        {endsNextDay(shift) ? <NextDayMark /> : null}
      </p>
      <p className="self-card__facts small">
        {offer ? null : <span>{rtp('openShifts.slots', item.openSlots)}</span>}
        <span>{rt('openShifts.closes', { time: momentIn(locale, location.timezone, item.closesAt) })}</span>
      </p>
      {item.note ? (
        <p className="self-card__note small">
          <span className="visually-hidden">{rt('openShifts.note')}: </span>
          {item.note}
        </p>
      ) : null}

      {!item.eligible ? (
        <div className="req-refused" data-testid="refused">
          <p className="small req-refused__lead">{offer ? rt('openShifts.refusedOffer') : rt('openShifts.refused')}</p>
          <ReasonList reasons={item.reasons} timeZone={location.timezone} />
        </div>
      ) : pending ? (
        <p className="req-waiting" data-testid="claim-pending">
          {rt('openShifts.pending')}
        </p>
      ) : (
        <>
          {warnings.length > 0 ? (
            <div className="req-warnings" data-testid="warnings">
              <p className="small req-warnings__lead">{rt('openShifts.warnings')}</p>
              <ReasonList reasons={warnings} timeZone={location.timezone} />
            </div>
          ) : null}
          <div className="button-row req-actions">
            <Button data-testid={offer ? 'take-offer' : 'claim-button'} onClick={() => setAsking(true)} disabled={busy}>
              {offer ? rt('openShifts.take') : rt('openShifts.claim')}
            </Button>
          </div>
          <p className="small muted" data-testid={item.needsApproval ? 'needs-approval' : 'no-approval'}>
            {item.needsApproval ? rt('openShifts.needsApproval') : rt('openShifts.noApproval')}
          </p>
        </>
      )}

      {offer || pending ? null : <InterestToggle item={item} />}

      {asking ? (
        <TakeShiftDialog
          shift={shift}
          venue={location.name}
          offeredBy={offer ? offer.by : null}
          needsApproval={item.needsApproval}
          busy={busy}
          onConfirm={confirm}
          onCancel={() => setAsking(false)}
        />
      ) : null}
    </li>
  );
}

/** "I'd take this": interest in an open place, which managers see when they fill it. */
function InterestToggle({ item }: { item: OpenShiftItem }) {
  const text = useRequestText();
  const { rt } = text;
  const toast = useToast();
  const interest = useSetInterest();
  const on = item.interested;
  return (
    <div className="req-interest">
      <button
        type="button"
        className={on ? 'button button--secondary req-interest__toggle is-on' : 'button button--secondary req-interest__toggle'}
        aria-pressed={on}
        data-testid="interest-toggle"
        onClick={() =>
          interest.mutate(
            { shiftId: item.shift.shiftId, interested: !on },
            { onError: (error) => toast.error(requestErrorMessage(text, error, 'claim')) },
          )
        }
      >
        <span className="req-interest__mark" aria-hidden="true">
          {on ? '★' : '☆'}
        </span>
        {rt('openShifts.interest')}
      </button>
      <p className="small muted req-interest__hint">{on ? rt('openShifts.interestOn') : rt('openShifts.interestHint')}</p>
    </div>
  );
}
