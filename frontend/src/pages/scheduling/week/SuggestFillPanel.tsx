// "Suggest fill" on a draft week (its own chunk, loaded when the button is first pointed at): the proposal panel (summary, apply / select all /
// select none / discard, the list) and, after applying, the items the rules refused on the way in. Applying
// goes through the server's normal assignment path in one transaction; the grid then reloads and shows the
// applied people as real assignments.
//
// Stable selectors for the browser test (keep them):
//   [data-testid="suggest-fill"]         the button; opens the options dialog ([data-testid="suggest-options"],
//                                        venues in [data-testid="suggest-venues"] li[data-location-id], submit
//                                        [data-testid="suggest-run"], busy state [data-testid="suggest-busy"])
//   [data-testid="proposed-assignee"]    a proposed person in the grid (data-user-id, data-shift-id), its check box
//   [data-testid="suggest-panel"]        the panel; [data-testid="suggestion"] (data-shift-id, data-user-id) and
//                                        [data-testid="unfilled"] (data-shift-id) inside
//   [data-testid="apply-suggestions"]    "Apply selected"; [data-testid="discard-suggestions"] "Discard"
//   [data-testid="apply-conflicts"]      what did not apply, each li[data-code]
import { useEffect, useId, useRef } from 'react';
import { useApplySuggestions } from '../../../api/autofill';
import type { WeekGrid } from '../../../api/schedulingTypes';
import { Alert, Button } from '../../../components/feedback';
import { useToast } from '../../../components/toast';
import { useI18n } from '../../../i18n/I18nProvider';
import { SuggestFillDialog } from './SuggestFillDialog';
import { ProposalList } from './SuggestFillList';
import type { ConflictShown, FillState } from './SuggestFillState';
import { conflictText, fillKey, fillShiftLabel, secondsText } from './SuggestFillText';
import { isCode, weekErrorMessage } from './weekText';

export function SuggestFillPanel({ fill, grid, canManage }: { fill: FillState; grid: WeekGrid; canManage: boolean }) {
  return (
    <>
      {fill.proposal ? <ProposalPanel fill={fill} /> : null}
      {!fill.proposal && fill.conflicts.length > 0 ? <Conflicts fill={fill} /> : null}
      {fill.dialogOpen ? <SuggestFillDialog fill={fill} grid={grid} canManage={canManage} /> : null}
    </>
  );
}

function ProposalPanel({ fill }: { fill: FillState }) {
  const i18n = useI18n();
  const { t, tp, locale } = i18n;
  const toast = useToast();
  const apply = useApplySuggestions();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  const proposal = fill.proposal;

  // A new proposal takes the focus (from the closed dialog) to its heading.
  useEffect(() => {
    headingRef.current?.focus();
  }, [proposal]);

  if (!proposal) return null;
  const total = proposal.suggestions.length;
  const chosen = proposal.suggestions.filter((s) => fill.isSelected(s));

  const run = () => {
    const items = chosen.map((s) => ({ shiftId: s.shiftId, userId: s.person.id }));
    apply.mutate(
      { weekId: fill.weekId, body: { items } },
      {
        onSuccess: (result) => {
          const lookup = new Map(proposal.suggestions.map((s) => [fillKey(s), s]));
          const left: ConflictShown[] = result.conflicts.map((conflict) => ({ conflict, suggestion: lookup.get(fillKey(conflict)) }));
          toast.success(tp('autofill.applied', result.applied.length));
          fill.applied(left);
        },
        onError: (error) => {
          if (isCode(error, 'suggestions_stale')) fill.markStale();
        },
      },
    );
  };
  const discard = () => {
    fill.discard();
    fill.buttonRef.current?.focus();
  };

  const time = t('autofill.panel.time', { seconds: secondsText(locale, proposal.solveMs) });
  const score = t('autofill.panel.score', { score: new Intl.NumberFormat(locale).format(proposal.score) });

  return (
    <section className="card suggest-panel" data-testid="suggest-panel" aria-labelledby={headingId}>
      <header className="suggest-panel__head">
        <h2 id={headingId} ref={headingRef} tabIndex={-1} className="suggest-panel__title">
          {t('autofill.panel.title')}
        </h2>
        <p className="suggest-panel__summary" role="status" data-testid="suggest-summary">
          <strong>{tp('autofill.panel.filled', proposal.openBefore, { filled: proposal.filled })}</strong>
          {proposal.stoppedEarly ? <span className="suggest-panel__stopped"> · {t('autofill.panel.stoppedEarly')}</span> : null}
          <span className="muted">
            {' · '}
            {time} · {score}
          </span>
        </p>
        <p className="muted small suggest-panel__hint">{t('autofill.panel.hint')}</p>
      </header>

      {fill.stale ? (
        <Alert kind="error" title={t('autofill.stale.title')}>
          <p>{t('autofill.stale.text')}</p>
          <Button variant="secondary" size="small" onClick={fill.openDialog} data-testid="suggest-again">
            {t('autofill.suggestAgain')}
          </Button>
        </Alert>
      ) : apply.isError ? (
        <Alert kind="error">{weekErrorMessage(i18n, apply.error)}</Alert>
      ) : null}

      <div className="suggest-panel__actions">
        <p className="suggest-panel__count" aria-live="polite">
          {t('autofill.panel.selected', { count: chosen.length, total })}
        </p>
        <div className="button-row">
          <Button
            data-testid="apply-suggestions"
            onClick={run}
            busy={apply.isPending}
            busyLabel={t('autofill.applying')}
            disabled={chosen.length === 0 || fill.stale}
          >
            {t('autofill.apply', { count: chosen.length })}
          </Button>
          <Button variant="secondary" onClick={fill.selectAll} disabled={apply.isPending || chosen.length === total}>
            {t('autofill.selectAll')}
          </Button>
          <Button variant="secondary" onClick={fill.selectNone} disabled={apply.isPending || chosen.length === 0}>
            {t('autofill.selectNone')}
          </Button>
          <Button variant="ghost" data-testid="discard-suggestions" onClick={discard} disabled={apply.isPending}>
            {t('autofill.discard')}
          </Button>
        </div>
      </div>

      {proposal.openBefore === 0 ? <p className="muted">{t('autofill.panel.nothingOpen')}</p> : null}
      <ProposalList proposal={proposal} fill={fill} />
    </section>
  );
}

function Conflicts({ fill }: { fill: FillState }) {
  const i18n = useI18n();
  const { t, tp } = i18n;
  const headingId = useId();
  return (
    <section className="card suggest-conflicts" data-testid="apply-conflicts" aria-labelledby={headingId}>
      <h2 id={headingId} className="suggest-conflicts__title">
        {tp('autofill.conflicts.title', fill.conflicts.length)}
      </h2>
      <ul className="suggest-conflicts__list">
        {fill.conflicts.map(({ conflict, suggestion }) => (
          <li key={fillKey(conflict)} data-code={conflict.code} data-shift-id={conflict.shiftId} data-user-id={conflict.userId}>
            <span className="suggest-conflicts__who">
              {suggestion
                ? t('autofill.conflicts.item', { name: suggestion.person.name, shift: fillShiftLabel(i18n, suggestion) })
                : t('autofill.conflicts.unknownItem')}
            </span>
            {': '}
            <span className="suggest-conflicts__why">{conflictText(i18n, conflict)}</span>
            {i18n.lang === 'en' && conflict.message && conflict.message !== conflictText(i18n, conflict) ? (
              <span className="muted small"> ({conflict.message})</span>
            ) : null}
          </li>
        ))}
      </ul>
      <p className="muted small">{t('autofill.conflicts.hint')}</p>
      <div className="button-row">
        <Button variant="secondary" onClick={fill.openDialog}>
          {t('autofill.suggestAgain')}
        </Button>
        <Button variant="ghost" onClick={fill.dismissConflicts}>
          {t('autofill.conflicts.hide')}
        </Button>
      </div>
    </section>
  );
}
