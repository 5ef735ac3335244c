// The inbox section of claims, offers and swaps at one location, for managers and floor managers (requests.view;
// deciding needs requests.approve): requests waiting for approval first, with both shifts and the people, then the
// ones still waiting for a colleague, and behind a switch the decided ones. Approve (an optional reason, the rules
// are checked again on the state of that moment) or deny (a reason is required: the people read it); tick several
// and "Approve selected" approves each on its own and lists the ones left with why.
//
// Embed it in the inbox page: <ShiftRequestsSection locationId={location.id} />.
//
// Stable selectors: [data-testid="inbox-shift-requests"] the section, [data-testid="shift-requests-pending-count"],
// [data-testid="show-decided"] (checkbox); [data-testid="shift-request"] a request (data-id, data-kind,
// data-status) with [data-testid="request-select"], [data-testid="request-approve"], [data-testid="request-deny"];
// the groups [data-testid="shift-requests-waiting"], [data-testid="shift-requests-colleagues"],
// [data-testid="shift-requests-decided"]; [data-testid="request-closed"], [data-testid="manager-decides"];
// [data-testid="bulk-bar"] with [data-testid="select-all"] and [data-testid="approve-selected"];
// [data-testid="bulk-result"] with [data-testid="not-approved"] (data-id, data-code) lines;
// [data-testid="shift-decision-dialog"] and its [data-testid="decision-confirm"].
import { useId, useState, type ReactNode } from 'react';
import { isApiError } from '../../api/client';
import { hasPermission } from '../../api/permissions';
import { useMe } from '../../api/queries';
import {
  useApproveShiftRequests,
  useDecideShiftRequest,
  useLocationShiftRequests,
  type Decision,
} from '../../api/shiftRequests';
import {
  BULK_APPROVE_MAX,
  isUndecided,
  STEP_REASON_MAX,
  type BulkApproveResult,
  type ShiftRequestItem,
} from '../../api/shiftRequestTypes';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { TextAreaField } from '../../components/fields';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { DecisionLine, RequestStatusBadge, ShiftBlock, ShiftPair } from '../selfservice/requestParts';
import {
  kindName,
  momentIn,
  notApprovedMessage,
  requestErrorMessage,
  shiftWhen,
  useRequestText,
  type RequestI18n,
} from '../selfservice/requestText';
import '../selfservice/selfService.css';
import '../../styles/requests.css';

interface BulkOutcome {
  result: BulkApproveResult;
  /** The requests as they were when approved, to name the ones left after the list has moved on. */
  asked: Record<string, ShiftRequestItem>;
}

export function ShiftRequestsSection({ locationId }: { locationId: string }) {
  const text = useRequestText();
  const { rt, rtp } = text;
  const toast = useToast();
  const me = useMe().data;
  const canDecide = hasPermission(me, 'requests.approve');
  const headingId = useId();
  const [showDecided, setShowDecided] = useState(false);
  const list = useLocationShiftRequests(locationId, showDecided);
  const bulk = useApproveShiftRequests();
  const [selected, setSelected] = useState<readonly string[]>([]);
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);

  const items = list.data ?? [];
  const waiting = items.filter((i) => i.status === 'pending_approval');
  const withColleagues = items.filter((i) => i.status === 'open' || i.status === 'pending_colleague');
  const decided = items.filter((i) => !isUndecided(i.status));
  const approvable = waiting.filter((i) => i.canApprove);
  // Only what is still on the list and approvable counts as chosen.
  const chosen = selected.filter((id) => approvable.some((i) => i.id === id));
  const allChosen = approvable.length > 0 && chosen.length === approvable.length;

  const toggle = (id: string, on: boolean) =>
    setSelected((current) => (on ? [...current.filter((x) => x !== id), id] : current.filter((x) => x !== id)));

  const approveSelected = () => {
    const ids = chosen.slice(0, BULK_APPROVE_MAX);
    const asked = Object.fromEntries(items.filter((i) => ids.includes(i.id)).map((i) => [i.id, i]));
    setOutcome(null);
    bulk.mutate(
      { locationId, ids },
      {
        onSuccess: (result) => {
          setSelected([]);
          setOutcome({ result, asked });
          if (result.approved.length > 0) toast.success(rtp('shiftInbox.bulk.approved', result.approved.length));
        },
        onError: (error) => toast.error(requestErrorMessage(text, error, 'approve')),
      },
    );
  };

  return (
    <section className="section inbox-section req-inbox" aria-labelledby={headingId} data-testid="inbox-shift-requests">
      <div className="inbox-section__head">
        <h2 id={headingId} className="inbox-section__title">
          {rt('shiftInbox.title')}
          {waiting.length > 0 ? (
            <span className="badge badge--count" data-testid="shift-requests-pending-count">
              {rtp('shiftInbox.pendingCount', waiting.length)}
            </span>
          ) : null}
        </h2>
        <div className="field field--check req-inbox__decided">
          <input
            id={`${headingId}-decided`}
            type="checkbox"
            className="checkbox"
            checked={showDecided}
            onChange={(e) => setShowDecided(e.target.checked)}
            data-testid="show-decided"
          />
          <label htmlFor={`${headingId}-decided`} className="field__check-label">
            {rt('shiftInbox.showDecided')}
          </label>
        </div>
      </div>

      {outcome ? <BulkOutcomePanel outcome={outcome} onDismiss={() => setOutcome(null)} /> : null}

      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <>
          <Group title={rt('shiftInbox.waiting')} testId="shift-requests-waiting">
            {approvable.length > 1 ? (
              <div className="req-bulk" data-testid="bulk-bar">
                <div className="field field--check req-bulk__all">
                  <input
                    id={`${headingId}-all`}
                    type="checkbox"
                    className="checkbox"
                    checked={allChosen}
                    onChange={(e) => setSelected(e.target.checked ? approvable.map((i) => i.id) : [])}
                    data-testid="select-all"
                  />
                  <label htmlFor={`${headingId}-all`} className="field__check-label">
                    {rt('shiftInbox.selectAll')}
                  </label>
                </div>
                <Button onClick={approveSelected} busy={bulk.isPending} disabled={chosen.length === 0} data-testid="approve-selected">
                  {rt('shiftInbox.approveSelected', { count: chosen.length })}
                </Button>
              </div>
            ) : null}
            {waiting.length === 0 ? (
              <p className="card muted self-empty">{rt('shiftInbox.none')}</p>
            ) : (
              <ul className="self-cards">
                {waiting.map((item) => (
                  <RequestCard
                    key={item.id}
                    item={item}
                    canDecide={canDecide}
                    selectable={approvable.length > 1 && item.canApprove}
                    selected={chosen.includes(item.id)}
                    onSelect={(on) => toggle(item.id, on)}
                  />
                ))}
              </ul>
            )}
          </Group>
          {withColleagues.length > 0 ? (
            <Group title={rt('shiftInbox.withColleagues')} testId="shift-requests-colleagues">
              <p className="small muted">{rt('shiftInbox.withColleagues.hint')}</p>
              <ul className="self-cards">
                {withColleagues.map((item) => (
                  <RequestCard key={item.id} item={item} canDecide={canDecide} />
                ))}
              </ul>
            </Group>
          ) : null}
          {showDecided ? (
            <Group title={rt('shiftInbox.decided')} testId="shift-requests-decided">
              {decided.length === 0 ? (
                <p className="card muted self-empty">{rt('shiftInbox.decided.none')}</p>
              ) : (
                <ul className="self-cards">
                  {decided.map((item) => (
                    <RequestCard key={item.id} item={item} canDecide={canDecide} />
                  ))}
                </ul>
              )}
            </Group>
          ) : null}
        </>
      )}
    </section>
  );
}

function Group({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <div className="req-group" role="group" aria-labelledby={headingId} data-testid={testId}>
      <h3 id={headingId} className="req-group__title">
        {title}
      </h3>
      {children}
    </div>
  );
}

/** "Claim · Kim de Vries · Tue, Dec 8 · 18:00–23:00" */
function requestLabel(i18n: RequestI18n, item: ShiftRequestItem): string {
  return `${kindName(i18n, item.kind)} · ${item.requester.name} · ${shiftWhen(i18n.locale, item.shift)}`;
}

function requestTitle(i18n: RequestI18n, item: ShiftRequestItem): string {
  const name = item.requester.name;
  switch (item.kind) {
    case 'claim':
      return i18n.rt('shiftInbox.claim.title', { name });
    case 'offer':
      return item.taker
        ? i18n.rt('shiftInbox.offer.takenTitle', { name, taker: item.taker.name })
        : i18n.rt('shiftInbox.offer.title', { name });
    case 'swap':
      return i18n.rt('shiftInbox.swap.title', { name, target: item.target?.name ?? '' });
  }
}

function RequestCard({
  item,
  canDecide,
  selectable = false,
  selected = false,
  onSelect,
}: {
  item: ShiftRequestItem;
  canDecide: boolean;
  selectable?: boolean;
  selected?: boolean;
  onSelect?: (on: boolean) => void;
}) {
  const text = useRequestText();
  const { rt, locale } = text;
  const [deciding, setDeciding] = useState<Decision | null>(null);
  const selectId = useId();
  const name = item.requester.name;
  const undecided = isUndecided(item.status);

  return (
    <li
      className={selected ? 'self-card inbox-card req-card is-selected' : 'self-card inbox-card req-card'}
      data-testid="shift-request"
      data-id={item.id}
      data-kind={item.kind}
      data-status={item.status}
    >
      <div className="self-card__head">
        <div className="req-card__heading">
          {selectable ? (
            // The label around the box makes a 44 px target.
            <label className="req-card__select" htmlFor={selectId}>
              <input
                id={selectId}
                type="checkbox"
                className="checkbox"
                checked={selected}
                onChange={(e) => onSelect?.(e.target.checked)}
                aria-label={rt('shiftInbox.selectLabel', { what: requestLabel(text, item) })}
                data-testid="request-select"
              />
            </label>
          ) : null}
          <h4 className="self-card__title">
            <span className="badge badge--req-kind">{kindName(text, item.kind)}</span> {requestTitle(text, item)}
          </h4>
        </div>
        <RequestStatusBadge status={item.status} />
      </div>
      {item.kind === 'swap' ? (
        <ShiftPair
          left={<ShiftBlock shift={item.shift} caption={rt('shiftInbox.worksNow', { name })} />}
          right={
            item.targetShift ? (
              <ShiftBlock shift={item.targetShift} caption={rt('shiftInbox.worksNow', { name: item.target?.name ?? '' })} />
            ) : null
          }
        />
      ) : (
        <ShiftBlock
          shift={item.shift}
          caption={item.kind === 'claim' ? rt('shiftInbox.openPlace') : rt('shiftInbox.worksNow', { name })}
        />
      )}
      <p className="small muted">{rt('sr.askedAt', { time: text.formatDateTime(item.createdAt) })}</p>
      {undecided ? (
        <p className="small muted">{rt('sr.closes', { time: momentIn(locale, item.location.timezone, item.closesAt) })}</p>
      ) : null}
      <DecisionLine request={item} />
      {undecided ? (
        canDecide ? (
          <>
            {item.status === 'pending_approval' && !item.canApprove ? (
              <p className="small muted" data-testid="request-closed">
                {rt('shiftInbox.closed')}
              </p>
            ) : null}
            <div className="button-row inbox-card__actions">
              {item.canApprove ? (
                <Button
                  onClick={() => setDeciding('approve')}
                  data-testid="request-approve"
                  aria-label={rt('shiftInbox.approveLabel', { what: requestLabel(text, item) })}
                >
                  {rt('shiftInbox.approve')}
                </Button>
              ) : null}
              <Button
                variant="secondary"
                onClick={() => setDeciding('deny')}
                data-testid="request-deny"
                aria-label={rt('shiftInbox.denyLabel', { what: requestLabel(text, item) })}
              >
                {rt('shiftInbox.deny')}
              </Button>
            </div>
          </>
        ) : (
          <p className="small muted" data-testid="manager-decides">
            {rt('shiftInbox.managerDecides')}
          </p>
        )
      ) : null}
      {deciding ? <DecisionDialog item={item} decision={deciding} onClose={() => setDeciding(null)} /> : null}
    </li>
  );
}

/** The name of the person a refusal by the rules is about (`fields.userId`), among the request's people. */
function personOf(item: ShiftRequestItem, userId: string | undefined): string | null {
  if (!userId) return null;
  const people = [item.requester, item.target, item.taker];
  return people.find((p) => p && p.id === userId)?.name ?? null;
}

function DecisionDialog({ item, decision, onClose }: { item: ShiftRequestItem; decision: Decision; onClose: () => void }) {
  const text = useRequestText();
  const { rt, t } = text;
  const toast = useToast();
  const decide = useDecideShiftRequest();
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const deny = decision === 'deny';
  const name = item.requester.name;

  const error = decide.isError ? decide.error : null;
  const moved = isApiError(error) && error.code === 'request_changed';
  const failure = (() => {
    if (!error) return null;
    if (isApiError(error) && error.fields.reason) return null;
    const message = requestErrorMessage(text, error, decision);
    const person = isApiError(error) ? personOf(item, error.fields.userId) : null;
    return person ? rt('shiftInbox.error.forPerson', { name: person, message }) : message;
  })();

  const submit = () => {
    const trimmed = reason.trim();
    if (deny && trimmed === '') {
      setFieldError('required');
      return;
    }
    if ([...trimmed].length > STEP_REASON_MAX) {
      setFieldError('too_long');
      return;
    }
    setFieldError(undefined);
    decide.mutate(
      { id: item.id, decision, reason: trimmed },
      {
        onSuccess: () => {
          toast.success(rt(deny ? 'shiftInbox.denied' : 'shiftInbox.approved', { name }));
          onClose();
        },
        onError: (e) => {
          if (isApiError(e) && e.fields.reason) setFieldError(e.fields.reason);
        },
      },
    );
  };

  return (
    <Modal
      title={rt(deny ? 'shiftInbox.dialog.denyTitle' : 'shiftInbox.dialog.approveTitle', { name })}
      onClose={decide.isPending ? () => undefined : onClose}
      size="small"
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={decide.isPending}>
            {t('common.cancel')}
          </Button>
          <Button
            variant={deny ? 'danger' : 'primary'}
            onClick={submit}
            busy={decide.isPending}
            disabled={moved}
            data-testid="decision-confirm"
          >
            {rt(deny ? 'shiftInbox.deny' : 'shiftInbox.approve')}
          </Button>
        </>
      }
    >
      <div className="self-form" data-testid="shift-decision-dialog">
        <p className="req-dialog__what">{requestTitle(text, item)}</p>
        {item.kind === 'swap' && item.targetShift ? (
          <ShiftPair
            left={<ShiftBlock shift={item.shift} caption={rt('shiftInbox.worksNow', { name })} />}
            right={<ShiftBlock shift={item.targetShift} caption={rt('shiftInbox.worksNow', { name: item.target?.name ?? '' })} />}
          />
        ) : (
          <ShiftBlock shift={item.shift} venue={item.location.name} />
        )}
        <TextAreaField
          label={rt('shiftInbox.dialog.reason')}
          hint={deny ? rt('shiftInbox.dialog.denyHint') : rt('shiftInbox.dialog.approveHint')}
          optional={!deny}
          value={reason}
          onValueChange={(value) => {
            setReason(value);
            setFieldError(undefined);
          }}
          error={fieldError}
          maxLength={STEP_REASON_MAX}
          data-autofocus
        />
        {!deny ? <p className="small muted">{rt('shiftInbox.dialog.rulesAgain')}</p> : null}
        {failure ? <Alert kind="error">{failure}</Alert> : null}
      </div>
    </Modal>
  );
}

/** What a bulk approval did: how many were approved, and each one left with why. */
function BulkOutcomePanel({ outcome, onDismiss }: { outcome: BulkOutcome; onDismiss: () => void }) {
  const text = useRequestText();
  const { rt, rtp } = text;
  const { result, asked } = outcome;
  const left = result.notApproved;
  return (
    <div className={left.length > 0 ? 'alert alert--error req-bulk-result' : 'alert alert--success req-bulk-result'} role="status" data-testid="bulk-result">
      <p className="alert__title">
        {rtp('shiftInbox.bulk.approved', result.approved.length)}
        {left.length > 0 ? ` ${rtp('shiftInbox.bulk.left', left.length)}` : ''}
      </p>
      {left.length > 0 ? (
        <ul className="alert__list">
          {left.map((n) => {
            const item = asked[n.id];
            return (
              <li key={n.id} data-testid="not-approved" data-id={n.id} data-code={n.code}>
                {item ? `${requestLabel(text, item)}: ` : ''}
                {notApprovedMessage(text, n.code)}
              </li>
            );
          })}
        </ul>
      ) : null}
      <Button variant="secondary" size="small" onClick={onDismiss}>
        {rt('shiftInbox.bulk.dismiss')}
      </Button>
    </div>
  );
}
