// /me/requests — the swap screen (self.service): swaps colleagues propose to me (both shifts side by side, Accept /
// Decline), colleagues' shifts on offer I can take (and the ones I took), my own claims, offers and swaps with
// their state (Withdraw while undecided), and my next shifts with "Offer or swap" to start a new one.
//
// Stable selectors: sections [data-testid="to-answer"], [data-testid="offers"], [data-testid="mine"],
// [data-testid="my-upcoming"]; a request card [data-testid="request"] (data-id, data-kind, data-status) with
// [data-testid="request-status"], [data-testid="give-shift"] / [data-testid="get-shift"] (a proposal's two shifts),
// [data-testid="swap-accept"], [data-testid="swap-decline"],
// [data-testid="offer-take"], [data-testid="request-withdraw"]; [data-testid="upcoming-shift"] (data-assignment-id)
// with [data-testid="offer-swap-open"] or [data-testid="request-open"].
import { useId, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useMyShifts } from '../../api/selfService';
import { PAST_DAYS, type MyShift } from '../../api/selfServiceTypes';
import { useMyRequests, useRequestStep, type CrewStep } from '../../api/shiftRequests';
import { isUndecided, type ShiftRequestItem } from '../../api/shiftRequestTypes';
import { Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { ConfirmDialog } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { OfferOrSwapDialog } from './OfferOrSwapDialog';
import { DecisionLine, NextDayMark, RequestStatusBadge, ShiftBlock, ShiftPair, TakeShiftDialog } from './requestParts';
import { endsNextDay, kindName, momentIn, requestErrorMessage, shiftTime, shiftWhen, useRequestText } from './requestText';
import { shortDay } from './selfText';
import './selfService.css';
import '../../styles/requests.css';

/** How many of my next shifts the start list shows. */
const UPCOMING_SHOWN = 5;

export function MyRequestsPage() {
  const { rt } = useRequestText();
  useTitle(rt('myRequests.title'));
  const requests = useMyRequests();

  return (
    <div className="page self-page req-page" data-testid="my-requests">
      <header className="page__header">
        <h1>{rt('myRequests.title')}</h1>
        <p className="muted">{rt('myRequests.intro')}</p>
      </header>
      <nav className="self-links req-links" aria-label={rt('sr.links')}>
        <Link className="button button--secondary self-links__link" to="/me/open-shifts">
          {rt('sr.link.openShifts')}
        </Link>
        <Link className="button button--secondary self-links__link" to="/me/shifts">
          {rt('sr.link.myShifts')}
        </Link>
      </nav>
      {requests.isPending ? (
        <Loading />
      ) : requests.isError ? (
        <LoadError error={requests.error} onRetry={() => void requests.refetch()} />
      ) : (
        <>
          <Section title={rt('myRequests.toAnswer')} testId="to-answer">
            <RequestList items={actionableFirst(requests.data.toAnswer, (r) => r.canAccept || r.canDecline)} empty={rt('myRequests.toAnswer.none')}>
              {(item) => <ProposalCard key={item.id} item={item} />}
            </RequestList>
          </Section>
          <Section title={rt('myRequests.offers')} testId="offers">
            <RequestList items={actionableFirst(requests.data.offers, (r) => r.canAccept)} empty={rt('myRequests.offers.none')}>
              {(item) => <OfferCard key={item.id} item={item} />}
            </RequestList>
          </Section>
          <Section title={rt('myRequests.mine')} testId="mine">
            <RequestList items={actionableFirst(requests.data.mine, (r) => isUndecided(r.status))} empty={rt('myRequests.mine.none')}>
              {(item) => <MyRequestCard key={item.id} item={item} />}
            </RequestList>
          </Section>
          <UpcomingSection mine={requests.data.mine} />
        </>
      )}
    </div>
  );
}

/** The ones the person can act on first, each group in the server's order. */
function actionableFirst(items: readonly ShiftRequestItem[], actionable: (item: ShiftRequestItem) => boolean): ShiftRequestItem[] {
  return [...items.filter(actionable), ...items.filter((i) => !actionable(i))];
}

function Section({ title, testId, children, aside }: { title: string; testId: string; children: ReactNode; aside?: ReactNode }) {
  const headingId = useId();
  return (
    <section className="section self-section" aria-labelledby={headingId} data-testid={testId}>
      <div className="self-section__head">
        <h2 id={headingId}>{title}</h2>
        {aside}
      </div>
      {children}
    </section>
  );
}

function RequestList({
  items,
  empty,
  children,
}: {
  items: ShiftRequestItem[];
  empty: string;
  children: (item: ShiftRequestItem) => ReactNode;
}) {
  if (items.length === 0) return <p className="card muted self-empty">{empty}</p>;
  return <ul className="self-cards">{items.map(children)}</ul>;
}

function CardShell({ item, children }: { item: ShiftRequestItem; children: ReactNode }) {
  return (
    <li className="self-card req-card" data-testid="request" data-id={item.id} data-kind={item.kind} data-status={item.status}>
      {children}
    </li>
  );
}

/** "Closes Tue, Dec 8, 14:00" for a request that can still move. */
function ClosesLine({ item }: { item: ShiftRequestItem }) {
  const { rt, locale } = useRequestText();
  if (!isUndecided(item.status)) return null;
  return <p className="small muted">{rt('sr.closes', { time: momentIn(locale, item.location.timezone, item.closesAt) })}</p>;
}

/** The toast after a step, by what the request became. */
function useStepDone() {
  const { rt } = useRequestText();
  const toast = useToast();
  return (step: CrewStep, result: ShiftRequestItem) => {
    if (step === 'decline') toast.success(rt('myRequests.done.declined'));
    else if (step === 'withdraw') toast.success(rt('myRequests.done.withdrawn'));
    else if (result.status === 'approved') toast.success(rt(result.kind === 'swap' ? 'myRequests.done.swapped' : 'myRequests.done.taken'));
    else toast.success(rt(result.kind === 'swap' ? 'myRequests.done.swapPending' : 'myRequests.done.takePending'));
  };
}

/** A swap a colleague proposes to me: what I give (my shift) and what I get (theirs). */
function ProposalCard({ item }: { item: ShiftRequestItem }) {
  const text = useRequestText();
  const { rt } = text;
  const toast = useToast();
  const step = useRequestStep();
  const done = useStepDone();
  const [acting, setActing] = useState<CrewStep | null>(null);
  const run = (which: CrewStep) => {
    setActing(which);
    step.mutate(
      { id: item.id, step: which },
      {
        onSuccess: (result) => done(which, result),
        onError: (error) => toast.error(requestErrorMessage(text, error, which)),
        onSettled: () => setActing(null),
      },
    );
  };
  const name = item.requester.name;
  return (
    <CardShell item={item}>
      <div className="self-card__head">
        <h3 className="self-card__title">{rt('myRequests.proposal.title', { name })}</h3>
        <RequestStatusBadge status={item.status} />
      </div>
      <p className="small muted">{item.location.name}</p>
      <ShiftPair
        left={item.targetShift ? <ShiftBlock shift={item.targetShift} caption={rt('sr.youGive')} testId="give-shift" /> : null}
        right={<ShiftBlock shift={item.shift} caption={rt('sr.youGet')} testId="get-shift" />}
      />
      <ClosesLine item={item} />
      {item.status === 'pending_approval' ? <p className="small">{rt('myRequests.proposal.awaitingManager')}</p> : null}
      <DecisionLine request={item} />
      {item.canAccept || item.canDecline ? (
        <div className="button-row req-actions">
          {item.canAccept ? (
            <Button
              onClick={() => run('accept')}
              busy={acting === 'accept'}
              disabled={step.isPending}
              data-testid="swap-accept"
              aria-label={rt('myRequests.proposal.acceptLabel', { name })}
            >
              {rt('myRequests.proposal.accept')}
            </Button>
          ) : null}
          {item.canDecline ? (
            <Button
              variant="secondary"
              onClick={() => run('decline')}
              busy={acting === 'decline'}
              disabled={step.isPending}
              data-testid="swap-decline"
              aria-label={rt('myRequests.proposal.declineLabel', { name })}
            >
              {rt('myRequests.proposal.decline')}
            </Button>
          ) : null}
        </div>
      ) : null}
    </CardShell>
  );
}

/** A colleague's offered shift: take it (after a question), or how the one I took stands. */
function OfferCard({ item }: { item: ShiftRequestItem }) {
  const text = useRequestText();
  const { rt } = text;
  const toast = useToast();
  const step = useRequestStep();
  const done = useStepDone();
  const [asking, setAsking] = useState(false);
  const name = item.requester.name;
  return (
    <CardShell item={item}>
      <div className="self-card__head">
        <h3 className="self-card__title">{rt('myRequests.offer.title', { name })}</h3>
        {item.canAccept ? null : <RequestStatusBadge status={item.status} />}
      </div>
      <ShiftBlock shift={item.shift} venue={item.location.name} />
      <ClosesLine item={item} />
      {!item.canAccept && item.taker ? <p className="small">{rt('myRequests.offer.youTook')}</p> : null}
      <DecisionLine request={item} />
      {item.canAccept ? (
        <div className="button-row req-actions">
          <Button onClick={() => setAsking(true)} data-testid="offer-take" aria-label={rt('myRequests.offer.takeLabel', { name })}>
            {rt('myRequests.offer.take')}
          </Button>
        </div>
      ) : null}
      {asking ? (
        <TakeShiftDialog
          shift={item.shift}
          venue={item.location.name}
          offeredBy={name}
          // Whether the venue's manager approves first is not in this list; the answer says which it was.
          needsApproval={null}
          busy={step.isPending}
          onConfirm={() =>
            step.mutate(
              { id: item.id, step: 'accept' },
              {
                onSuccess: (result) => done('accept', result),
                onError: (error) => toast.error(requestErrorMessage(text, error, 'take')),
                onSettled: () => setAsking(false),
              },
            )
          }
          onCancel={() => setAsking(false)}
        />
      ) : null}
    </CardShell>
  );
}

/** One of my own claims, offers and swaps. */
function MyRequestCard({ item }: { item: ShiftRequestItem }) {
  const text = useRequestText();
  const { rt, locale } = text;
  const step = useRequestStep();
  const done = useStepDone();
  const [confirming, setConfirming] = useState(false);
  const kind = kindName(text, item.kind);

  let title: string;
  let body: ReactNode;
  if (item.kind === 'swap') {
    const target = item.target?.name ?? '';
    title = rt('myRequests.mine.swap', { name: target });
    body = (
      <ShiftPair
        left={<ShiftBlock shift={item.shift} caption={rt('sr.youGive')} />}
        right={item.targetShift ? <ShiftBlock shift={item.targetShift} caption={rt('sr.youGetFrom', { name: target })} /> : null}
      />
    );
  } else if (item.kind === 'offer') {
    title = rt('myRequests.mine.offer');
    body = (
      <>
        <ShiftBlock shift={item.shift} />
        {item.taker ? <p className="small">{rt('myRequests.mine.takenBy', { name: item.taker.name })}</p> : null}
      </>
    );
  } else {
    title = rt('myRequests.mine.claim');
    body = <ShiftBlock shift={item.shift} />;
  }

  return (
    <CardShell item={item}>
      <div className="self-card__head">
        <h3 className="self-card__title">
          <span className="visually-hidden">{kind}: </span>
          {title}
        </h3>
        <RequestStatusBadge status={item.status} />
      </div>
      <p className="small muted">{item.location.name}</p>
      {body}
      <p className="small muted">{rt('sr.askedAt', { time: text.formatDateTime(item.createdAt) })}</p>
      <ClosesLine item={item} />
      <DecisionLine request={item} />
      {item.canWithdraw ? (
        <div className="button-row req-actions">
          <Button
            variant="secondary"
            onClick={() => setConfirming(true)}
            data-testid="request-withdraw"
            aria-label={rt('myRequests.withdrawLabel', { what: `${kind}, ${shiftWhen(locale, item.shift)}` })}
          >
            {rt('myRequests.withdraw')}
          </Button>
        </div>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          title={rt('myRequests.withdraw.title')}
          message={`${kind}: ${item.shift.positionName}, ${shortDay(locale, item.shift.date)} ${shiftTime(item.shift)}`}
          confirmLabel={rt('myRequests.withdraw.confirm')}
          busy={step.isPending}
          danger
          error={step.isError ? requestErrorMessage(text, step.error, 'withdraw') : undefined}
          onConfirm={() =>
            step.mutate(
              { id: item.id, step: 'withdraw' },
              {
                onSuccess: (result) => {
                  setConfirming(false);
                  done('withdraw', result);
                },
              },
            )
          }
          onCancel={() => {
            step.reset();
            setConfirming(false);
          }}
        />
      ) : null}
    </CardShell>
  );
}

/** My next shifts, each with "Offer or swap" (or a note that a request about it is open). */
function UpcomingSection({ mine }: { mine: readonly ShiftRequestItem[] }) {
  const { rt, locale } = useRequestText();
  const shifts = useMyShifts(PAST_DAYS);
  const [open, setOpen] = useState<MyShift | null>(null);
  const now = Date.now();
  const next = shifts.data
    ? [...shifts.data.todayShifts, ...shifts.data.upcoming]
        .filter((s) => new Date(s.startsAt).getTime() > now)
        .slice(0, UPCOMING_SHOWN)
    : [];
  // A shift with an offer or swap of mine still undecided: another one would be refused (`request_exists`).
  const busyShifts = new Set(
    mine.filter((r) => r.kind !== 'claim' && isUndecided(r.status)).map((r) => r.shift.shiftId),
  );

  return (
    <Section title={rt('myRequests.start')} testId="my-upcoming">
      <p className="muted small req-section-intro">{rt('myRequests.start.intro')}</p>
      {shifts.isPending ? (
        <Loading />
      ) : shifts.isError ? (
        <LoadError error={shifts.error} onRetry={() => void shifts.refetch()} />
      ) : next.length === 0 ? (
        <p className="card muted self-empty">{rt('myRequests.start.none')}</p>
      ) : (
        <ul className="self-list">
          {next.map((shift) => (
            <li key={shift.assignmentId} className="self-list__item" data-testid="upcoming-shift" data-assignment-id={shift.assignmentId}>
              <div className="self-list__main">
                <p className="self-list__title">
                  {shiftWhen(locale, shift)}
                  {endsNextDay(shift) ? <> <NextDayMark /></> : null}
                </p>
                <p className="small muted">
                  {shift.positionName} · {shift.location.name}
                </p>
              </div>
              {busyShifts.has(shift.shiftId) ? (
                <span className="badge badge--req-open" data-testid="request-open">
                  {rt('myRequests.start.requestOpen')}
                </span>
              ) : (
                <Button
                  variant="secondary"
                  onClick={() => setOpen(shift)}
                  data-testid="offer-swap-open"
                  aria-label={rt('myRequests.start.buttonLabel', { shift: `${shift.positionName}, ${shiftWhen(locale, shift)}` })}
                >
                  {rt('myRequests.start.button')}
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
      {open ? <OfferOrSwapDialog shift={open} onClose={() => setOpen(null)} /> : null}
    </Section>
  );
}
