// "Your data": download everything stored about oneself (GET /api/me/export, a ZIP) and delete one's account
// (DELETE /api/me) after typing one's username, for applicants and crew members.
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { hiringUrls, useDeleteAccount } from '../../api/hiring';
import type { Me } from '../../api/types';
import { Button, FormError } from '../../components/feedback';
import { TextField } from '../../components/fields';
import { Modal } from '../../components/Modal';
import { useI18n } from '../../i18n/I18nProvider';

export function AccountDataSection({ me }: { me: Me }) {
  const { t } = useI18n();
  const [deleting, setDeleting] = useState(false);
  // The server lets applicants and crew members erase themselves; staff accounts are removed by an admin.
  const canDelete = me.role === 'applicant' || me.role === 'crew_member';
  return (
    <section className="card" aria-labelledby="my-data-title">
      <h2 id="my-data-title">{t('myData.title')}</h2>
      <p className="muted">{t('myData.intro')}</p>
      <div className="button-row">
        <a className="button button--secondary" href={hiringUrls.myDataExport} download>
          {t('myData.download')}
        </a>
        {canDelete ? (
          <Button variant="danger" onClick={() => setDeleting(true)}>
            {t('myData.delete')}
          </Button>
        ) : null}
      </div>
      {deleting ? <DeleteAccountDialog me={me} onClose={() => setDeleting(false)} /> : null}
    </section>
  );
}

function DeleteAccountDialog({ me, onClose }: { me: Me; onClose: () => void }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const remove = useDeleteAccount();
  const [typed, setTyped] = useState('');
  const matches = typed.trim() === me.username;
  const leaving = useRef<(() => void) | null>(null);

  // This dialog unmounts once the login page is on screen; only then may the user be forgotten. Earlier, this
  // page's own guard would see nobody logged in and send them to the login with a `?next=` back here.
  useEffect(
    () => () => {
      leaving.current?.();
    },
    [],
  );

  const onConfirm = async () => {
    try {
      await remove.mutateAsync(
        () =>
          new Promise<void>((resolve) => {
            leaving.current = resolve;
            // Should the page stay (a blocked navigation), the user is forgotten anyway.
            window.setTimeout(resolve, 5000);
            void navigate('/login', { replace: true, state: { notice: 'accountDeleted' } });
          }),
      );
    } catch {
      /* shown below */
    }
  };
  return (
    <Modal
      title={t('myData.deleteTitle')}
      onClose={remove.isPending ? () => undefined : onClose}
      role="alertdialog"
      size="small"
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={remove.isPending}>
            {t('common.cancel')}
          </Button>
          <Button
            variant="danger"
            disabled={!matches}
            busy={remove.isPending}
            busyLabel={t('myData.deleting')}
            onClick={() => void onConfirm()}
          >
            {t('myData.deleteConfirmButton')}
          </Button>
        </>
      }
    >
      <FormError error={remove.error} />
      <p>{t('myData.deleteWarning')}</p>
      <TextField
        label={t('myData.typeUsername', { username: me.username })}
        name="confirmUsername"
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        value={typed}
        onValueChange={setTyped}
        data-autofocus
      />
    </Modal>
  );
}
