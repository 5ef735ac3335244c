// Setting a person's level of one competency (crew.manage): 0–5 with a note and the date of the assessment
// (today by default, never in the future in the location's time zone). The history keeps every assessment.
import { useId, useState, type FormEvent } from 'react';
import { isApiError } from '../../api/client';
import { useAssess } from '../../api/crew';
import type { Competency, Membership } from '../../api/schedulingTypes';
import { Alert, Button } from '../../components/feedback';
import { Modal } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { todayInZone } from '../hiring/zonedTime';
import { crewErrorMessage, crewFieldMessage } from './crewText';
import { Field, LevelDots, MAX_LEVEL } from './ui';

export const ASSESS_NOTE_MAX = 500;

export function AssessDialog({
  userId,
  personName,
  competency,
  location,
  current,
  onClose,
}: {
  userId: string;
  personName: string;
  competency: Competency;
  location: Pick<Membership['location'], 'timezone'>;
  current: number;
  onClose: () => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const toast = useToast();
  const assess = useAssess();
  const groupId = useId();
  const today = todayInZone(location.timezone);
  const [level, setLevel] = useState(current);
  const [note, setNote] = useState('');
  const [assessedOn, setAssessedOn] = useState(today);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found: Record<string, string> = {};
    // The dialog starts at the current level, which the server does not cap: never send one outside 0–5.
    if (!Number.isInteger(level) || level < 0 || level > MAX_LEVEL) found.level = crewFieldMessage(i18n, 'out_of_range', 'level');
    if ([...note.trim()].length > ASSESS_NOTE_MAX) found.note = crewFieldMessage(i18n, 'too_long', 'note');
    if (!assessedOn) found.assessedOn = crewFieldMessage(i18n, 'required');
    else if (assessedOn > today) found.assessedOn = crewFieldMessage(i18n, 'in_future', 'assessedOn');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    try {
      await assess.mutateAsync({
        userId,
        competencyId: competency.id,
        body: { level, note: note.trim() || null, assessedOn },
      });
      toast.success(t('crew.assess.saved', { name: personName, competency: competency.name, level }));
      onClose();
    } catch (e) {
      if (isApiError(e)) {
        const mapped: Record<string, string> = {};
        for (const [field, code] of Object.entries(e.fields)) mapped[field] = crewFieldMessage(i18n, code, field);
        setErrors(mapped);
      }
    }
  };

  // `competencyId` has its own alert: no generic banner on top of it.
  const shown = ['competencyId', 'level', 'note', 'assessedOn'];
  const banner =
    assess.error && !(isApiError(assess.error) && Object.keys(assess.error.fields).some((f) => shown.includes(f)))
      ? crewErrorMessage(i18n, assess.error)
      : null;
  const formId = `assess-${competency.id}`;

  return (
    <Modal
      title={t('crew.assess.title', { competency: competency.name, name: personName })}
      onClose={assess.isPending ? () => undefined : onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={assess.isPending}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" form={formId} busy={assess.isPending} busyLabel={t('common.saving')}>
            {t('crew.assess.save')}
          </Button>
        </>
      }
    >
      <form id={formId} className="form crew-ui" onSubmit={(e) => void submit(e)} noValidate>
        {banner ? <Alert kind="error">{banner}</Alert> : null}
        {errors.competencyId ? <Alert kind="error">{errors.competencyId}</Alert> : null}
        <fieldset className={errors.level ? 'fieldset field field--invalid' : 'fieldset field'}>
          <legend className="field__label">{t('crew.assess.level')}</legend>
          <div className="level-choice">
            {Array.from({ length: MAX_LEVEL + 1 }, (_, i) => i).map((value) => (
              <label key={value} className={value === level ? 'level-choice__option is-checked' : 'level-choice__option'}>
                <input
                  type="radio"
                  name={groupId}
                  value={value}
                  checked={value === level}
                  onChange={() => setLevel(value)}
                />
                <span className="level-choice__number">{value}</span>
                <span className="level-choice__text">{t(`crew.levelName.${value}` as 'crew.levelName.0')}</span>
                <LevelDots level={value} decorative />
              </label>
            ))}
          </div>
          {errors.level ? <p className="field__error">{errors.level}</p> : null}
        </fieldset>
        <Field label={t('crew.assess.date')} error={errors.assessedOn}>
          {(props) => (
            <input
              {...props}
              className="input"
              type="date"
              max={today}
              value={assessedOn}
              onChange={(e) => setAssessedOn(e.target.value)}
            />
          )}
        </Field>
        <Field label={t('crew.assess.note')} optional hint={t('crew.assess.noteHint')} error={errors.note}>
          {(props) => (
            <textarea
              {...props}
              className="input input--textarea"
              rows={3}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          )}
        </Field>
      </form>
    </Modal>
  );
}
