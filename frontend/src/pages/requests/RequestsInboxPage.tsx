// /staff/requests — the request inbox of a location (requests.view: managers, floor managers, administrators):
// one section per kind of request. Today that is time off (pending first, with the shifts each collides with);
// open-shift claims and swaps will get sections of their own. Managers approve (an optional reason) or deny (a
// reason is required: the person reads it); floor managers see the requests and "a manager decides".
//
// Stable selectors: [data-testid="inbox-time-off"] the time-off section, [data-testid="time-off-request"] a
// request (data-id, data-status), [data-testid="collision"] a colliding shift, [data-testid="decision-dialog"].
import { useId, useState, type ReactNode } from 'react';
import { isApiError } from '../../api/client';
import { useDecideTimeOff } from '../../api/requestDecisions';
import { useLocationTimeOff } from '../../api/requests';
import {
  DECISION_REASON_MAX,
  TIME_OFF_STATUSES,
  type CollidingShift,
  type TimeOffItem,
  type TimeOffStatus,
  type TimeOffVerdict,
} from '../../api/selfServiceTypes';
import type { Location } from '../../api/types';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { TextAreaField } from '../../components/fields';
import { useTitle } from '../../components/Layout';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { hasPermission } from '../../api/permissions';
import { useMe } from '../../api/queries';
import { LocationPicker, useChosenLocation } from '../crew/ui';
import { RequestSettingsForm } from './RequestSettingsForm';
import { ShiftRequestsSection } from './ShiftRequestsSection';
import { categoryLabel, clockIn, shortDay, statusLabel, timeOffRange } from '../selfservice/selfText';
import { DecisionText, StatusBadge } from '../selfservice/timeOffParts';
import '../selfservice/selfService.css';

type Filter = TimeOffStatus | 'all';
const FILTERS: readonly Filter[] = [...TIME_OFF_STATUSES, 'all'];

export function RequestsInboxPage() {
  const { t } = useI18n();
  useTitle(t('requests.title'));
  const { locations, list, locationId, location, choose } = useChosenLocation();
  const me = useMe().data;

  return (
    <div className="page self-page" data-testid="requests-inbox">
      <header className="page__header page__header--actions">
        <div>
          <h1>{t('requests.title')}</h1>
          <p className="muted">{location ? t('requests.introAt', { location: location.name }) : t('requests.intro')}</p>
        </div>
        <LocationPicker list={list} value={locationId} onChange={choose} />
      </header>
      {locations.isPending ? (
        <Loading />
      ) : locations.isError ? (
        <LoadError error={locations.error} onRetry={() => void locations.refetch()} />
      ) : !location ? (
        <p className="card">{t('crew.noLocations')}</p>
      ) : (
        // One section per kind of request.
        <>
          <ShiftRequestsSection key={`shifts-${location.id}`} locationId={location.id} />
          <TimeOffSection key={location.id} location={location} locations={list} />
          {me && hasPermission(me, 'schedule.manage') ? (
            <RequestSettingsForm key={`settings-${location.id}`} locationId={location.id} />
          ) : null}
        </>
      )}
    </div>
  );
}

function InboxSection({
  title,
  count,
  testId,
  tools,
  children,
}: {
  title: string;
  count: number | null;
  testId: string;
  tools?: ReactNode;
  children: ReactNode;
}) {
  const { tp } = useI18n();
  const headingId = useId();
  return (
    <section className="section inbox-section" aria-labelledby={headingId} data-testid={testId}>
      <div className="inbox-section__head">
        <h2 id={headingId} className="inbox-section__title">
          {title}
          {count ? (
            <span className="badge badge--count" data-testid="pending-count">
              {tp('requests.pendingCount', count)}
            </span>
          ) : null}
        </h2>
        {tools}
      </div>
      {children}
    </section>
  );
}

function TimeOffSection({ location, locations }: { location: Location; locations: readonly Location[] }) {
  const { t } = useI18n();
  const [filter, setFilter] = useState<Filter>('pending');
  const filterId = useId();
  const pending = useLocationTimeOff(location.id, 'pending');
  const shown = useLocationTimeOff(location.id, filter === 'all' ? null : filter);
  // The colliding shifts' times in their own location's zone when it is one of mine, else in the person's.
  const zoneOf = (item: TimeOffItem, name: string) =>
    locations.find((l) => l.name === name)?.timezone ?? item.request.timezone;

  return (
    <InboxSection
      title={t('requests.timeOff.title')}
      count={pending.data?.pending ?? null}
      testId="inbox-time-off"
      tools={
        <div className="field inbox-filter">
          <label className="field__label" htmlFor={filterId}>
            {t('requests.filter')}
          </label>
          <select id={filterId} className="input" value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            {FILTERS.map((f) => (
              <option key={f} value={f}>
                {t(`requests.filter.${f}`)}
              </option>
            ))}
          </select>
        </div>
      }
    >
      {shown.isPending ? (
        <Loading />
      ) : shown.isError ? (
        <LoadError error={shown.error} onRetry={() => void shown.refetch()} />
      ) : shown.data.items.length === 0 ? (
        <p className="card muted self-empty">{filter === 'pending' ? t('requests.none.pending') : t('requests.none.decided')}</p>
      ) : (
        <ul className="self-cards">
          {shown.data.items.map((item) => (
            <TimeOffCard key={item.request.id} item={item} zoneOf={(name) => zoneOf(item, name)} />
          ))}
        </ul>
      )}
    </InboxSection>
  );
}

function TimeOffCard({ item, zoneOf }: { item: TimeOffItem; zoneOf: (locationName: string) => string }) {
  const i18n = useI18n();
  const { t, tp, formatDateTime } = i18n;
  const [deciding, setDeciding] = useState<TimeOffVerdict | null>(null);
  const { request, collisions } = item;
  const name = request.person.name;
  const range = timeOffRange(i18n, request);
  const pending = request.status === 'pending';

  return (
    <li className="self-card inbox-card" data-testid="time-off-request" data-id={request.id} data-status={request.status}>
      <div className="self-card__head">
        <h3 className="self-card__title">{name}</h3>
        <StatusBadge status={request.status} />
      </div>
      <p className="self-card__time">{range}</p>
      <p className="small">
        {categoryLabel(t, request.category)} · {t('timeOff.requestedAt', { time: formatDateTime(request.createdAt) })}
      </p>
      {collisions.length > 0 ? (
        <div className="inbox-collisions">
          <p className="small inbox-collisions__lead">{tp('requests.collisions', collisions.length, { name })}</p>
          <ul className="inbox-collisions__list small">
            {collisions.map((c) => (
              <CollisionLine key={c.shiftId} collision={c} timeZone={zoneOf(c.locationName)} />
            ))}
          </ul>
        </div>
      ) : pending ? (
        <p className="small muted">{t('requests.noCollisions')}</p>
      ) : null}
      <DecisionText request={request} />
      {pending ? (
        item.canDecide ? (
          <div className="button-row inbox-card__actions">
            <Button onClick={() => setDeciding('approved')} aria-label={t('requests.approveLabel', { name })}>
              {t('requests.approve')}
            </Button>
            <Button variant="secondary" onClick={() => setDeciding('denied')} aria-label={t('requests.denyLabel', { name })}>
              {t('requests.deny')}
            </Button>
          </div>
        ) : (
          <p className="small muted" data-testid="manager-decides">
            {t('requests.managerDecides')}
          </p>
        )
      ) : null}
      {deciding ? (
        <DecisionDialog item={item} decision={deciding} range={range} zoneOf={zoneOf} onClose={() => setDeciding(null)} />
      ) : null}
    </li>
  );
}

function CollisionLine({ collision, timeZone }: { collision: CollidingShift; timeZone: string }) {
  const { t, locale } = useI18n();
  return (
    <li data-testid="collision" data-shift-id={collision.shiftId}>
      {t('requests.collision', {
        day: shortDay(locale, collision.date),
        time: `${clockIn(timeZone, collision.startsAt)}–${clockIn(timeZone, collision.endsAt)}`,
        location: collision.locationName,
      })}
    </li>
  );
}

function DecisionDialog({
  item,
  decision,
  range,
  zoneOf,
  onClose,
}: {
  item: TimeOffItem;
  decision: TimeOffVerdict;
  range: string;
  zoneOf: (locationName: string) => string;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t, tp } = i18n;
  const toast = useToast();
  const decide = useDecideTimeOff();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const name = item.request.person.name;
  const deny = decision === 'denied';

  const failure = (() => {
    if (!decide.isError) return null;
    const e = decide.error;
    if (isApiError(e) && e.code === 'request_decided') {
      const status = e.fields.status;
      return status === 'approved' || status === 'denied' || status === 'cancelled'
        ? t('requests.alreadyDecidedAs', { status: statusLabel(t, status) })
        : t('requests.alreadyDecided');
    }
    if (isApiError(e) && e.fields.reason) return null;
    return i18n.errorMessage(e);
  })();

  const submit = () => {
    const text = reason.trim();
    if (deny && text === '') {
      setError('required');
      return;
    }
    if ([...text].length > DECISION_REASON_MAX) {
      setError('too_long');
      return;
    }
    setError(undefined);
    decide.mutate(
      { id: item.request.id, body: text ? { decision, reason: text } : { decision } },
      {
        onSuccess: () => {
          toast.success(t(deny ? 'requests.denied' : 'requests.approved', { name }));
          onClose();
        },
        onError: (e) => {
          if (isApiError(e) && e.fields.reason) setError(e.fields.reason);
        },
      },
    );
  };

  return (
    <Modal
      title={t(deny ? 'requests.dialog.denyTitle' : 'requests.dialog.approveTitle', { name })}
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
            disabled={failure !== null && isApiError(decide.error) && decide.error.code === 'request_decided'}
          >
            {t(deny ? 'requests.dialog.denyConfirm' : 'requests.dialog.approveConfirm')}
          </Button>
        </>
      }
    >
      <div data-testid="decision-dialog" className="self-form">
        <p>
          <strong>{range}</strong> · {categoryLabel(t, item.request.category)}
        </p>
        {item.collisions.length > 0 ? (
          <div className="inbox-collisions">
            <p className="small inbox-collisions__lead">{tp('requests.collisions', item.collisions.length, { name })}</p>
            <ul className="inbox-collisions__list small">
              {item.collisions.map((c) => (
                <CollisionLine key={c.shiftId} collision={c} timeZone={zoneOf(c.locationName)} />
              ))}
            </ul>
          </div>
        ) : null}
        <TextAreaField
          label={t('requests.dialog.reason')}
          hint={t(deny ? 'requests.dialog.denyHint' : 'requests.dialog.approveHint', { name })}
          optional={!deny}
          value={reason}
          onValueChange={(value) => {
            setReason(value);
            setError(undefined);
          }}
          error={error}
          maxLength={DECISION_REASON_MAX}
          data-autofocus
        />
        {failure ? <Alert kind="error">{failure}</Alert> : null}
      </div>
    </Modal>
  );
}
