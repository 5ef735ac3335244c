// /me/calendar — my published shifts as a calendar subscription (self.service). The secret address is in the
// answer to "make" only (the server keeps a fingerprint): it is shown once, in this component's state, with a
// Copy button, a webcal:// link that opens the calendar app's subscribe dialog and a QR code drawn in the
// browser. Afterwards the page says since when the address exists and when a calendar last fetched it; a new
// address (the old one stops working) and removing it both ask first.
//
// Stable selectors: [data-testid="feed-url"] the read-only address field, [data-testid="qr-code"] the QR code.
import { useRef, useState } from 'react';
import { Link } from 'react-router';
import { useCalendarFeed, useCreateFeed, useRemoveFeed } from '../../api/selfService';
import type { CalendarFeedCreated } from '../../api/selfServiceTypes';
import { Alert, Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { ConfirmDialog } from '../../components/Modal';
import { useToast } from '../../components/toast';
import { useI18n } from '../../i18n/I18nProvider';
import { QrCode } from './QrCode';
import './selfService.css';

type Confirm = 'regenerate' | 'remove' | null;

export function CalendarFeedPage() {
  const { t, formatDateTime, errorMessage } = useI18n();
  useTitle(t('calendar.title'));
  const toast = useToast();
  const feed = useCalendarFeed();
  const create = useCreateFeed();
  const remove = useRemoveFeed();
  const [created, setCreated] = useState<CalendarFeedCreated | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);

  const make = () =>
    create.mutate(undefined, {
      onSuccess: (answer) => {
        setCreated(answer);
        setConfirm(null);
      },
    });

  const onRemove = () =>
    remove.mutate(undefined, {
      onSuccess: () => {
        setCreated(null);
        setConfirm(null);
        toast.success(t('calendar.removed'));
      },
    });

  const active = !!created || !!feed.data?.active;

  return (
    <div className="page page--narrow self-page" data-testid="calendar-feed">
      <header className="page__header">
        <p className="back-link">
          <Link to="/me/shifts">← {t('calendar.back')}</Link>
        </p>
        <h1>{t('calendar.title')}</h1>
        <p className="muted">{t('calendar.intro')}</p>
      </header>

      {feed.isPending ? (
        <Loading />
      ) : feed.isError ? (
        <LoadError error={feed.error} onRetry={() => void feed.refetch()} />
      ) : (
        <>
          {created ? <NewAddress created={created} /> : null}
          {active ? (
            <section className="card self-feed" aria-labelledby="feed-state">
              <h2 id="feed-state">{t('calendar.active.title')}</h2>
              <dl className="details self-feed__facts">
                <div className="details__row">
                  <dt>{t('calendar.active.created')}</dt>
                  <dd>{formatDateTime(created?.createdAt ?? feed.data?.createdAt) || t('common.never')}</dd>
                </div>
                <div className="details__row">
                  <dt>{t('calendar.active.lastUsed')}</dt>
                  <dd data-testid="feed-last-used">
                    {feed.data?.lastUsedAt ? formatDateTime(feed.data.lastUsedAt) : t('calendar.active.neverUsed')}
                  </dd>
                </div>
              </dl>
              {!created ? <p className="muted">{t('calendar.active.hidden')}</p> : null}
              <div className="button-row">
                <Button variant="secondary" onClick={() => setConfirm('regenerate')}>
                  {t('calendar.regenerate')}
                </Button>
                <Button variant="ghost" onClick={() => setConfirm('remove')}>
                  {t('calendar.remove')}
                </Button>
              </div>
            </section>
          ) : (
            <section className="card self-feed">
              <p>{t('calendar.none')}</p>
              {create.isError ? <Alert kind="error">{errorMessage(create.error)}</Alert> : null}
              <Button onClick={make} busy={create.isPending} busyLabel={t('calendar.creating')}>
                {t('calendar.create')}
              </Button>
            </section>
          )}
        </>
      )}

      <section className="card self-help" aria-labelledby="feed-help">
        <h2 id="feed-help">{t('calendar.help.title')}</h2>
        <ul className="self-help__list">
          <li>{t('calendar.help.devices')}</li>
          <li>{t('calendar.help.google')}</li>
          <li>{t('calendar.help.contents')}</li>
        </ul>
      </section>

      {confirm === 'regenerate' ? (
        <ConfirmDialog
          title={t('calendar.regenerate.title')}
          message={t('calendar.regenerate.body')}
          confirmLabel={t('calendar.regenerate.confirm')}
          busy={create.isPending}
          busyLabel={t('calendar.creating')}
          danger
          error={create.isError ? errorMessage(create.error) : undefined}
          onConfirm={make}
          onCancel={() => {
            create.reset();
            setConfirm(null);
          }}
        />
      ) : null}
      {confirm === 'remove' ? (
        <ConfirmDialog
          title={t('calendar.remove.title')}
          message={t('calendar.remove.body')}
          confirmLabel={t('calendar.remove.confirm')}
          busy={remove.isPending}
          danger
          error={remove.isError ? errorMessage(remove.error) : undefined}
          onConfirm={onRemove}
          onCancel={() => {
            remove.reset();
            setConfirm(null);
          }}
        />
      ) : null}
    </div>
  );
}

type CopyState = 'idle' | 'copied' | 'manual';

/** The address just made: shown this once. */
function NewAddress({ created }: { created: CalendarFeedCreated }) {
  const { t } = useI18n();
  const input = useRef<HTMLInputElement>(null);
  const [copy, setCopy] = useState<{ url: string; state: CopyState }>({ url: created.url, state: 'idle' });
  const state = copy.url === created.url ? copy.state : 'idle';

  const selectAddress = () => {
    input.current?.focus();
    input.current?.select();
  };

  const onCopy = async () => {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard');
      await navigator.clipboard.writeText(created.url);
      setCopy({ url: created.url, state: 'copied' });
    } catch {
      // No clipboard (an insecure origin, an older browser, a refused permission): select it for the person.
      selectAddress();
      setCopy({ url: created.url, state: 'manual' });
    }
  };

  return (
    <section className="card self-feed self-feed--new" aria-labelledby="feed-new" data-testid="feed-new">
      <h2 id="feed-new">{t('calendar.ready.title')}</h2>
      <Alert kind="info">{t('calendar.ready.once')}</Alert>
      <div className="field">
        <label className="field__label" htmlFor="feed-url">
          {t('calendar.url')}
        </label>
        <div className="self-copy">
          <input
            id="feed-url"
            ref={input}
            className="input self-copy__input"
            type="text"
            readOnly
            value={created.url}
            onFocus={(e) => e.currentTarget.select()}
            spellCheck={false}
            autoCapitalize="none"
            autoCorrect="off"
            data-testid="feed-url"
          />
          <Button variant="secondary" onClick={() => void onCopy()}>
            {t('calendar.copy')}
          </Button>
        </div>
        <p className="field__hint" role="status" data-testid="copy-status">
          {state === 'copied' ? t('calendar.copied') : state === 'manual' ? t('calendar.copyManual') : ''}
        </p>
      </div>
      <div className="self-feed__add">
        <a className="button button--primary" href={created.webcalUrl}>
          {t('calendar.add')}
        </a>
        <p className="muted small">{t('calendar.addHint')}</p>
      </div>
      <figure className="self-qr">
        <QrCode text={created.url} label={t('calendar.qr')} loadingLabel={t('calendar.qrLoading')} />
        <figcaption className="muted small">{t('calendar.qrHint')}</figcaption>
      </figure>
    </section>
  );
}
