// /staff/board?location=… — the hiring board: one column per status with its count, cards compiled by the
// server, filters (location, position, source, search), "Move to…" per card (only moves the transition table
// allows), drag and drop between columns as an extra (dnd-kit: mouse and pen, press and hold on touch screens,
// and the keyboard from the card's drag handle, with spoken announcements), and bulk status changes for
// selected cards.
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
  pointerWithin,
  rectIntersection,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Announcements,
  type CollisionDetection,
  type DragEndEvent,
  type DragStartEvent,
  type KeyboardCoordinateGetter,
} from '@dnd-kit/core';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useBoard, useBulkStatus, useLocationDetails } from '../../api/hiring';
import {
  APPLICATION_SOURCES,
  APPLICATION_STATUSES,
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

/** What a dragged card carries (dnd-kit `data`). */
interface DragData {
  card: BoardCard;
}

function cardOf(data: { current?: unknown } | undefined): BoardCard | null {
  return (data?.current as DragData | undefined)?.card ?? null;
}

function isStatus(value: unknown): value is ApplicationStatus {
  return typeof value === 'string' && (APPLICATION_STATUSES as readonly string[]).includes(value);
}

/**
 * The status a card moves to when dropped on the column of `over`, or null when that drop does nothing (its
 * own column, no column, or a move the transition table does not allow).
 */
export function dropTarget(
  card: Pick<BoardCard, 'status'>,
  over: ApplicationStatus | string | number | null | undefined,
): ApplicationStatus | null {
  if (!isStatus(over) || over === card.status) return null;
  return STAFF_TRANSITIONS[card.status].includes(over) ? over : null;
}

/**
 * Mouse and pen: a drag starts after moving a few pixels, so a click on the card's link, checkbox or menu
 * still clicks. Touch is left to the TouchSensor (press and hold), so a swipe keeps scrolling the board.
 */
class MouseAndPenSensor extends PointerSensor {
  static override activators: (typeof PointerSensor)['activators'] = [
    {
      eventName: 'onPointerDown',
      handler: ({ nativeEvent: event }, { onActivation }) => {
        if (!event.isPrimary || event.button !== 0 || event.pointerType === 'touch') return false;
        onActivation?.({ event });
        return true;
      },
    },
  ];
}

/** Left and right arrows move a card picked up with the keyboard one whole column (up and down do nothing). */
const columnByColumn: KeyboardCoordinateGetter = (event, { context, currentCoordinates }) => {
  const step = event.code === 'ArrowRight' ? 1 : event.code === 'ArrowLeft' ? -1 : 0;
  const { collisionRect, droppableRects, droppableContainers, over, active } = context;
  if (step === 0 || !collisionRect) return undefined;
  const columns = droppableContainers
    .getEnabled()
    .flatMap((c) => {
      const rect = droppableRects.get(c.id);
      return rect ? [{ id: c.id, rect }] : [];
    })
    .sort((a, b) => a.rect.left - b.rect.left);
  // The column under the card's centre, else the one it is over, else its own.
  const centre = collisionRect.left + collisionRect.width / 2;
  const under = columns.findIndex((c) => c.rect.left <= centre && centre <= c.rect.right);
  const from = over?.id ?? cardOf(active?.data)?.status;
  const index = under !== -1 ? under : columns.findIndex((c) => c.id === from);
  const next = index === -1 ? undefined : columns[index + step];
  if (!next) return undefined;
  const { rect } = next;
  return {
    x: rect.left + (rect.width - collisionRect.width) / 2,
    y: Math.min(Math.max(currentCoordinates.y, rect.top), Math.max(rect.top, rect.bottom - collisionRect.height)),
  };
};

/** The pointer's column when it is over one, else the column the dragged card overlaps most (keyboard). */
const columnUnderCard: CollisionDetection = (args) => {
  const pointer = pointerWithin(args);
  return pointer.length > 0 ? pointer : rectIntersection(args);
};

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

  const sensors = useSensors(
    useSensor(MouseAndPenSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 200, tolerance: 8 } }),
    // Instant scrolling: the sensor scrolls the board a column at a time, and a smooth scroll gets cut short.
    useSensor(KeyboardSensor, { coordinateGetter: columnByColumn, scrollBehavior: 'auto' }),
  );

  // The column last announced: the card starts over its own, which "Picked up" already says.
  const announcedOver = useRef<string | number | null>(null);
  const announcements = useMemo<Announcements>(() => {
    const name = (active: { data: { current?: unknown } }) => cardOf(active.data)?.name ?? '';
    const status = (id: string | number) => (isStatus(id) ? statusLabel(t, id) : String(id));
    return {
      onDragStart: ({ active }) => {
        announcedOver.current = cardOf(active.data)?.status ?? null;
        return t('crew.boardDrag.pickedUp', { name: name(active) });
      },
      onDragOver: ({ active, over }) => {
        const card = cardOf(active.data);
        const overId = over?.id ?? null;
        if (overId === announcedOver.current) return undefined;
        announcedOver.current = overId;
        if (!over || !card) return t('crew.boardDrag.outside', { name: name(active) });
        const vars = { name: card.name, status: status(over.id) };
        return over.id === card.status || dropTarget(card, over.id)
          ? t('crew.boardDrag.over', vars)
          : t('crew.boardDrag.notAllowed', vars);
      },
      onDragEnd: ({ active, over }) => {
        const card = cardOf(active.data);
        const to = card ? dropTarget(card, over?.id) : null;
        return to
          ? t('crew.boardDrag.dropped', { name: name(active), status: statusLabel(t, to) })
          : t('crew.boardDrag.cancelled', { name: name(active) });
      },
      onDragCancel: ({ active }) => t('crew.boardDrag.cancelled', { name: name(active) }),
    };
  }, [t]);

  const onDragStart = ({ active }: DragStartEvent) => setDragging(cardOf(active.data));
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragging(null);
    const card = cardOf(active.data);
    const to = card ? dropTarget(card, over?.id) : null;
    if (card && to) move(toTarget(card), to);
  };

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
      <DndContext
        sensors={sensors}
        collisionDetection={columnUnderCard}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t('crew.boardDrag.instructions') } }}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragging(null)}
      >
        <div
          className={['board', refreshing ? 'is-refreshing' : '', dragging ? 'is-dragging' : ''].filter(Boolean).join(' ')}
          aria-busy={refreshing || undefined}
        >
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
            />
          ))}
        </div>
        <DragOverlay dropAnimation={null}>
          {dragging ? (
            <div className="board-card board-card--overlay" aria-hidden="true">
              <p className="board-card__name">{dragging.name}</p>
              <p className="board-card__position">{dragging.position}</p>
            </div>
          ) : null}
        </DragOverlay>
      </DndContext>
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
}: {
  column: BoardColumn;
  canManage: boolean;
  showLocation: boolean;
  selected: string[];
  onToggle: (id: string, on: boolean) => void;
  movingId: string | null;
  onMove: (card: BoardCard, to: ApplicationStatus) => void;
  dragging: BoardCard | null;
}) {
  const { t, tp } = useI18n();
  const headingId = useId();
  const { setNodeRef, isOver } = useDroppable({ id: column.status });
  const home = !!dragging && dragging.status === column.status;
  const accepts = !!dragging && dropTarget(dragging, column.status) !== null;

  const classes = [
    'board-column',
    isOver && accepts ? 'is-over' : '',
    dragging && !accepts && !home ? 'is-blocked' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <section ref={setNodeRef} className={classes} aria-labelledby={headingId} data-status={column.status}>
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
}: {
  card: BoardCard;
  canManage: boolean;
  showLocation: boolean;
  checked: boolean;
  onToggle: (on: boolean) => void;
  moving: boolean;
  onMove: (to: ApplicationStatus) => void;
}) {
  const { t, tp } = useI18n();
  const zoned = useZonedFormat();
  const nameId = useId();
  const checkId = useId();
  const targets = canManage ? STAFF_TRANSITIONS[card.status] : [];
  const movable = targets.length > 0;
  const data: DragData = { card };
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, isDragging } = useDraggable({
    id: card.id,
    data,
    disabled: !movable || moving,
    attributes: { roleDescription: t('board.dragRole') },
  });
  const classes = [
    'board-card',
    checked ? 'is-selected' : '',
    movable && !moving ? 'is-draggable' : '',
    isDragging ? 'is-dragging' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <article
      ref={setNodeRef}
      className={classes}
      aria-labelledby={nameId}
      data-id={card.id}
      data-status={card.status}
      {...listeners}
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
        {movable ? (
          <button
            ref={setActivatorNodeRef}
            type="button"
            className="board-card__handle"
            {...attributes}
            aria-label={t('crew.boardDrag.handle', { name: card.name })}
          >
            <svg viewBox="0 0 12 20" width="12" height="20" aria-hidden="true" focusable="false">
              <circle cx="3" cy="4" r="1.6" />
              <circle cx="9" cy="4" r="1.6" />
              <circle cx="3" cy="10" r="1.6" />
              <circle cx="9" cy="10" r="1.6" />
              <circle cx="3" cy="16" r="1.6" />
              <circle cx="9" cy="16" r="1.6" />
            </svg>
          </button>
        ) : null}
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
