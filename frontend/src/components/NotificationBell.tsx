// The navigation's bell: a link to /me/notifications with the number unread, asked for every minute (the list
// endpoint with limit=1 carries the count). For people with self-service; the server keeps notifications per person.
//
// Stable selectors: [data-testid="notification-bell"] the link, [data-testid="notification-count"] the number.
import { NavLink } from 'react-router';
import { useUnreadCount } from '../api/notifications';
import { useRequestText } from '../pages/selfservice/requestI18n';
import '../styles/notificationBell.css';

export function NotificationBell() {
  const { rt, rtp } = useRequestText();
  const unread = useUnreadCount();
  const label = unread ? `${rt('nav.notifications')} (${rtp('notifications.unread', unread)})` : rt('nav.notifications');
  return (
    <NavLink to="/me/notifications" className="notif-bell" aria-label={label} title={label} data-testid="notification-bell">
      <svg className="notif-bell__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path
          d="M12 2a6 6 0 0 0-6 6v3.6l-1.7 3.4A1 1 0 0 0 5.2 16.5h13.6a1 1 0 0 0 .9-1.5L18 11.6V8a6 6 0 0 0-6-6Zm0 20a3 3 0 0 0 2.8-2h-5.6A3 3 0 0 0 12 22Z"
          fill="currentColor"
        />
      </svg>
      {unread ? (
        <span className="notif-bell__count" aria-hidden="true" data-testid="notification-count">
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </NavLink>
  );
}
