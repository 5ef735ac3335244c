// "Offer or swap" for one of my published shifts (a MyShift of GET /api/me/shifts): offer it to the colleagues the
// rules allow on it ("can someone cover?"), or pick a colleague's published shift at the same venue and propose a
// swap. The colleagues' shifts come from the venue's published week (the week of my shift first; the dialog steps
// through the weeks), each person on a shift with the assignment id a swap names.
//
// Exported for the my-shifts page (open it from a shift card) and used by my requests (/me/requests).
//
// Stable selectors: [data-testid="offer-swap-dialog"]; [data-testid="mode-offer"] / [data-testid="mode-swap"]
// (aria-pressed); [data-testid="offer-submit"]; [data-testid="swap-week"], [data-testid="swap-week-prev"],
// [data-testid="swap-week-next"]; [data-testid="swap-target"] a colleague's shift (a radio input, data-assignment-id,
// data-shift-id); [data-testid="swap-submit"]; [data-testid="swap-none"] when there is nothing to swap with.
import { useId, useMemo, useState } from 'react';
import { isNotPublished, usePublishedSchedule } from '../../api/publishedSchedule';
import { useMe } from '../../api/queries';
import type { PublishedSchedule, PublishedShift, ShiftColleague } from '../../api/schedulingTypes';
import type { MyShift } from '../../api/selfServiceTypes';
import { useOfferShift, useProposeSwap } from '../../api/shiftRequests';
import type { ShiftRequestItem } from '../../api/shiftRequestTypes';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { addWeeks, compareWeeks, currentIsoWeek, isoWeekOf, parseIsoWeek } from '../scheduling/isoWeek';
import { ShiftBlock } from './requestParts';
import { endsNextDay, requestErrorMessage, shiftTime, useRequestText } from './requestText';
import { shortDay } from './selfText';
import '../../styles/requests.css';

type Mode = 'offer' | 'swap';

/** How many weeks past my shift's week the swap list may look. */
const WEEKS_AHEAD = 4;

export interface OfferOrSwapDialogProps {
  /** My shift (from GET /api/me/shifts). */
  shift: MyShift;
  /** Start with the swap list instead of the offer. */
  initialMode?: Mode;
  onClose: () => void;
  /** After the request was made (the dialog closes itself and shows a toast too). */
  onDone?: (request: ShiftRequestItem) => void;
}

export function OfferOrSwapDialog({ shift, initialMode = 'offer', onClose, onDone }: OfferOrSwapDialogProps) {
  const text = useRequestText();
  const { rt } = text;
  const toast = useToast();
  const offer = useOfferShift();
  const swap = useProposeSwap();
  const [mode, setMode] = useState<Mode>(initialMode);
  const [target, setTarget] = useState<SwapOption | null>(null);
  const busy = offer.isPending || swap.isPending;
  const failure = mode === 'offer' ? offer.error : swap.error;

  const finish = (request: ShiftRequestItem, message: string) => {
    toast.success(message);
    onDone?.(request);
    onClose();
  };
  const submit = () => {
    if (mode === 'offer') {
      offer.mutate(shift.assignmentId, { onSuccess: (request) => finish(request, rt('offerSwap.offered')) });
    } else if (target) {
      swap.mutate(
        { assignmentId: shift.assignmentId, targetAssignmentId: target.person.assignmentId },
        { onSuccess: (request) => finish(request, rt('offerSwap.proposed', { name: target.person.name })) },
      );
    }
  };
  const choose = (next: Mode) => {
    setMode(next);
    offer.reset();
    swap.reset();
  };

  return (
    <Modal
      title={rt('offerSwap.title')}
      onClose={busy ? () => undefined : onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={busy}>
            {text.t('common.cancel')}
          </Button>
          {mode === 'offer' ? (
            <Button onClick={submit} busy={offer.isPending} data-testid="offer-submit">
              {rt('offerSwap.offer.submit')}
            </Button>
          ) : (
            <Button onClick={submit} busy={swap.isPending} disabled={!target} data-testid="swap-submit">
              {target ? rt('offerSwap.swap.submitWith', { name: target.person.name }) : rt('offerSwap.swap.submit')}
            </Button>
          )}
        </>
      }
    >
      <div className="self-form req-dialog" data-testid="offer-swap-dialog">
        <ShiftBlock shift={shift} caption={rt('offerSwap.yourShift')} venue={shift.location.name} />
        <div className="req-modes" role="group" aria-label={rt('offerSwap.modes')}>
          <button
            type="button"
            className={mode === 'offer' ? 'req-mode is-active' : 'req-mode'}
            aria-pressed={mode === 'offer'}
            data-testid="mode-offer"
            onClick={() => choose('offer')}
            disabled={busy}
          >
            <span className="req-mode__title">{rt('offerSwap.mode.offer')}</span>
            <span className="req-mode__hint">{rt('offerSwap.mode.offerHint')}</span>
          </button>
          <button
            type="button"
            className={mode === 'swap' ? 'req-mode is-active' : 'req-mode'}
            aria-pressed={mode === 'swap'}
            data-testid="mode-swap"
            onClick={() => choose('swap')}
            disabled={busy}
          >
            <span className="req-mode__title">{rt('offerSwap.mode.swap')}</span>
            <span className="req-mode__hint">{rt('offerSwap.mode.swapHint')}</span>
          </button>
        </div>
        {mode === 'offer' ? (
          <p className="small">{rt('offerSwap.offer.body')}</p>
        ) : (
          <SwapPicker shift={shift} chosen={target} onChoose={setTarget} disabled={busy} />
        )}
        {failure ? <Alert kind="error">{requestErrorMessage(text, failure, mode)}</Alert> : null}
      </div>
    </Modal>
  );
}

interface SwapOption {
  shift: PublishedShift;
  person: ShiftColleague;
}

/**
 * The colleagues' shifts of a published week I could swap mine for: not started, not mine, not the same shift,
 * one option per colleague on it, earliest first.
 */
export function swapOptions(schedule: PublishedSchedule, mine: Pick<MyShift, 'shiftId'>, meId: string, now: Date): SwapOption[] {
  return schedule.shifts
    .filter((s) => !s.mine && s.id !== mine.shiftId && new Date(s.startsAt).getTime() > now.getTime())
    .sort((a, b) => a.startsAt.localeCompare(b.startsAt))
    .flatMap((s) => s.people.filter((p) => p.id !== meId).map((person) => ({ shift: s, person })));
}

function SwapPicker({
  shift,
  chosen,
  onChoose,
  disabled,
}: {
  shift: MyShift;
  chosen: SwapOption | null;
  onChoose: (option: SwapOption | null) => void;
  disabled: boolean;
}) {
  const { rt, locale } = useRequestText();
  const meId = useMe().data?.id ?? '';
  const zone = shift.location.timezone;
  const first = useMemo(() => {
    const own = isoWeekOf(shift.date);
    const now = currentIsoWeek(zone);
    return compareWeeks(own, now) < 0 ? now : own;
  }, [shift.date, zone]);
  const [week, setWeek] = useState(first);
  const last = addWeeks(isoWeekOf(shift.date), WEEKS_AHEAD);
  const schedule = usePublishedSchedule(shift.location.id, week);
  const name = useId();
  const options = useMemo(
    () => (schedule.data ? swapOptions(schedule.data, shift, meId, new Date()) : []),
    [schedule.data, shift, meId],
  );
  const go = (next: string) => {
    onChoose(null);
    setWeek(next);
  };

  return (
    <fieldset className="req-swap" disabled={disabled}>
      <legend className="field__label">{rt('offerSwap.swap.legend', { location: shift.location.name })}</legend>
      <p className="small muted">{rt('offerSwap.swap.body')}</p>
      <div className="req-weeknav">
        <Button
          variant="secondary"
          onClick={() => go(addWeeks(week, -1))}
          disabled={compareWeeks(week, first) <= 0}
          data-testid="swap-week-prev"
          aria-label={rt('offerSwap.week.previous')}
        >
          ←
        </Button>
        <p className="req-weeknav__label" data-testid="swap-week" aria-live="polite">
          {rt('offerSwap.week', { week: parseIsoWeek(week)?.week ?? week })}
        </p>
        <Button
          variant="secondary"
          onClick={() => go(addWeeks(week, 1))}
          disabled={compareWeeks(week, last) >= 0}
          data-testid="swap-week-next"
          aria-label={rt('offerSwap.week.next')}
        >
          →
        </Button>
      </div>
      {schedule.isPending ? (
        <Loading />
      ) : isNotPublished(schedule.error) ? (
        <p className="muted small" data-testid="swap-none">
          {rt('offerSwap.swap.notPublished')}
        </p>
      ) : schedule.isError ? (
        <LoadError error={schedule.error} onRetry={() => void schedule.refetch()} />
      ) : options.length === 0 ? (
        <p className="muted small" data-testid="swap-none">
          {rt('offerSwap.swap.none')}
        </p>
      ) : (
        <ul className="req-options">
          {options.map((option) => {
            const id = `${name}-${option.person.assignmentId}`;
            const checked = chosen?.person.assignmentId === option.person.assignmentId;
            return (
              <li key={option.person.assignmentId} className={checked ? 'req-option is-chosen' : 'req-option'}>
                <input
                  id={id}
                  type="radio"
                  name={name}
                  className="req-option__radio"
                  checked={checked}
                  onChange={() => onChoose(option)}
                  data-testid="swap-target"
                  data-assignment-id={option.person.assignmentId}
                  data-shift-id={option.shift.id}
                />
                <label htmlFor={id} className="req-option__label">
                  <span className="req-option__who">{option.person.name}</span>
                  <span className="req-option__when">
                    {`${shortDay(locale, option.shift.date)} · ${shiftTime(option.shift)}`}
                    {endsNextDay(option.shift) ? ` ${rt('sr.nextDay')}` : ''}
                  </span>
                  <span className="req-option__what">{option.shift.positionName}</span>
                </label>
              </li>
            );
          })}
        </ul>
      )}
    </fieldset>
  );
}
