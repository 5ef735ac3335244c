// An existing week: its state (draft / published, unpublished changes) with "Publish", the crew panel whose
// people can be dragged onto shifts, the grid, coverage and (once published) the change history, plus the
// dialogs each action opens. What the caller may do shapes the buttons; the server checks every request.
import { DndContext, DragOverlay, type Announcements, type DragEndEvent, type DragStartEvent } from '@dnd-kit/core';
import { lazy, Suspense, useState } from 'react';
import { useRemoveShift, useUnassign } from '../../../api/schedule';
import type { GridAssignment, GridPerson, GridShift, WeekGrid } from '../../../api/schedulingTypes';
import { Alert, Button } from '../../../components/feedback';
import { useToast } from '../../../components/toast';
import { useI18n } from '../../../i18n/I18nProvider';
import { AssignFlow, type AssignedNotice, type AssignStart } from './AssignFlow';
import { CoveragePanel, coverageTotals } from './CoveragePanel';
import { shiftCollision, useWeekSensors, type PersonDrag, type ShiftDrop } from './dnd';
import { HistoryPanel } from './HistoryPanel';
import { PeoplePanel, PersonChip } from './PeoplePanel';
import { PublishDialog } from './PublishDialog';
import { ConfirmChange } from './ReasonDialog';
import { ReasonList } from './ReasonList';
import { ShiftDialog, type ShiftTarget } from './ShiftDialog';
import { ProposalProvider, SuggestFillButton, useFillState } from './SuggestFillState';
import { WeekGridView } from './WeekGridView';
import { isCode, shiftLabel, weekErrorMessage } from './weekText';
import { useZonedFormat } from '../../hiring/zonedTime';

/** "Suggest fill"'s dialog, panel and settings: a chunk of their own, asked for when the button is pointed at. */
const loadSuggestFill = () => import('./SuggestFillPanel');
const SuggestFillPanel = lazy(() => loadSuggestFill().then((m) => ({ default: m.SuggestFillPanel })));

export interface WeekRights {
  /** `schedule.manage`: create, publish, override, change a published week. */
  manage: boolean;
  /** `schedule.edit`: assign, and change shifts of a week never published. */
  edit: boolean;
}

/** A shift to delete (after a confirmation), or a person to take off a started shift (after a reason). */
type Removal = { kind: 'shift'; shift: GridShift } | { kind: 'assignment'; shift: GridShift; assignment: GridAssignment };

export function WeekBoard({ grid, rights }: { grid: WeekGrid; rights: WeekRights }) {
  const i18n = useI18n();
  const { t, tp } = i18n;
  const zoned = useZonedFormat();
  const toast = useToast();
  const sensors = useWeekSensors();
  const removeShift = useRemoveShift();
  const unassign = useUnassign();
  const { week } = grid;
  const everPublished = week.publishedVersion != null;
  const canChangeShifts = rights.manage || (rights.edit && !everPublished);
  const [assigning, setAssigning] = useState<AssignStart | null>(null);
  const [editing, setEditing] = useState<ShiftTarget | null>(null);
  const [removing, setRemoving] = useState<Removal | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [notice, setNotice] = useState<AssignedNotice | null>(null);
  const [dragged, setDragged] = useState<GridPerson | null>(null);
  const totals = coverageTotals(grid);
  const personName = (id: string) => grid.people.find((p) => p.person.id === id)?.person.name;
  const label = (shift: GridShift) => shiftLabel(i18n, shift, grid.positions);
  const nothingToPublish = week.status === 'published' && !week.hasUnpublishedChanges;
  const [leaving, setLeaving] = useState<string | null>(null);
  // "Suggest fill" proposes people for the open slots of a draft week; its proposal shows in the grid.
  const fill = useFillState(week.id);
  const canSuggest = rights.edit && week.status === 'draft';

  // Taking someone off is one click (a draft change, visible as unpublished until published again); a started
  // shift of a published week needs a manager's reason first.
  const takeOff = async (shift: GridShift, assignment: GridAssignment) => {
    setLeaving(assignment.id);
    try {
      await unassign.mutateAsync({ assignmentId: assignment.id, body: { expectedVersion: week.version } });
      toast.success(t('week.unassign.done', { name: assignment.person.name }));
    } catch (error) {
      if (isCode(error, 'shift_in_past') && rights.manage) setRemoving({ kind: 'assignment', shift, assignment });
      else toast.error(isCode(error, 'shift_in_past') ? t('week.past.managerOnly') : weekErrorMessage(i18n, error, personName));
    } finally {
      setLeaving(null);
    }
  };

  const dragPerson = (data: unknown) => (data as PersonDrag | undefined)?.person;
  const dropShift = (data: unknown) => data as ShiftDrop | undefined;
  const announcements: Announcements = {
    onDragStart: ({ active }) => t('week.drag.pickedUp', { name: dragPerson(active.data.current)?.person.name ?? '' }),
    onDragOver: ({ active, over }) => {
      const name = dragPerson(active.data.current)?.person.name ?? '';
      const target = dropShift(over?.data.current);
      return target ? t('week.drag.over', { name, shift: target.label }) : t('week.drag.outside', { name });
    },
    onDragEnd: ({ active, over }) => {
      const name = dragPerson(active.data.current)?.person.name ?? '';
      const target = dropShift(over?.data.current);
      return target ? t('week.drag.dropped', { name, shift: target.label }) : t('week.drag.cancelled', { name });
    },
    onDragCancel: ({ active }) => t('week.drag.cancelled', { name: dragPerson(active.data.current)?.person.name ?? '' }),
  };
  const onDragStart = ({ active }: DragStartEvent) => setDragged(dragPerson(active.data.current) ?? null);
  const onDragEnd = ({ active, over }: DragEndEvent) => {
    setDragged(null);
    const person = dragPerson(active.data.current);
    const target = dropShift(over?.data.current);
    if (person && target) setAssigning({ mode: 'drop', shift: target.shift, person });
  };

  const assignedNotice = (result: AssignedNotice) => {
    toast.success(t('week.assign.done', { name: result.name, shift: result.shift }));
    setNotice(result.warnings.length > 0 ? result : null);
  };

  return (
    <div className="week-board">
      <div className="card week-status">
        <div className="week-status__state">
          <span data-testid="week-status" className={`badge badge--large badge--week-${week.status}`}>
            {t(`week.status.${week.status}`)}
          </span>
          {week.status === 'published' && week.publishedAt ? (
            <span className="muted small">{t('week.publishedAt', { time: zoned.dateTime(week.publishedAt, grid.location.timezone) })}</span>
          ) : null}
          {grid.unpublishedChanges > 0 ? (
            <span className="week-status__changes" data-testid="unpublished-changes">
              {tp('week.unpublished', grid.unpublishedChanges)}
            </span>
          ) : null}
          <span className="muted small">
            {totals.slots === 0 ? t('week.coverage.noSlots') : tp('week.openSlots', totals.open, { slots: totals.slots })}
          </span>
        </div>
        <div className="button-row week-status__actions">
          {canChangeShifts ? (
            <Button
              variant="secondary"
              onClick={() => setEditing({ mode: 'create', date: grid.days[0]?.date ?? '', positionId: grid.positions.find((p) => !p.archived)?.id ?? '' })}
              disabled={grid.positions.every((p) => p.archived)}
            >
              {t('week.addShift')}
            </Button>
          ) : null}
          {canSuggest ? <SuggestFillButton fill={fill} onPrepare={() => void loadSuggestFill()} /> : null}
          {rights.manage ? (
            <Button data-testid="publish" onClick={() => setPublishing(true)} disabled={nothingToPublish} title={nothingToPublish ? t('week.publish.nothing') : undefined}>
              {week.status === 'published' ? t('week.publish.openChanges') : t('week.publish.open')}
            </Button>
          ) : null}
        </div>
        {!canChangeShifts ? <p className="muted small week-status__note">{t('week.floorPublished')}</p> : null}
      </div>

      {notice ? (
        <div className="week-notice">
          <Alert kind="info" title={t('week.assign.doneWarnings', { name: notice.name, shift: notice.shift })}>
            <ReasonList reasons={notice.warnings} timeZone={grid.location.timezone} />
            <Button variant="secondary" size="small" onClick={() => setNotice(null)}>
              {t('common.dismiss')}
            </Button>
          </Alert>
        </div>
      ) : null}

      {canSuggest && (fill.dialogOpen || fill.proposal || fill.conflicts.length > 0) ? (
        <Suspense fallback={null}>
          <SuggestFillPanel fill={fill} grid={grid} canManage={rights.manage} />
        </Suspense>
      ) : null}

      <DndContext
        sensors={sensors}
        collisionDetection={shiftCollision}
        accessibility={{ announcements, screenReaderInstructions: { draggable: t('week.drag.instructions') } }}
        onDragStart={onDragStart}
        onDragEnd={onDragEnd}
        onDragCancel={() => setDragged(null)}
      >
        <ProposalProvider fill={fill} active={canSuggest}>
          <div className="week-layout">
            <PeoplePanel people={grid.people} positions={grid.positions} timeZone={grid.location.timezone} days={grid.days} />
            <div className="week-layout__main">
              <WeekGridView
                grid={grid}
                actions={{
                  onAssign: (shift) => setAssigning({ mode: 'list', shift }),
                  onUnassign: (shift, assignment) => void takeOff(shift, assignment),
                  leaving,
                  onEdit: canChangeShifts ? (shift) => setEditing({ mode: 'edit', shift }) : undefined,
                }}
                onAdd={canChangeShifts ? (date, positionId) => setEditing({ mode: 'create', date, positionId }) : undefined}
              />
            </div>
          </div>
        </ProposalProvider>
        <DragOverlay dropAnimation={null}>{dragged ? <PersonChip person={dragged} /> : null}</DragOverlay>
      </DndContext>

      <CoveragePanel grid={grid} />
      {everPublished ? <HistoryPanel weekId={week.id} timeZone={grid.location.timezone} /> : null}

      {assigning ? (
        <AssignFlow
          key={`${assigning.mode}-${assigning.shift.id}-${assigning.mode === 'drop' ? assigning.person.person.id : ''}`}
          start={assigning}
          grid={grid}
          canManage={rights.manage}
          onAssigned={assignedNotice}
          onClose={() => setAssigning(null)}
        />
      ) : null}
      {editing ? (
        <ShiftDialog
          grid={grid}
          target={editing}
          canManage={rights.manage}
          onClose={() => setEditing(null)}
          onDelete={(shift) => {
            setEditing(null);
            setRemoving({ kind: 'shift', shift });
          }}
        />
      ) : null}
      {removing?.kind === 'shift' ? (
        <ConfirmChange
          title={t('week.removeShift.title')}
          message={
            removing.shift.assignments.length > 0
              ? tp('week.removeShift.messagePeople', removing.shift.assignments.length, { shift: label(removing.shift) })
              : t('week.removeShift.message', { shift: label(removing.shift) })
          }
          confirmLabel={t('week.removeShift.confirm')}
          canGiveReason={rights.manage}
          run={(reason) =>
            removeShift.mutateAsync({ shiftId: removing.shift.id, body: { expectedVersion: week.version, ...(reason ? { reason } : {}) } })
          }
          errorText={(error) => weekErrorMessage(i18n, error, personName)}
          onDone={() => {
            toast.success(t('week.removeShift.done', { shift: label(removing.shift) }));
            setRemoving(null);
          }}
          onCancel={() => setRemoving(null)}
        />
      ) : null}
      {removing?.kind === 'assignment' ? (
        <ConfirmChange
          title={t('week.unassign.title', { name: removing.assignment.person.name })}
          message={t('week.unassign.message', { name: removing.assignment.person.name, shift: label(removing.shift) })}
          confirmLabel={t('week.unassign.confirm')}
          canGiveReason={rights.manage}
          askReasonFirst
          run={(reason) =>
            unassign.mutateAsync({ assignmentId: removing.assignment.id, body: { expectedVersion: week.version, ...(reason ? { reason } : {}) } })
          }
          errorText={(error) => weekErrorMessage(i18n, error, personName)}
          onDone={() => {
            toast.success(t('week.unassign.done', { name: removing.assignment.person.name }));
            setRemoving(null);
          }}
          onCancel={() => setRemoving(null)}
        />
      ) : null}
      {publishing ? <PublishDialog grid={grid} onClose={() => setPublishing(false)} /> : null}
    </div>
  );
}
