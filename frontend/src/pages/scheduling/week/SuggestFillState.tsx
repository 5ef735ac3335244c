// The state of "Suggest fill" on one week screen: the proposal on screen, which of its suggestions are ticked,
// the outcome of the last apply, and the options dialog. The grid's shift cards read the proposal through a
// context (ProposedAssignees), so the grid itself needs no new props.
import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { ApplyConflict, FillSuggestionItem, FillProposal } from '../../../api/autofillTypes';
import { TIME_BUDGET_DEFAULT_MS } from '../../../api/autofillTypes';
import { useI18n } from '../../../i18n/I18nProvider';
import '../../../styles/suggestFill.css';
import { fillKey } from './SuggestFillText';

/** What the dialog asks: other venues to fill too, and the time budget as typed (seconds). */
export interface SuggestOptions {
  locationIds: string[];
  budgetSeconds: string;
}

/** A suggestion the server did not apply, with the suggestion it was (for the name and the shift). */
export interface ConflictShown {
  conflict: ApplyConflict;
  suggestion: FillSuggestionItem | undefined;
}

export interface FillState {
  /** The week on screen: its suggestions show in the grid, the others only in the panel. */
  weekId: string;
  proposal: FillProposal | null;
  selected: ReadonlySet<string>;
  isSelected: (suggestion: FillSuggestionItem) => boolean;
  toggle: (suggestion: FillSuggestionItem, on: boolean) => void;
  selectAll: () => void;
  selectNone: () => void;
  /** A new proposal, every suggestion ticked. */
  show: (proposal: FillProposal) => void;
  discard: () => void;
  /** Nothing could be applied: the proposal is behind the schedule. */
  stale: boolean;
  markStale: () => void;
  /** The items the last apply could not save (kept until dismissed or a new proposal). */
  conflicts: ConflictShown[];
  /** After a successful apply: the proposal goes, the conflicts stay. */
  applied: (conflicts: ConflictShown[]) => void;
  dismissConflicts: () => void;
  options: SuggestOptions;
  setOptions: (options: SuggestOptions) => void;
  dialogOpen: boolean;
  openDialog: () => void;
  closeDialog: () => void;
  /** The "Suggest fill" button, where focus goes back when the proposal is discarded. */
  buttonRef: RefObject<HTMLButtonElement | null>;
}

export function defaultOptions(): SuggestOptions {
  return { locationIds: [], budgetSeconds: String(TIME_BUDGET_DEFAULT_MS / 1000) };
}

export function useFillState(weekId: string): FillState {
  const [proposal, setProposal] = useState<FillProposal | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [stale, setStale] = useState(false);
  const [conflicts, setConflicts] = useState<ConflictShown[]>([]);
  const [options, setOptions] = useState<SuggestOptions>(defaultOptions);
  const [dialogOpen, setDialogOpen] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);

  const isSelected = useCallback((s: FillSuggestionItem) => selected.has(fillKey(s)), [selected]);
  const toggle = useCallback((s: FillSuggestionItem, on: boolean) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(fillKey(s));
      else next.delete(fillKey(s));
      return next;
    });
  }, []);
  const selectAll = useCallback(
    () => setSelected(new Set((proposal?.suggestions ?? []).map((s) => fillKey(s)))),
    [proposal],
  );
  const selectNone = useCallback(() => setSelected(new Set()), []);
  const show = useCallback((next: FillProposal) => {
    setProposal(next);
    setSelected(new Set(next.suggestions.map((s) => fillKey(s))));
    setStale(false);
    setConflicts([]);
  }, []);
  const discard = useCallback(() => {
    setProposal(null);
    setSelected(new Set());
    setStale(false);
  }, []);
  const applied = useCallback((left: ConflictShown[]) => {
    setProposal(null);
    setSelected(new Set());
    setStale(false);
    setConflicts(left);
  }, []);

  return {
    weekId,
    proposal,
    selected,
    isSelected,
    toggle,
    selectAll,
    selectNone,
    show,
    discard,
    stale,
    markStale: useCallback(() => setStale(true), []),
    conflicts,
    applied,
    dismissConflicts: useCallback(() => setConflicts([]), []),
    options,
    setOptions,
    dialogOpen,
    openDialog: useCallback(() => setDialogOpen(true), []),
    closeDialog: useCallback(() => setDialogOpen(false), []),
    buttonRef,
  };
}

// ---- the grid's view of the proposal --------------------------------------------------------------------------

interface ProposalView {
  byShift: ReadonlyMap<string, readonly FillSuggestionItem[]>;
  isSelected: (suggestion: FillSuggestionItem) => boolean;
  toggle: (suggestion: FillSuggestionItem, on: boolean) => void;
}

const ProposalContext = createContext<ProposalView | null>(null);
const NONE: readonly FillSuggestionItem[] = [];

/** Gives the shift cards inside the proposal of the week on screen (nothing when there is none). */
export function ProposalProvider({ fill, active, children }: { fill: FillState; active: boolean; children: ReactNode }) {
  const { proposal, weekId, isSelected, toggle } = fill;
  const view = useMemo<ProposalView | null>(() => {
    if (!proposal || !active) return null;
    const byShift = new Map<string, FillSuggestionItem[]>();
    for (const s of proposal.suggestions) {
      if (s.weekId !== weekId) continue;
      const list = byShift.get(s.shiftId);
      if (list) list.push(s);
      else byShift.set(s.shiftId, [s]);
    }
    return { byShift, isSelected, toggle };
  }, [proposal, active, weekId, isSelected, toggle]);
  return <ProposalContext.Provider value={view}>{children}</ProposalContext.Provider>;
}

/** The people proposed for a shift of the week on screen. */
export function useShiftProposals(shiftId: string): readonly FillSuggestionItem[] {
  return useContext(ProposalContext)?.byShift.get(shiftId) ?? NONE;
}

/**
 * The proposed people of one shift as chips inside its card: a dashed outline, "proposed", and a check box that
 * keeps or drops the suggestion (the whole chip is the box's label, so the target is large).
 */
export function ProposedAssignees({ shiftId, shiftLabel }: { shiftId: string; shiftLabel: string }) {
  const { t } = useI18n();
  const view = useContext(ProposalContext);
  const proposed = view?.byShift.get(shiftId) ?? NONE;
  if (!view) return null;
  return (
    <>
      {proposed.map((s) => {
        const on = view.isSelected(s);
        return (
          <li
            key={s.person.id}
            className={on ? 'assignee assignee--proposed is-included' : 'assignee assignee--proposed'}
            data-testid="proposed-assignee"
            data-user-id={s.person.id}
            data-shift-id={s.shiftId}
          >
            <label className="assignee__include">
              <input
                type="checkbox"
                className="checkbox"
                checked={on}
                onChange={(e) => view.toggle(s, e.target.checked)}
                aria-label={t('autofill.include', { name: s.person.name, shift: shiftLabel })}
              />
              <span className="assignee__name">{s.person.name}</span>
              <span className="assignee__proposed">
                {s.borrowedFrom ? t('autofill.proposedFrom', { location: s.borrowedFrom.name }) : t('autofill.proposed')}
              </span>
            </label>
          </li>
        );
      })}
    </>
  );
}

/**
 * The status bar's button (a plain button: focus comes back to it when the proposal is discarded). Pointing at
 * it or focusing it starts loading the panel's code, which has a chunk of its own.
 */
export function SuggestFillButton({ fill, onPrepare }: { fill: FillState; onPrepare?: () => void }) {
  const { t } = useI18n();
  return (
    <button
      ref={fill.buttonRef}
      type="button"
      className="button button--secondary suggest-fill-button"
      data-testid="suggest-fill"
      onClick={fill.openDialog}
      onPointerEnter={onPrepare}
      onFocus={onPrepare}
      aria-haspopup="dialog"
    >
      <span>{t('autofill.button')}</span>
    </button>
  );
}
