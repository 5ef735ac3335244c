// /me/notifications — my notifications, newest first (self.service): each worded from its kind and parameters,
// unread ones highlighted, opening one marks it read and leads to the screen it is about, "Mark all as read",
// more through the cursor; below, a switch per kind for whether it also comes by e-mail.
//
// Stable selectors: [data-testid="notifications"] the page, [data-testid="unread-summary"],
// [data-testid="mark-all-read"], [data-testid="notification"] an item (data-id, data-kind, data-unread) with its
// link, [data-testid="notifications-more"], [data-testid="no-notifications"], [data-testid="email-settings"] with
// [data-testid="email-switch-<kind>"] (a checkbox with role="switch").
import { useId } from 'react';
import { Link } from 'react-router';
import {
  useMarkRead,
  useNotifications,
  useNotificationSettings,
  useSaveNotificationSetting,
} from '../../api/notifications';
import { NOTICE_KINDS, type NoticeKind, type NotificationItem } from '../../api/shiftRequestTypes';
import { Button, LoadError, Loading } from '../../components/feedback';
import { useTitle } from '../../components/Layout';
import { useToast } from '../../components/toast';
import { noticeKindLabel, notificationSentence, notificationTarget } from './notificationText';
import { useRequestText } from './requestI18n';
import './selfService.css';
import '../../styles/requests.css';

export function NotificationsPage() {
  const text = useRequestText();
  const { rt, rtp } = text;
  useTitle(rt('notifications.title'));
  const list = useNotifications();
  const markRead = useMarkRead();
  const toast = useToast();
  const pages = list.data?.pages ?? [];
  const items = pages.flatMap((page) => page.items);
  // Every page carries the count; the newest page's is the freshest.
  const unread = pages[0]?.unread ?? 0;

  const markAll = () =>
    markRead.mutate(null, {
      onSuccess: () => toast.success(rt('notifications.allRead')),
      onError: (error) => toast.error(text.errorMessage(error)),
    });

  return (
    <div className="page self-page req-page" data-testid="notifications">
      <header className="page__header page__header--actions">
        <div>
          <h1>{rt('notifications.title')}</h1>
          <p className="muted" data-testid="unread-summary">
            {unread > 0 ? rtp('notifications.unread', unread) : rt('notifications.allCaughtUp')}
          </p>
        </div>
        <Button
          variant="secondary"
          onClick={markAll}
          busy={markRead.isPending && markRead.variables === null}
          disabled={unread === 0}
          data-testid="mark-all-read"
        >
          {rt('notifications.markAllRead')}
        </Button>
      </header>

      {list.isPending ? (
        <Loading />
      ) : list.isError && items.length === 0 ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : items.length === 0 ? (
        <div className="card empty-state" data-testid="no-notifications">
          <p className="empty-state__lead">{rt('notifications.empty.title')}</p>
          <p className="muted">{rt('notifications.empty.body')}</p>
        </div>
      ) : (
        <section className="self-section" aria-label={rt('notifications.listLabel')}>
          <ul className="req-notes">
            {items.map((item) => (
              <NotificationRow key={item.id} item={item} onOpen={() => (item.readAt ? undefined : markRead.mutate([item.id]))} />
            ))}
          </ul>
          {list.hasNextPage ? (
            <Button
              variant="secondary"
              onClick={() => void list.fetchNextPage()}
              busy={list.isFetchingNextPage}
              className="req-notes__more"
              data-testid="notifications-more"
            >
              {text.t('common.loadMore')}
            </Button>
          ) : null}
        </section>
      )}

      <EmailSettings />
    </div>
  );
}

function NotificationRow({ item, onOpen }: { item: NotificationItem; onOpen: () => void }) {
  const text = useRequestText();
  const unread = !item.readAt;
  return (
    <li
      className={unread ? 'req-note is-unread' : 'req-note'}
      data-testid="notification"
      data-id={item.id}
      data-kind={item.kind}
      data-unread={String(unread)}
    >
      <Link className="req-note__link" to={notificationTarget(item.kind)} onClick={onOpen}>
        <span className="req-note__dot" aria-hidden="true" />
        <span className="req-note__body">
          {unread ? <span className="visually-hidden">{text.rt('notifications.unreadMark')}: </span> : null}
          <span className="req-note__text">{notificationSentence(text, item)}</span>
          <time className="req-note__time small muted" dateTime={item.createdAt}>
            {text.formatDateTime(item.createdAt)}
          </time>
        </span>
      </Link>
    </li>
  );
}

function EmailSettings() {
  const text = useRequestText();
  const { rt } = text;
  const toast = useToast();
  const settings = useNotificationSettings();
  const save = useSaveNotificationSetting();
  const headingId = useId();

  const shown = (kind: NoticeKind): boolean => {
    // The switch moves at once; the server's answer replaces the list.
    if (save.isPending && save.variables?.kind === kind) return save.variables.email;
    return settings.data?.find((s) => s.kind === kind)?.email ?? true;
  };

  return (
    <section className="section card req-email" aria-labelledby={headingId} data-testid="email-settings">
      <h2 id={headingId}>{rt('notifications.email.title')}</h2>
      <p className="muted small">{rt('notifications.email.intro')}</p>
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <LoadError error={settings.error} onRetry={() => void settings.refetch()} />
      ) : (
        <ul className="req-switches">
          {NOTICE_KINDS.map((kind) => (
            <li key={kind}>
              {/* The whole row is the label, so all of it (at least 52 px high) toggles the switch. */}
              <label className="req-switch-row">
                <span className="req-switch-row__label">{noticeKindLabel(text, kind)}</span>
                <input
                  type="checkbox"
                  role="switch"
                  className="req-switch"
                  checked={shown(kind)}
                  disabled={save.isPending && save.variables?.kind === kind}
                  onChange={(e) => {
                    const email = e.target.checked;
                    save.mutate(
                      { kind, email },
                      {
                        onSuccess: () =>
                          toast.success(
                            rt(email ? 'notifications.email.on' : 'notifications.email.off', { what: noticeKindLabel(text, kind) }),
                          ),
                        onError: (error) => toast.error(text.errorMessage(error)),
                      },
                    );
                  }}
                  data-testid={`email-switch-${kind}`}
                />
              </label>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
