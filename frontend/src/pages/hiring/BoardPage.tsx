// /staff/board?location=… — the hiring board: one column per status with its count, cards compiled by the
// server, filters (location, position, source, search), "Move to…" per card (only moves the transition table
// allows), drag and drop between columns as an extra, and bulk status changes for selected cards.
import { useEffect, useId, useMemo, useRef, useState, type DragEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useBoard, useBulkStatus, useLocationDetails } from '../../api/hiring';
import {
  APPLICATION_SOURCES,
  BULK_MAX_IDS,
  STAFF_TRANSITIONS,
  type ApplicationSource,
  type ApplicationStatus,
  type BoardCard,
  type BoardColumn,
  type BoardQuery,
  type BulkStatusResult,
} from '../../api/hiringTypes';
import { hasPermission } from '../../api/permissions';
import { useMe } from '../../api/queries';
import { Alert, Button, FormError, LoadError, Loading } from '../../components/feedback';
import { SelectField, TextField } from '../../components/fields';
import { useTitle } from '../../components/Layout';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { useDebounced } from '../admin/useDebounced';
import { AddApplicantModal } from './AddApplicantModal';
import { applicationPath } from './paths';
import { bulkErrorMessage, sourceLabel, statusLabel } from './hiringText';
import { MoveMenu } from './MoveMenu';
import { checkReason, useMoveApplication, type MoveTarget } from './StatusActions';
import { useZonedFormat } from './zonedTime';

/** Statuses a bulk change may set: `hired` needs the hire dialog, `withdrawn` is the applicant's. */
const BULK_TARGETS: ApplicationStatus[] = ['new', 'contacted', 'interviewed', 'short_listed', 'rejected'];

function isSource(value: string | null): value is ApplicationSource {
  return value !== null && (APPLICATION_SOURCES as readonly string[]).includes(value);
}

function toTarget(card: BoardCard): MoveTarget {
  return { id: card.id, name: card.name, status: card.status, position: card.position, timezone: card.location.timezone };
}

export function BoardPage() {
  const { t, tp } = useI18n();
  useTitle(t('board.title'));
  const me = useMe().data;
  const [params, setParams] = useSearchParams();
  const location = params.get('location') ?? '';
  const position = params.get('position') ?? '';
  const sourceParam = params.get('source');
  const source = isSource(sourceParam) ? sourceParam : '';
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebounced(search.trim(), 300);
  const locations = useLocationDetails();
  const [adding, setAdding] = useState(false);

  const setParam = (name: string, value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );

  // The search box writes to the address after the pause, so a link to the board keeps the search.
  // Only the debounced value drives this (the other filters write to the address themselves).
  useEffect(() => {
    if ((params.get('q') ?? '') !== q) setParam('q', q);
  }, [q]);

  const query: BoardQuery = useMemo(
    () => ({
      ...(location ? { location } : {}),
      ...(position ? { position } : {}),
      ...(source ? { source } : {}),
      ...(q ? { q } : {}),
    }),
    [location, position, source, q],
  );
  const board = useBoard(query);
  const canManage = hasPermission(me, 'applications.manage');

  const locationOptions = [
    { value: '', label: t('board.allLocations') },
    ...(locations.data ?? []).map((loc) => ({
      value: loc.id,
      label: loc.active ? loc.name : `${loc.name} (${t('locations.archived')})`,
    })),
  ];
  // Keep a chosen value in the list even before (or without) the server's list.
  if (location && !locationOptions.some((o) => o.value === location)) {
    locationOptions.push({ value: location, label: location });
  }
  const positions = board.data?.positions ?? [];
  const positionOptions = [
    { value: '', label: t('board.allPositions') },
    ...positions.map((p) => ({ value: p, label: p })),
    ...(position && !positions.includes(position) ? [{ value: position, label: position }] : []),
  ];

  if (!me) return null;

  return (
    <div className="page page--board">
      <header className="page__header page__header--actions">
        <div>
          <h1>{t('board.title')}</h1>
          <p className="muted" aria-live="polite">
            {board.data ? tp('board.total', board.data.total) : t('board.intro')}
          </p>
        </div>
        {canManage ? <Button onClick={() => setAdding(true)}>{t('manual.open')}</Button> : null}
      </header>

      <form
        className="card board-filters"
        role="search"
        aria-label={t('board.filters')}
        onSubmit={(e) => e.preventDefault()}
      >
        <SelectField
          label={t('field.location')}
          name="location"
          value={location}
          onValueChange={(value) => setParam('location', value)}
          options={locationOptions}
        />
        <SelectField
          label={t('field.position')}
          name="position"
          value={position}
          onValueChange={(value) => setParam('position', value)}
          options={positionOptions}
        />
        <SelectField
          label={t('field.source')}
          name="source"
          value={source}
          onValueChange={(value) => setParam('source', value)}
          options={[
            { value: '', label: t('board.allSources') },
            ...APPLICATION_SOURCES.map((s) => ({ value: s, label: sourceLabel(t, s) })),
          ]}
        />
        <TextField
          label={t('field.search')}
          type="search"
          name="q"
          placeholder={t('board.searchPlaceholder')}
          autoComplete="off"
          value={search}
          onValueChange={setSearch}
        />
      </form>

      {board.isPending ? (
        <Loading />
      ) : board.isError ? (
        <LoadError error={board.error} onRetry={() => void board.refetch()} />
      ) : (
        <Board columns={board.data.columns} canManage={canManage} showLocation={!location} refreshing={board.isFetching} />
      )}

      {adding ? (
        <AddApplicantModal
          locations={(locations.data ?? []).filter((l) => l.active)}
          defaultLocationId={location}
          onClose={() => setAdding(false)}
        />
      ) : null}
    </div>
  );
}

function Board({
  columns,
  canManage,
  showLocation,
  refreshing,
}: {
  columns: BoardColumn[];
  canManage: boolean;
  showLocation: boolean;
  refreshing: boolean;
}) {
  const { t } = useI18n();
  const { move, movingId, dialogs } = useMoveApplication();
  const [selected, setSelected] = useState<string[]>([]);
  const [dragging, setDragging] = useState<BoardCard | null>(null);
  const cards = useMemo(() => columns.flatMap((c) => c.cards), [columns]);
  // Only cards still on the board stay selected (filters and moves change the board).
  const selectedCards = cards.filter((c) => selected.includes(c.id));

  const toggle = (id: string, on: boolean) =>
    setSelected((list) => (on ? [...list.filter((x) => x !== id), id] : list.filter((x) => x !== id)));

  return (
    <>
      {canManage && selectedCards.length > 0 ? (
        <BulkBar
          cards={selectedCards}
          onClear={() => setSelected([])}
          onResults={(results) => setSelected(results.filter((r) => !r.ok).map((r) => r.id))}
        />
      ) : null}
      <div className={refreshing ? 'board is-refreshing' : 'board'} aria-busy={refreshing || undefined}>
        {columns.map((column) => (
          <Column
            key={column.status}
            column={column}
            canManage={canManage}
            showLocation={showLocation}
            selected={selected}
            onToggle={toggle}
            movingId={movingId}
            onMove={(card, to) => move(toTarget(card), to)}
            dragging={dragging}
            onDragCard={setDragging}
          />
        ))}
      </div>
      {canManage ? <p className="muted small board__hint">{t('board.dragHint')}</p> : null}
      {dialogs}
    </>
  );
}

function Column({
  column,
  canManage,
  showLocation,
  selected,
  onToggle,
  movingId,
  onMove,
  dragging,
  onDragCard,
}: {
  column: BoardColumn;
  canManage: boolean;
  showLocation: boolean;
  selected: string[];
  onToggle: (id: string, on: boolean) => void;
  movingId: string | null;
  onMove: (card: BoardCard, to: ApplicationStatus) => void;
  dragging: BoardCard | null;
  onDragCard: (card: BoardCard | null) => void;
}) {
  const { t, tp } = useI18n();
  const headingId = useId();
  const [over, setOver] = useState(false);
  const accepts = !!dragging && dragging.status !== column.status && STAFF_TRANSITIONS[dragging.status].includes(column.status);

  const onDragOver = (event: DragEvent) => {
    if (!accepts) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    if (!over) setOver(true);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (dragging && accepts) onMove(dragging, column.status);
    onDragCard(null);
  };

  const classes = ['board-column', over ? 'is-over' : '', dragging && !accepts ? 'is-blocked' : ''].filter(Boolean).join(' ');
  return (
    <section
      className={classes}
      aria-labelledby={headingId}
      data-status={column.status}
      onDragOver={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      <header className="board-column__head">
        <h2 id={headingId} className="board-column__title">
          {statusLabel(t, column.status)}
        </h2>
        <span className="badge badge--count board-column__count" data-count={column.count}>
          <span aria-hidden="true">{column.count}</span>
          <span className="visually-hidden">{tp('board.count', column.count)}</span>
        </span>
      </header>
      {column.count > column.cards.length ? (
        <p className="muted small">{t('board.showingFirst', { shown: column.cards.length, count: column.count })}</p>
      ) : null}
      {column.cards.length === 0 ? (
        <p className="muted small board-column__empty">{t('board.emptyColumn')}</p>
      ) : (
        <ul className="board-column__cards">
          {column.cards.map((card) => (
            <li key={card.id}>
              <Card
                card={card}
                canManage={canManage}
                showLocation={showLocation}
                checked={selected.includes(card.id)}
                onToggle={(on) => onToggle(card.id, on)}
                moving={movingId === card.id}
                onMove={(to) => onMove(card, to)}
                onDragCard={onDragCard}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Card({
  card,
  canManage,
  showLocation,
  checked,
  onToggle,
  moving,
  onMove,
  onDragCard,
}: {
  card: BoardCard;
  canManage: boolean;
  showLocation: boolean;
  checked: boolean;
  onToggle: (on: boolean) => void;
  moving: boolean;
  onMove: (to: ApplicationStatus) => void;
  onDragCard: (card: BoardCard | null) => void;
}) {
  const { t, tp } = useI18n();
  const zoned = useZonedFormat();
  const nameId = useId();
  const checkId = useId();
  const targets = canManage ? STAFF_TRANSITIONS[card.status] : [];
  const draggable = canManage && targets.length > 0 && !moving;
  return (
    <article
      className={checked ? 'board-card is-selected' : 'board-card'}
      aria-labelledby={nameId}
      data-id={card.id}
      data-status={card.status}
      draggable={draggable}
      onDragStart={(event) => {
        event.dataTransfer.effectAllowed = 'move';
        event.dataTransfer.setData('text/plain', card.id);
        onDragCard(card);
      }}
      onDragEnd={() => onDragCard(null)}
    >
      <div className="board-card__head">
        {canManage ? (
          <>
            <input
              id={checkId}
              type="checkbox"
              className="checkbox"
              checked={checked}
              onChange={(e) => onToggle(e.target.checked)}
            />
            <label htmlFor={checkId} className="visually-hidden">
              {t('board.select', { name: card.name })}
            </label>
          </>
        ) : null}
        <Link id={nameId} to={applicationPath(card.id)} className="board-card__name">
          {card.name}
        </Link>
      </div>
      <p className="board-card__position">
        {card.position}
        {showLocation ? <span className="muted"> · {card.location.name}</span> : null}
      </p>
      <ul className="board-card__facts">
        <li>
          <span className={`badge badge--source-${card.source}`}>{sourceLabel(t, card.source)}</span>
        </li>
        <li title={zoned.date(card.appliedAt, card.location.timezone)}>
          {card.daysSinceApplied === 0 ? t('board.appliedToday') : tp('board.daysAgo', card.daysSinceApplied)}
        </li>
        <li>{tp('board.notes', card.notesCount)}</li>
        <li>
          {tp('board.documents', card.documentsCount)}
          {card.documentsPending > 0 ? (
            <span className="badge badge--review-pending">{tp('board.documentsPending', card.documentsPending)}</span>
          ) : null}
          {card.documentsRejected > 0 ? (
            <span className="badge badge--review-rejected">{tp('board.documentsRejected', card.documentsRejected)}</span>
          ) : null}
        </li>
        {card.nextInterview ? (
          <li className="board-card__interview">
            {t('board.nextInterview', { time: zoned.dateTime(card.nextInterview, card.location.timezone) })}
          </li>
        ) : null}
      </ul>
      {targets.length > 0 ? (
        <MoveMenu targets={targets} onSelect={onMove} busy={moving} describedBy={nameId} />
      ) : null}
    </article>
  );
}

function BulkBar({
  cards,
  onClear,
  onResults,
}: {
  cards: BoardCard[];
  onClear: () => void;
  onResults: (results: BulkStatusResult[]) => void;
}) {
  const i18n = useI18n();
  const { t, tp } = i18n;
  const toast = useToast();
  const bulk = useBulkStatus();
  const [to, setTo] = useState<ApplicationStatus>('contacted');
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | undefined>(undefined);
  const [failures, setFailures] = useState<{ name: string; message: string }[]>([]);
  const names = useRef(new Map<string, string>());
  for (const card of cards) names.current.set(card.id, card.name);
  const tooMany = cards.length > BULK_MAX_IDS;

  const apply = async () => {
    const problem = checkReason(reason, to === 'rejected');
    setReasonError(problem ?? undefined);
    if (problem || tooMany) return;
    setFailures([]);
    try {
      const { results } = await bulk.mutateAsync({
        ids: cards.map((c) => c.id),
        to,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      const ok = results.filter((r) => r.ok).length;
      const failed = results.filter((r) => !r.ok);
      if (ok > 0) toast.success(tp('board.bulk.done', ok, { status: statusLabel(t, to) }));
      setFailures(
        failed.map((r) => ({
          name: names.current.get(r.id) ?? r.id,
          message: bulkErrorMessage(i18n, r.error?.code),
        })),
      );
      if (failed.length === 0) setReason('');
      onResults(results);
    } catch {
      /* shown by FormError below */
    }
  };

  return (
    <section className="card bulk-bar" aria-labelledby="bulk-title">
      <h2 id="bulk-title" className="bulk-bar__title">
        {tp('board.bulk.selected', cards.length)}
      </h2>
      <FormError error={bulk.error} />
      {tooMany ? <Alert kind="error">{t('board.bulk.tooMany', { max: BULK_MAX_IDS })}</Alert> : null}
      {failures.length > 0 ? (
        <Alert kind="error" title={tp('board.bulk.failed', failures.length)}>
          <ul className="alert__list">
            {failures.map((f) => (
              <li key={f.name + f.message}>
                <strong>{f.name}</strong>: {f.message}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <div className="bulk-bar__form">
        <SelectField
          label={t('board.bulk.to')}
          name="bulkTo"
          value={to}
          onValueChange={(value) => setTo(value as ApplicationStatus)}
          options={BULK_TARGETS.map((s) => ({ value: s, label: statusLabel(t, s) }))}
        />
        <TextField
          label={t('field.statusReason')}
          name="bulkReason"
          optional={to !== 'rejected'}
          autoComplete="off"
          value={reason}
          onValueChange={(value) => {
            setReason(value);
            setReasonError(undefined);
          }}
          error={reasonError}
        />
        <div className="button-row bulk-bar__buttons">
          <Button busy={bulk.isPending} busyLabel={t('board.bulk.applying')} onClick={() => void apply()}>
            {t('board.bulk.apply')}
          </Button>
          <Button variant="secondary" onClick={onClear} disabled={bulk.isPending}>
            {t('board.bulk.clear')}
          </Button>
        </div>
      </div>
    </section>
  );
}
