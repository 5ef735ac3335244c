// The words of a notification, made here from its kind and parameters (the server stores no sentence, only
// names, times and ids), and where it leads.
import type { NoticeKind, NotificationItem } from '../../api/shiftRequestTypes';
import type { RequestI18n, RequestTextKey } from './requestI18n';
import { weekNumber } from './selfText';

type Decided = 'approved' | 'denied';
type DecidedKind = 'claim' | 'offer' | 'swap' | 'other';

const DECIDED: Record<Decided, Record<DecidedKind, RequestTextKey>> = {
  approved: {
    claim: 'notifications.text.decided.approved.claim',
    offer: 'notifications.text.decided.approved.offer',
    swap: 'notifications.text.decided.approved.swap',
    other: 'notifications.text.decided.approved.request',
  },
  denied: {
    claim: 'notifications.text.decided.denied.claim',
    offer: 'notifications.text.decided.denied.offer',
    swap: 'notifications.text.decided.denied.swap',
    other: 'notifications.text.decided.denied.request',
  },
};

/** The sentence of a notification, in the user's language. Missing parameters never show as placeholders. */
export function notificationSentence(i18n: RequestI18n, item: Pick<NotificationItem, 'kind' | 'params'>): string {
  const p = item.params;
  const by = p.by?.trim() || i18n.rt('notifications.someone');
  switch (item.kind) {
    case 'schedule_changed': {
      const location = p.location || i18n.rt('notifications.yourVenue');
      const week = p.isoWeek ? weekNumber(p.isoWeek) : '';
      const changes = Number.parseInt(p.changes ?? '', 10);
      if (!week) return i18n.rt('notifications.text.schedule_changed_plain', { location });
      return Number.isFinite(changes) && changes > 0
        ? i18n.rtp('notifications.text.schedule_changed', changes, { location, week })
        : i18n.rt('notifications.text.schedule_published', { location, week });
    }
    case 'request_decided': {
      const status: Decided = p.status === 'denied' ? 'denied' : 'approved';
      const kind: DecidedKind = p.kind === 'claim' || p.kind === 'offer' || p.kind === 'swap' ? p.kind : 'other';
      return i18n.rt(DECIDED[status][kind], { by });
    }
    case 'shift_offered':
      // `shift` is the server's own short description of the shift (position, day, times, venue).
      return p.shift
        ? i18n.rt('notifications.text.shift_offered', { by, shift: p.shift })
        : i18n.rt('notifications.text.shift_offered_plain', { by });
    case 'swap_proposed':
      return i18n.rt('notifications.text.swap_proposed', { by });
    case 'request_answered':
      return p.answer === 'declined'
        ? i18n.rt('notifications.text.answered.declined', { by })
        : i18n.rt('notifications.text.answered.accepted', { by });
  }
}

/** Where a notification leads: the screen to act on it or see its result. */
export function notificationTarget(kind: NoticeKind): string {
  switch (kind) {
    case 'schedule_changed':
      return '/me/shifts';
    case 'shift_offered':
      return '/me/open-shifts';
    case 'swap_proposed':
    case 'request_answered':
    case 'request_decided':
      return '/me/requests';
  }
}

const KIND_LABELS: Record<NoticeKind, RequestTextKey> = {
  schedule_changed: 'notifications.kind.schedule_changed',
  request_decided: 'notifications.kind.request_decided',
  shift_offered: 'notifications.kind.shift_offered',
  swap_proposed: 'notifications.kind.swap_proposed',
  request_answered: 'notifications.kind.request_answered',
};

/** What a kind is about, for the e-mail settings ("A colleague offers a shift"). */
export function noticeKindLabel(i18n: Pick<RequestI18n, 'rt'>, kind: NoticeKind): string {
  return i18n.rt(KIND_LABELS[kind]);
}
