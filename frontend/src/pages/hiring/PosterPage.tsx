// /staff/locations/:id/poster — the location's QR poster ready to print: the server's SVG (A4 portrait) with a
// Print button and download links. The print stylesheet prints the poster alone.
import { Link, useParams } from 'react-router';
import { hiringUrls, useLocationDetail } from '../../api/hiring';
import { Button, LoadError } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useI18n } from '../../i18n/I18nProvider';

export function PosterPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const location = useLocationDetail(id);
  const name = location.data?.name ?? '';
  useTitle(name ? t('poster.title', { name }) : t('locations.poster'));

  return (
    <div className="page poster-page">
      <div className="poster-page__toolbar no-print">
        <p className="back-link">
          <Link to="/staff/locations">
            <span aria-hidden="true">← </span>
            {t('poster.back')}
          </Link>
        </p>
        <h1>{name ? t('poster.title', { name }) : t('locations.poster')}</h1>
        <p className="muted">{t('poster.intro')}</p>
        {location.isError ? <LoadError error={location.error} onRetry={() => void location.refetch()} /> : null}
        <div className="button-row">
          <Button onClick={() => window.print()}>{t('poster.print')}</Button>
          <a className="button button--secondary" href={hiringUrls.poster(id, 'svg')} download>
            {t('poster.downloadSvg')}
          </a>
          <a className="button button--secondary" href={hiringUrls.poster(id, 'png')} download>
            {t('poster.downloadPng')}
          </a>
        </div>
      </div>
      <div className="poster-sheet">
        <img
          className="poster-sheet__image"
          src={hiringUrls.poster(id, 'svg')}
          alt={name ? t('poster.alt', { name }) : t('locations.poster')}
        />
      </div>
    </div>
  );
}
