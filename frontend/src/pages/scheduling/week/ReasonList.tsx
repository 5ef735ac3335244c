// The rule engine's reasons as a list: the rule's short name, its sentence, and its weight in words for screen
// readers (the colour and marker only repeat it).
import type { RuleReason } from '../../../api/schedulingTypes';
import { useI18n } from '../../../i18n/I18nProvider';
import { reasonDetail, ruleLabel } from './weekText';

export function ReasonList({
  reasons,
  timeZone,
  className,
}: {
  reasons: readonly RuleReason[];
  timeZone: string;
  className?: string;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  if (reasons.length === 0) return null;
  return (
    <ul className={['reason-list', className ?? ''].filter(Boolean).join(' ')}>
      {reasons.map((reason, index) => (
        <li key={`${reason.code}-${index}`} className={`reason reason--${reason.severity}`} data-code={reason.code}>
          <span className="visually-hidden">{t(`week.severity.${reason.severity}`)}: </span>
          <span className="reason__label">{ruleLabel(t, reason.code)}</span>
          <span className="reason__text"> {reasonDetail(i18n, reason, timeZone)}</span>
        </li>
      ))}
    </ul>
  );
}
