// Small choices the browser remembers between visits (language, the venue last looked at). Storage can be
// disabled (privacy mode, full quota): then nothing is remembered, and the choice still applies for this visit.

export function readRemembered(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

export function remember(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    /* not remembered, still chosen */
  }
}

/** The venue last chosen on the staff screens (crew, week, requests); the navigation's request count follows it. */
export const VENUE_STORAGE_KEY = 'crewplots.crew.location';
