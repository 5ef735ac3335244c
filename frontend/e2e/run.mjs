#!/usr/bin/env node
// Browser tests for Crew Plots, run against a running server (the Rust server serving frontend/dist, or
// `npm run dev` with its proxy). Drives the system's Chromium through playwright-core.
//
//   E2E_BASE_URL=http://localhost:5000 E2E_ADMIN_LOGIN=admin E2E_ADMIN_PASSWORD='…' node e2e/run.mjs
//
// Environment:
//   E2E_BASE_URL         required, e.g. http://localhost:5000
//   E2E_ADMIN_LOGIN      required, username or e-mail of an administrator
//   E2E_ADMIN_PASSWORD   required
//   E2E_SCREENSHOT_DIR   default e2e/screenshots (relative to the current directory); login-390.png,
//                        admin-users-390.png, documents-390.png, board.png, application-390.png,
//                        week-eligible.png, week-grid.png, week-390.png, schedule-crew-390.png,
//                        my-shifts-390.png, open-shifts-390.png, swap-390.png, inbox-390.png, suggest-fill.png,
//                        suggest-fill-390.png, dashboard-1280.png, dashboard-390.png, cash-count-390.png,
//                        cash-submitted-390.png, cash-approvals.png, cash-overview.png, knowledge-editor.png,
//                        knowledge-banner-390.png, knowledge-article-390.png, knowledge-search-390.png,
//                        knowledge-read-status.png, and failure-*.png
//   E2E_CHROMIUM         default /usr/bin/chromium
//   E2E_HEADFUL=1        show the browser window
//   E2E_ONLY=substring   run only tests whose name contains it
//   E2E_VERBOSE=1        print a failure's whole message (Playwright's call log) and stack
//
// Output: one line per test ("PASS name" / "FAIL name: reason"), then exactly "N passed, N failed".
// Exit code: 0 all passed, 1 a test failed, 2 the run could not start (configuration, server, browser).

import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';

const ENGLISH = {
  invalidCredentials: 'The username, e-mail address or password is incorrect.',
  roleCrewMember: 'Crew member',
  roleFloorManager: 'Floor manager',
};
const DUTCH = {
  invalidCredentials: 'De gebruikersnaam, het e-mailadres of het wachtwoord klopt niet.',
};

const TIMEOUT_MS = 15_000;

function fatal(message) {
  console.error(`e2e: ${message}`);
  process.exit(2);
}

// ---- configuration ------------------------------------------------------------------------------------------
const rawBase = process.env.E2E_BASE_URL;
if (!rawBase) {
  fatal(
    'E2E_BASE_URL is not set. Start the server (e.g. `cargo xtask dev`) and run:\n' +
      '  E2E_BASE_URL=http://localhost:5000 E2E_ADMIN_LOGIN=<admin> E2E_ADMIN_PASSWORD=<password> npm run test:e2e',
  );
}
let BASE;
try {
  BASE = new URL(rawBase).origin;
} catch {
  fatal(`E2E_BASE_URL is not a URL: ${rawBase}`);
}
const ADMIN_LOGIN = process.env.E2E_ADMIN_LOGIN;
const ADMIN_PASSWORD = process.env.E2E_ADMIN_PASSWORD;
if (!ADMIN_LOGIN || !ADMIN_PASSWORD) {
  fatal('E2E_ADMIN_LOGIN and E2E_ADMIN_PASSWORD must name an administrator account of the server under test.');
}
const SCREENSHOT_DIR = path.resolve(process.env.E2E_SCREENSHOT_DIR || 'e2e/screenshots');
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';
const ONLY = process.env.E2E_ONLY || '';

const url = (p) => `${BASE}${p}`;
const pathnameOf = (u) => new URL(u).pathname;
const unique = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

// ---- small helpers ------------------------------------------------------------------------------------------
class AssertionError extends Error {}

function assert(condition, message) {
  if (!condition) throw new AssertionError(message);
}

/** Waits until the locator's text (whitespace-normalised) contains or equals the expected text. */
async function waitForText(locator, expected, { exact = false, timeout = TIMEOUT_MS } = {}) {
  const deadline = Date.now() + timeout;
  let last = '';
  while (Date.now() < deadline) {
    try {
      last = ((await locator.first().textContent({ timeout: 1000 })) ?? '').replace(/\s+/g, ' ').trim();
      if (exact ? last === expected : last.includes(expected)) return last;
    } catch {
      /* not there yet */
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new AssertionError(`expected text ${JSON.stringify(expected)}, found ${JSON.stringify(last)}`);
}

// Where a login lands: staff on /staff (the dashboard), crew members on /me/shifts (their home).
async function waitForHome(page, timeout = TIMEOUT_MS) {
  try {
    await page.waitForURL((u) => ['/staff', '/me/shifts'].includes(pathnameOf(u.toString())), { timeout });
  } catch {
    throw new AssertionError(`expected to land on /staff or /me/shifts, but on ${pathnameOf(page.url())}`);
  }
}

async function waitForPath(page, expected, timeout = TIMEOUT_MS) {
  try {
    await page.waitForURL((u) => pathnameOf(u.toString()) === expected, { timeout });
  } catch {
    throw new AssertionError(`expected to be on ${expected}, but on ${pathnameOf(page.url())}`);
  }
}

async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * A picture of one part of the page. Taken from the top of the page with a clip, so the sticky top bar sits
 * above the part instead of covering it (as it would when the part is scrolled into view).
 */
async function screenshotOf(page, locator, name) {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, name);
  await page.evaluate(() => window.scrollTo(0, 0));
  const box = await locator.boundingBox();
  if (!box) throw new AssertionError(`nothing to photograph for ${name}`);
  await page.screenshot({ path: file, fullPage: true, clip: box });
  return file;
}

/** Toasts would cover what a screenshot should show. */
async function dismissToasts(page) {
  const dismiss = page.getByRole('button', { name: 'Dismiss', exact: true });
  for (let i = 0; i < 10 && (await dismiss.count()) > 0; i += 1) {
    await dismiss.first().click({ timeout: 2000 }).catch(() => undefined);
  }
}

/** A small but well-formed PDF of about `size` bytes (padded with comment lines): the server sniffs `%PDF-`. */
function makePdf(size) {
  const head =
    '%PDF-1.4\n' +
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n';
  const tail = 'trailer << /Root 1 0 R >>\n%%EOF\n';
  const line = `%${'x'.repeat(78)}\n`;
  const lines = Math.max(0, Math.ceil((size - head.length - tail.length) / line.length));
  return Buffer.from(head + line.repeat(lines) + tail, 'latin1');
}

/** Every page collects uncaught errors and CSP violations; a test fails on any of them. */
function watchPage(page, problems) {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(text)) {
      problems.push(`CSP violation: ${text}`);
    }
  });
}

async function logIn(page, login, password) {
  await page.goto(url('/login'));
  await page.getByLabel('Username or e-mail address', { exact: true }).fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
}

/** Fills in and sends the registration form (through a venue's QR link when `code` is given); the browser
 * ends up on /portal. */
async function registerApplicant(page, { firstName, lastName, username, password, code }) {
  await page.goto(url(code ? `/register?code=${encodeURIComponent(code)}` : '/register'));
  await page.getByLabel('First name', { exact: true }).fill(firstName);
  await page.getByLabel('Last name', { exact: true }).fill(lastName);
  await page.getByLabel('E-mail address', { exact: true }).fill(`${username}@example.com`);
  await page.getByLabel('Phone number', { exact: true }).fill('+31 6 1234 5678');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Repeat the password', { exact: true }).fill(password);
  await page.getByRole('checkbox', { name: /privacy notice/ }).check();
  await page.getByRole('button', { name: 'Create account', exact: true }).click();
  await waitForPath(page, '/portal');
}

/** Calls the API with the page's cookies (and the CSRF header every state-changing request needs). */
async function api(page, method, apiPath, data) {
  const response = await page.request.fetch(url(apiPath), {
    method,
    data,
    headers: { 'X-Crewplots-Csrf': '1' },
  });
  if (!response.ok()) throw new AssertionError(`${method} ${apiPath} answered ${response.status()}: ${await response.text()}`);
  return response.status() === 204 ? null : response.json();
}

/** Waits for a mail to `to` in the Maildir the test SMTP server writes (E2E_MAILDIR) and returns the token of
 * the link in it. */
async function tokenMailedTo(to) {
  const maildir = process.env.E2E_MAILDIR;
  if (!maildir) throw new AssertionError('E2E_MAILDIR is not set: the server must send mail to a test mailbox');
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    for (const folder of ['new', 'cur']) {
      const dir = path.join(maildir, folder);
      const names = await readdir(dir).catch(() => []);
      for (const name of names) {
        // Bodies may be quoted-printable: undo soft line breaks and =XX escapes (tokens never contain '=').
        const text = (await readFile(path.join(dir, name), 'utf8'))
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
        if (!text.toLowerCase().includes(to.toLowerCase())) continue;
        const match = text.match(/token=([A-Za-z0-9_-]+)/);
        if (match) return match[1];
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new AssertionError(`no mail with a link reached ${to}`);
}

/** Maildir messages (E2E_MAILDIR) to `to` whose text contains `subject`. */
async function mailsTo(to, subject) {
  const maildir = process.env.E2E_MAILDIR;
  if (!maildir) throw new AssertionError('E2E_MAILDIR is not set: the server must send mail to a test mailbox');
  let count = 0;
  for (const folder of ['new', 'cur']) {
    const dir = path.join(maildir, folder);
    for (const name of await readdir(dir).catch(() => [])) {
      const text = await readFile(path.join(dir, name), 'utf8');
      if (text.toLowerCase().includes(to.toLowerCase()) && text.includes(subject)) count += 1;
    }
  }
  return count;
}

async function waitForMails(to, subject, expected) {
  const deadline = Date.now() + TIMEOUT_MS;
  let count = 0;
  while (Date.now() < deadline) {
    count = await mailsTo(to, subject);
    if (count >= expected) return count;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new AssertionError(`${to} got ${count} mails with "${subject}", expected ${expected}`);
}

/** The ISO week (e.g. 2026-W50) of a calendar date given as YYYY-MM-DD. */
function isoWeekOf(date) {
  const day = new Date(`${date}T00:00:00Z`);
  const weekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of that week decides its year
  const year = day.getUTCFullYear();
  const week = Math.ceil(((day - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Next week's ISO week at a location (its timezone decides what "today" is). */
async function nextWeekAt(page, locationId) {
  const location = await api(page, 'GET', `/api/locations/${locationId}`);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: location.timezone }).format(new Date());
  const inAWeek = new Date(Date.parse(`${today}T12:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
  return isoWeekOf(inAWeek);
}

/** This week's ISO week at a location (its timezone decides what "today" is), as the dashboard counts it. */
async function currentWeekAt(page, locationId) {
  const location = await api(page, 'GET', `/api/locations/${locationId}`);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: location.timezone }).format(new Date());
  return isoWeekOf(today);
}

/** Rows of an RFC 4180 CSV text (quoted fields with doubled quotes, CRLF or LF line ends). */
function parseCsv(text, delimiter = ',') {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The calendar date (YYYY-MM-DD) of a weekday (1 = Monday … 7 = Sunday) of an ISO week such as 2026-W50. */
function dateInIsoWeek(isoWeek, weekday) {
  const [year, week] = isoWeek.split('-W').map(Number);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = Date.UTC(year, 0, 4) - ((jan4.getUTCDay() || 7) - 1) * 86_400_000 + (week - 1) * 7 * 86_400_000;
  return new Date(monday + (weekday - 1) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Fetches a personal calendar feed (no cookies: the secret URL is the key) and parses it with ical.js, the
 * client library calendar web apps use, never with our own code. Returns the events by UID.
 */
async function feedEvents(feedUrl) {
  const { default: ICAL } = await import('ical.js');
  const response = await fetch(feedUrl, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  assert(response.ok, `the feed answered ${response.status}`);
  const type = response.headers.get('content-type') ?? '';
  assert(type.startsWith('text/calendar'), `the feed is served as ${type}`);
  const calendar = new ICAL.Component(ICAL.parse(await response.text()));
  const events = new Map();
  for (const vevent of calendar.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(vevent);
    events.set(event.uid, {
      start: event.startDate.toJSDate().toISOString(),
      end: event.endDate.toJSDate().toISOString(),
      sequence: Number(vevent.getFirstPropertyValue('sequence') ?? 0),
      status: String(vevent.getFirstPropertyValue('status') ?? 'CONFIRMED'),
    });
  }
  return events;
}

/** A staff member for a test: unique login and e-mail from `key`; `id` is set once the account exists. */
function staffMember(key, firstName, role) {
  return {
    firstName,
    lastName: `${key}${unique}`,
    login: `e2e-${key.toLowerCase()}-${unique}`,
    email: `e2e-${key.toLowerCase()}-${unique}@example.com`,
    role,
  };
}

/**
 * The administrator (logged in) adds staff at a venue through /api/admin/users; each person then sets
 * `password` through the invitation mail. Ends logged out. Sets `id` on every person.
 */
async function addStaffAt(page, venueId, people, password) {
  for (const p of people) {
    const made = await api(page, 'POST', '/api/admin/users', {
      firstName: p.firstName,
      lastName: p.lastName,
      email: p.email,
      username: p.login,
      role: p.role,
      locationIds: [venueId],
    });
    p.id = made.id;
  }
  await logOut(page);
  for (const p of people) {
    const token = await tokenMailedTo(p.email);
    await page.goto(url(`/reset-password?token=${token}`));
    await page.getByLabel('New password', { exact: true }).fill(password);
    await page.getByLabel('Repeat the password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Set password', exact: true }).click();
    await waitForPath(page, '/login');
  }
}

/** Adds a one-slot shift to a week through the API (weekday 1 = Monday … 7 = Sunday); returns its id. */
async function addShiftTo(page, { weekId, isoWeek, positionId }, weekday, start, end) {
  const made = await api(page, 'POST', `/api/weeks/${weekId}/shifts`, {
    date: dateInIsoWeek(isoWeek, weekday),
    positionId,
    start,
    end,
    slots: 1,
  });
  return made.shiftId;
}

/** Nothing on the page is wider than a 390 px phone. */
async function assertNoSidewaysScroll(page, what) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert(width <= 390, `${what} scrolls sideways at 390 px (${width}px wide)`);
}

async function logOut(page) {
  const menu = page.getByRole('button', { name: 'Menu', exact: true });
  if (await menu.isVisible()) await menu.click(); // narrow screens: the nav is behind the menu button
  await page.getByRole('button', { name: 'Log out', exact: true }).click();
  await waitForPath(page, '/login');
}

// ---- the tests ----------------------------------------------------------------------------------------------
const shared = {};

const tests = [
  {
    name: '(a) register a new applicant, land on /portal, log out, log in again, log out',
    async run({ page }) {
      const username = `e2e-app-${unique}`;
      const password = `E2e passphrase ${unique}`;
      shared.applicant = { username, password };

      await registerApplicant(page, { firstName: 'Eva', lastName: `Tester ${unique}`, username, password });
      await waitForText(page.getByRole('heading', { level: 1 }), 'Hello, Eva!', { exact: true });
      await page.getByText('Your applications will appear here.', { exact: true }).waitFor();

      await logOut(page);
      await logIn(page, username, password);
      await waitForPath(page, '/portal');
      await waitForText(page.getByRole('heading', { level: 1 }), 'Hello, Eva!', { exact: true });
      await logOut(page);

      // Logged out for real: a protected page sends us to the login.
      await page.goto(url('/portal'));
      await waitForPath(page, '/login');
    },
  },
  {
    name: '(b) a wrong password shows the translated invalid-credentials message',
    viewport: { width: 390, height: 844 },
    async run({ page }) {
      await page.goto(url('/login'));
      await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
      await screenshot(page, 'login-390.png');

      const login = shared.applicant?.username ?? `e2e-nobody-${unique}`;
      await page.getByLabel('Username or e-mail address', { exact: true }).fill(login);
      await page.getByLabel('Password', { exact: true }).fill('definitely the wrong password');
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      const alert = page.getByRole('alert');
      await waitForText(alert, ENGLISH.invalidCredentials);
      assert(pathnameOf(page.url()) === '/login', 'should stay on /login');

      // The same error in Dutch after switching the language.
      await page.getByRole('button', { name: 'NL', exact: true }).click();
      await waitForText(alert, DUTCH.invalidCredentials);
      await page.getByRole('button', { name: 'EN', exact: true }).click();
      await waitForText(alert, ENGLISH.invalidCredentials);
    },
  },
  {
    name: '(c) administrator invites a crew member and changes the role to floor manager',
    async run({ page }) {
      await logIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
      await page.waitForURL((u) => pathnameOf(u.toString()) !== '/login', { timeout: TIMEOUT_MS }).catch(() => {
        throw new AssertionError('administrator login failed (check E2E_ADMIN_LOGIN / E2E_ADMIN_PASSWORD)');
      });
      await page.goto(url('/admin/users'));
      await page.getByRole('heading', { name: 'Users', level: 1 }).waitFor();

      // A crew member needs a location: make one when the install has none.
      const locations = page.locator('.location-list__item');
      await page.locator('.location-list, .card p:text-is("No locations yet.")').first().waitFor();
      if ((await locations.count()) === 0) {
        const name = `E2E Venue ${unique}`;
        await page.getByLabel('Name', { exact: true }).fill(name);
        await page.getByRole('button', { name: 'Add location', exact: true }).click();
        await page.getByText(`Location ${name} has been added.`).waitFor();
        await locations.first().waitFor();
      }

      // Invite.
      const username = `e2e-crew-${unique}`;
      await page.getByRole('button', { name: 'Invite a user', exact: true }).click();
      const invite = page.getByRole('dialog', { name: 'Invite a staff member' });
      await invite.getByLabel('First name', { exact: true }).fill('Chris');
      await invite.getByLabel('Last name', { exact: true }).fill(`Crew ${unique}`);
      await invite.getByLabel('E-mail address', { exact: true }).fill(`${username}@example.com`);
      await invite.getByLabel('Username', { exact: true }).fill(username);
      await invite.getByLabel('Role', { exact: true }).selectOption('crew_member');
      const firstLocation = invite.getByRole('group', { name: 'Locations' }).getByRole('checkbox').first();
      await firstLocation.waitFor();
      await firstLocation.check();
      await invite.getByRole('button', { name: 'Send invitation', exact: true }).click();
      await page.getByText(/has been invited/).first().waitFor();
      await invite.waitFor({ state: 'detached' });

      // Find the new user and check the list shows the role.
      await page.getByLabel('Search', { exact: true }).fill(username);
      const row = page.locator(`tr[data-username="${username}"]`);
      await row.waitFor();
      await waitForText(row.locator('.cell-role'), ENGLISH.roleCrewMember, { exact: true });

      // Change the role, confirm, and see it in the list.
      await row.getByRole('button', { name: /^Manage / }).click();
      const manage = page.getByRole('dialog');
      await manage.getByLabel('Role', { exact: true }).selectOption('floor_manager');
      await manage.getByRole('button', { name: 'Save role', exact: true }).click();
      const confirm = page.getByRole('alertdialog');
      await waitForText(confirm, `to ${ENGLISH.roleFloorManager}?`);
      await confirm.getByRole('button', { name: 'Save role', exact: true }).click();
      await page.getByText(/is now Floor manager\./).first().waitFor();
      await manage.getByRole('button', { name: 'Close', exact: true }).click();
      await manage.waitFor({ state: 'detached' });
      await waitForText(row.locator('.cell-role'), ENGLISH.roleFloorManager, { exact: true });

      // The user-administration screen on a phone: the nav collapses behind a menu button.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByRole('button', { name: 'Menu', exact: true }).waitFor();
      assert(
        !(await page.getByRole('link', { name: 'Users', exact: true }).isVisible()),
        'at 390 px the navigation should be collapsed',
      );
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(scrollWidth <= 390, `the page scrolls sideways at 390 px (${scrollWidth}px wide)`);
      // Toasts would hide the list: dismiss them, and start the picture at the top of the page.
      await dismissToasts(page);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'admin-users-390.png');
      await logOut(page);
    },
  },
  {
    name: '(d) applicant uploads a PDF CV and a manager approves it',
    async run({ page }) {
      const username = `e2e-doc-${unique}`;
      const password = `E2e passphrase ${unique}`;
      const lastName = `Docs ${unique}`;
      const fullName = `Dana ${lastName}`;
      const reviewBadge = (item) => item.locator('[class*="badge--review-"]');

      // The administrator opens a venue and invites its manager (through the API: scenario (c) covers the
      // screens); the manager sets a password through the link in the invitation mail.
      await logIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
      await waitForHome(page);
      const venue = await api(page, 'POST', '/api/locations', { name: `E2E Docs Venue ${unique}` });
      const managerLogin = `e2e-mgr-${unique}`;
      const managerEmail = `${managerLogin}@example.com`;
      const managerPassword = `Manager passphrase ${unique}`;
      await api(page, 'POST', '/api/admin/users', {
        firstName: 'Max',
        lastName: `Manager ${unique}`,
        email: managerEmail,
        username: managerLogin,
        role: 'manager',
        locationIds: [venue.id],
      });
      await logOut(page);
      const token = await tokenMailedTo(managerEmail);
      await page.goto(url(`/reset-password?token=${token}`));
      await page.getByLabel('New password', { exact: true }).fill(managerPassword);
      await page.getByLabel('Repeat the password', { exact: true }).fill(managerPassword);
      await page.getByRole('button', { name: 'Set password', exact: true }).click();
      await waitForPath(page, '/login');

      // A new applicant, through the venue's QR link, so the venue's manager sees them.
      await registerApplicant(page, { firstName: 'Dana', lastName, username, password, code: venue.applicationCode });

      // The portal's documents section: empty at first.
      const mine = page.getByRole('region', { name: 'My documents', exact: true });
      await mine.scrollIntoViewIfNeeded();
      await mine.getByText('No documents yet.', { exact: true }).waitFor();

      // Upload a generated ~20 KB PDF as a CV.
      const pdfPath = path.join(os.tmpdir(), `crewplots-e2e-cv-${unique}.pdf`);
      await writeFile(pdfPath, makePdf(20 * 1024));
      try {
        await mine.getByLabel('Kind of document', { exact: true }).selectOption('resume');
        await mine.getByLabel('File', { exact: true }).setInputFiles(pdfPath);
        await mine.getByRole('button', { name: 'Upload', exact: true }).click();
        await page.getByText('The document (CV) has been uploaded and awaits review.', { exact: true }).waitFor();
      } finally {
        await rm(pdfPath, { force: true });
      }
      const myCv = mine.locator('li.doc[data-kind="resume"]');
      await waitForText(reviewBadge(myCv), 'Pending review', { exact: true });
      await waitForText(myCv.locator('.doc__meta'), '· PDF');

      // The documents section on a phone.
      await page.setViewportSize({ width: 390, height: 844 });
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(scrollWidth <= 390, `the portal scrolls sideways at 390 px (${scrollWidth}px wide)`);
      await dismissToasts(page);
      await screenshotOf(page, mine, 'documents-390.png');
      await page.setViewportSize({ width: 1280, height: 900 });
      await logOut(page);

      // The venue's manager finds it in the review queue on the staff home.
      await logIn(page, managerLogin, managerPassword);
      await waitForHome(page);
      const queue = page.getByRole('region', { name: /^Awaiting review/ });
      await queue.locator('.queue-list, p.muted').first().waitFor();
      const showAll = queue.getByRole('button', { name: /^Show all/ });
      if ((await showAll.count()) > 0) await showAll.click();
      const entry = queue.getByRole('link', { name: new RegExp(fullName) }).first();
      await entry.waitFor({ timeout: 5000 }).catch(() => {
        throw new AssertionError(`${fullName} is not in the review queue on the staff home`);
      });
      await waitForText(entry, 'CV · uploaded');
      await entry.click();

      // The applicant's page: approve the CV.
      await page.waitForURL((u) => pathnameOf(u.toString()).startsWith('/staff/people/'), { timeout: TIMEOUT_MS });
      await waitForText(page.getByRole('heading', { level: 1 }), fullName, { exact: true });
      const theirs = page.getByRole('region', { name: 'Documents', exact: true });
      const theirCv = theirs.locator('li.doc[data-kind="resume"]');
      await waitForText(reviewBadge(theirCv), 'Pending review', { exact: true });
      await theirCv.getByRole('button', { name: 'Approve', exact: true }).click();
      await page.getByText('The document has been approved.', { exact: true }).waitFor();
      await waitForText(reviewBadge(theirCv), 'Approved', { exact: true });
      await logOut(page);

      // The applicant sees the decision.
      await logIn(page, username, password);
      await waitForPath(page, '/portal');
      const again = page.getByRole('region', { name: 'My documents', exact: true });
      await waitForText(reviewBadge(again.locator('li.doc[data-kind="resume"]')), 'Approved', { exact: true });
      await logOut(page);
    },
  },
  {
    name: '(e) QR link → register and apply → CV → manager: board, note, interview, short-list, hire → crew',
    async run({ page }) {
      const firstName = 'Hana';
      const lastName = `Hire ${unique}`;
      const fullName = `${firstName} ${lastName}`;
      const username = `e2e-hire-${unique}`;
      const password = `E2e passphrase ${unique}`;
      const noteText = `Internal note ${unique}: strong cocktail skills`;
      const venueName = `E2E Hiring Venue ${unique}`;

      // The administrator opens a venue and invites its manager (screens for that are covered by (c) and (d)).
      await logIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
      await waitForHome(page);
      const venue = await api(page, 'POST', '/api/locations', { name: venueName });
      assert(venue.applicationUrl.endsWith(`/apply/${venue.applicationCode}`), 'the QR link is /apply/<code>');
      const managerLogin = `e2e-hmgr-${unique}`;
      const managerEmail = `${managerLogin}@example.com`;
      const managerPassword = `Manager passphrase ${unique}`;
      const managerName = `Mila Manager${unique}`;
      await api(page, 'POST', '/api/admin/users', {
        firstName: 'Mila',
        lastName: `Manager${unique}`,
        email: managerEmail,
        username: managerLogin,
        role: 'manager',
        locationIds: [venue.id],
      });
      // The poster behind the QR code renders.
      const poster = await page.request.get(url(`/api/locations/${venue.id}/poster?format=svg`));
      assert(poster.ok() && (await poster.text()).includes('<svg'), 'the poster is an SVG');
      await logOut(page);
      const token = await tokenMailedTo(managerEmail);
      await page.goto(url(`/reset-password?token=${token}`));
      await page.getByLabel('New password', { exact: true }).fill(managerPassword);
      await page.getByLabel('Repeat the password', { exact: true }).fill(managerPassword);
      await page.getByRole('button', { name: 'Set password', exact: true }).click();
      await waitForPath(page, '/login');

      // Scanning the poster = opening the application link: it leads to registration with the venue's code,
      // and after registering straight to the application form for that venue.
      await page.goto(url(`/apply/${venue.applicationCode}`));
      await waitForPath(page, '/register');
      assert(new URL(page.url()).searchParams.get('code') === venue.applicationCode, 'the code is carried along');
      await page.getByLabel('First name', { exact: true }).fill(firstName);
      await page.getByLabel('Last name', { exact: true }).fill(lastName);
      await page.getByLabel('E-mail address', { exact: true }).fill(`${username}@example.com`);
      await page.getByLabel('Phone number', { exact: true }).fill('+31 6 1234 5678');
      await page.getByLabel('Username', { exact: true }).fill(username);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByLabel('Repeat the password', { exact: true }).fill(password);
      await page.getByRole('checkbox', { name: /privacy notice/ }).check();
      await page.getByRole('button', { name: 'Create account', exact: true }).click();
      await waitForPath(page, '/portal');
      const form = page.getByRole('form', { name: 'Apply for a job' });
      await waitForText(form, `Applying to ${venueName}`);
      await form.getByLabel('Position', { exact: true }).fill('Bartender');
      await form.getByLabel(/^Availability/).fill('Evenings and weekends');
      await form.getByRole('textbox', { name: /^Motivation letter/ }).fill('I love making people happy behind the bar.');
      await form.getByRole('button', { name: 'Send application', exact: true }).click();
      await page.getByText(`Your application to ${venueName} has been sent.`).first().waitFor();
      const application = page.getByRole('article', { name: venueName });
      await application.waitFor();

      // A CV, as in (d).
      const mine = page.getByRole('region', { name: 'My documents', exact: true });
      const pdfPath = path.join(os.tmpdir(), `crewplots-e2e-hire-${unique}.pdf`);
      await writeFile(pdfPath, makePdf(12 * 1024));
      try {
        await mine.getByLabel('Kind of document', { exact: true }).selectOption('resume');
        await mine.getByLabel('File', { exact: true }).setInputFiles(pdfPath);
        await mine.getByRole('button', { name: 'Upload', exact: true }).click();
        await page.getByText('The document (CV) has been uploaded and awaits review.', { exact: true }).waitFor();
      } finally {
        await rm(pdfPath, { force: true });
      }
      await logOut(page);

      // The manager finds the card on the venue's board and opens it.
      await logIn(page, managerLogin, managerPassword);
      await waitForHome(page);
      await page.getByRole('link', { name: /Applications board/ }).first().click();
      await waitForPath(page, '/staff/board');
      await page.getByRole('search').getByLabel('Location', { exact: true }).selectOption(venue.id);
      const newColumn = page.getByRole('region', { name: /^New/ });
      const card = newColumn.getByRole('article', { name: fullName });
      await card.waitFor();
      await waitForText(card, 'Bartender');
      await dismissToasts(page);
      await screenshot(page, 'board.png');
      await card.getByRole('link', { name: fullName, exact: true }).click();
      await page.waitForURL((u) => pathnameOf(u.toString()).startsWith('/staff/applications/'), { timeout: TIMEOUT_MS });
      await waitForText(page.getByRole('heading', { level: 1 }), fullName);

      // An internal note.
      const noteForm = page.getByRole('form', { name: 'Add a note' });
      await noteForm.getByRole('textbox', { name: /^Note/ }).fill(noteText);
      await noteForm.getByRole('button', { name: 'Add note', exact: true }).click();
      await page.getByText('The note has been added.').first().waitFor();
      await page.getByText(noteText).first().waitFor();

      // An interview next week at 14:30, the manager interviewing.
      await page.getByRole('button', { name: 'Schedule interview', exact: true }).click();
      const dialog = page.getByRole('dialog', { name: 'Schedule an interview' });
      const nextWeek = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString().slice(0, 10);
      await dialog.getByLabel('Date', { exact: true }).fill(nextWeek);
      await dialog.getByLabel('Time', { exact: true }).fill('14:30');
      await dialog.getByLabel(/^Place/).fill('Back office');
      await dialog.getByLabel(/^Interviewer/).selectOption({ label: `${managerName} (Manager)` });
      await dialog.getByRole('button', { name: 'Send invitation', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByText('Back office').first().waitFor();

      const applicationPath = pathnameOf(page.url());
      await logOut(page);

      // The applicant's portal now shows the interview — and never the note.
      await logIn(page, username, password);
      await waitForPath(page, '/portal');
      const theirs = page.getByRole('article', { name: venueName });
      await waitForText(theirs, 'Back office');
      assert(!(await page.content()).includes(noteText), 'the applicant portal shows the internal note');
      await page.setViewportSize({ width: 390, height: 844 });
      const portalWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(portalWidth <= 390, `the portal scrolls sideways at 390 px (${portalWidth}px wide)`);
      await dismissToasts(page);
      await screenshotOf(page, theirs, 'application-390.png');
      await page.setViewportSize({ width: 1280, height: 900 });
      await logOut(page);

      // Interviewed, then short-listed, then hired.
      await logIn(page, managerLogin, managerPassword);
      await waitForHome(page);
      await page.goto(url(applicationPath));
      await waitForText(page.getByRole('heading', { level: 1 }), fullName);
      for (const status of ['Interviewed', 'Short-listed']) {
        await page.getByRole('button', { name: 'Move to…', exact: true }).first().click();
        await page.getByRole('menuitem', { name: status, exact: true }).click();
        await page.getByText(`${fullName} is now ${status}.`).first().waitFor();
      }
      await page.getByRole('button', { name: 'Hire', exact: true }).click();
      const hire = page.getByRole('dialog', { name: `Hire ${fullName}` });
      await hire.getByLabel('Position', { exact: true }).fill('Bartender');
      await hire.getByLabel(/^Contracted hours per week/).fill('24');
      const start = new Date(Date.now() + 14 * 24 * 3600 * 1000).toISOString().slice(0, 10);
      await hire.getByLabel('Start date', { exact: true }).fill(start);
      await hire.getByRole('button', { name: 'Confirm hire', exact: true }).click();
      await page.getByText(`${fullName} has been hired.`).first().waitFor();
      // The history shows each step with who did it.
      for (const step of ['Interviewed', 'Short-listed', 'Hired']) await page.getByText(step).first().waitFor();
      await logOut(page);

      // The new crew member lands on their shifts; their location is on the Home page, and no trace of the note
      // anywhere they can go.
      await logIn(page, username, password);
      await waitForPath(page, '/me/shifts');
      await page.getByRole('heading', { name: 'Open shifts you can claim', exact: true }).waitFor();
      await page.goto(url('/staff'));
      const locations = page.getByRole('region', { name: 'Your locations', exact: true });
      await waitForText(locations, venueName);
      const seen = await page.content();
      assert(!seen.includes(noteText), 'the crew member sees the internal note');
      const mineNow = await api(page, 'GET', '/api/me/applications');
      assert(mineNow[0].status === 'hired', `expected the application to be hired, got ${mineNow[0].status}`);
      assert(!JSON.stringify(mineNow).includes('cocktail'), 'the applicant data carries the note');
      const me = await api(page, 'GET', '/api/auth/me');
      const notes = await page.request.get(url(`/api/people/${me.id}/notes`));
      assert(notes.status() === 403 || notes.status() === 404, 'notes are refused to the person');
      await logOut(page);
    },
  },
  {
    name: '(f) template → next week → an ineligible person refused with the reason → assign, publish → crew sees it; a draft change stays hidden until published again and only the changed person gets mail',
    async run({ page }) {
      const venueName = `E2E Schedule Venue ${unique}`;
      const password = `Crew passphrase ${unique}`;
      const manager = staffMember('Sched', 'Sam', 'manager');
      const ana = staffMember('Ana', 'Ana', 'crew_member');
      const ben = staffMember('Ben', 'Ben', 'crew_member');
      const cas = staffMember('Cas', 'Cas', 'crew_member');
      const people = [manager, ana, ben, cas];

      // The administrator opens a venue and invites its manager and three crew members (their accounts are
      // what hiring would have made); each sets a password through the invitation mail.
      await logIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
      await waitForHome(page);
      const venue = await api(page, 'POST', '/api/locations', { name: venueName });
      await addStaffAt(page, venue.id, people, password);

      // The manager's catalogue and crew details (the crew screens have their own unit tests): Bartender
      // needs Cocktails level 3; Ana and Ben have it, Cas only level 1.
      await logIn(page, manager.login, password);
      await waitForHome(page);
      const cocktails = await api(page, 'POST', `/api/locations/${venue.id}/competencies`, { name: 'Cocktails' });
      const bartender = await api(page, 'POST', `/api/locations/${venue.id}/positions`, {
        name: 'Bartender',
        requirements: [{ competencyId: cocktails.id, minLevel: 3 }],
      });
      for (const [p, level] of [[ana, 4], [ben, 3], [cas, 1]]) {
        await api(page, 'PATCH', `/api/locations/${venue.id}/crew/${p.id}`, {
          positionIds: [bartender.id],
          contractedHours: 24,
          startDate: '2026-01-01',
        });
        await api(page, 'PUT', `/api/crew/${p.id}/competencies/${cocktails.id}`, { level, note: 'Assessed on shift' });
      }

      // A template made on the template screen: Friday 20:00 → 02:00 (overnight), two bartenders.
      const templateName = `Weekend ${unique}`;
      await page.goto(url(`/staff/templates?location=${venue.id}`));
      await page.getByRole('button', { name: 'New template', exact: true }).click();
      const create = page.getByRole('dialog', { name: 'New template' });
      await create.getByLabel('Name', { exact: true }).fill(templateName);
      await create.getByRole('button', { name: 'Create', exact: true }).click();
      await page.getByRole('button', { name: 'Add a shift on Friday', exact: true }).click();
      const row = page.locator('section.template-day[data-weekday="5"] fieldset').first();
      await row.locator('[data-field="positionId"]').selectOption(bartender.id);
      await row.locator('[data-field="start"]').fill('20:00');
      await row.locator('[data-field="end"]').fill('02:00');
      await row.locator('[data-field="slots"]').fill('2');
      await row.getByText('Ends the next day').waitFor();
      await page.getByRole('button', { name: 'Save template', exact: true }).click();
      await page.getByText(`Template ${templateName} saved.`).first().waitFor();

      // Next week, made from the template on the week screen.
      const nextIso = await nextWeekAt(page, venue.id);
      await page.goto(url(`/staff/schedule/${venue.id}/${nextIso}`));
      const creator = page.getByTestId('create-week');
      await creator.waitFor();
      await creator.getByLabel(/template/i).first().check().catch(() => undefined);
      await creator.locator('select').first().selectOption({ label: templateName });
      await creator.getByRole('button', { name: 'Create week', exact: true }).click();
      const shift = page.getByTestId('shift').first();
      await shift.waitFor();
      assert((await shift.getAttribute('data-position')) === 'Bartender', 'the week has the template\'s Bartender shift');
      await waitForText(shift, '20:00–02:00');
      await waitForText(page.getByTestId('week-status'), 'Draft');

      // Cas is below the competency minimum: greyed out with the reason, before anything is saved.
      await shift.getByTestId('assign').first().click();
      const eligible = page.getByTestId('eligible-list');
      const casRow = eligible.locator(`[data-testid="eligible-person"][data-user-id="${cas.id}"]`);
      await casRow.waitFor();
      assert((await casRow.getAttribute('data-eligible')) === 'false', 'Cas is not eligible');
      await waitForText(casRow, 'Cocktails');
      await screenshot(page, 'week-eligible.png');
      // Ana is, and is assigned from the list.
      const anaRow = eligible.locator(`[data-testid="eligible-person"][data-user-id="${ana.id}"]`);
      assert((await anaRow.getAttribute('data-eligible')) === 'true', 'Ana is eligible');
      await anaRow.getByRole('button').first().click();
      await shift.locator(`[data-testid="assignee"][data-user-id="${ana.id}"]`).waitFor();
      await page.keyboard.press('Escape');
      await eligible.waitFor({ state: 'detached', timeout: 5000 }).catch(() => undefined);
      // Ben is dragged from the crew list onto the shift with the mouse (dnd-kit's pointer sensor): his verdict
      // is fetched on the drop, and as he is eligible the assignment is saved.
      await dismissToasts(page);
      const benHandle = page.locator(`li.week-person[data-user-id="${ben.id}"] .week-person__handle`);
      await benHandle.scrollIntoViewIfNeeded();
      const from = await benHandle.boundingBox();
      await page.mouse.move(from.x + 20, from.y + from.height / 2);
      await page.mouse.down();
      await page.mouse.move(from.x + 40, from.y + from.height / 2, { steps: 5 });
      await shift.scrollIntoViewIfNeeded();
      const to = await shift.boundingBox();
      await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 15 });
      await page.mouse.up();
      await shift.locator(`[data-testid="assignee"][data-user-id="${ben.id}"]`).waitFor();
      await dismissToasts(page);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'week-grid.png');

      // Publish: the dialog names the two people who will be told.
      await page.getByTestId('publish').click();
      const publish = page.getByTestId('publish-dialog');
      await publish.waitFor();
      await waitForText(publish, 'Ana');
      assert((await publish.getByTestId('notify-person').count()) === 2, 'two people are notified');
      await publish.getByTestId('confirm-publish').click();
      await waitForText(page.getByTestId('week-status'), 'Published');
      // The manager's week on a phone: the days stack, nothing scrolls sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByTestId('shift').first().waitFor();
      const gridWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(gridWidth <= 390, `the manager's week scrolls sideways at 390 px (${gridWidth}px wide)`);
      await dismissToasts(page);
      await screenshot(page, 'week-390.png');
      await page.setViewportSize({ width: 1280, height: 900 });
      await logOut(page);

      // Ana sees the published week on a phone, her shift marked as hers.
      await page.setViewportSize({ width: 390, height: 844 });
      await logIn(page, ana.login, password);
      await waitForHome(page);
      await page.goto(url(`/schedule/${venue.id}/${nextIso}`));
      const hers = page.locator('[data-testid="published-shift"][data-mine="true"]');
      await hers.first().waitFor();
      await waitForText(hers.first(), '20:00');
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert(width <= 390, `the crew's week scrolls sideways at 390 px (${width}px wide)`);
      await dismissToasts(page);
      await screenshot(page, 'schedule-crew-390.png');
      await logOut(page);
      await page.setViewportSize({ width: 1280, height: 900 });

      // The manager takes Ben off the shift: a draft change, invisible to the crew until published again.
      await logIn(page, manager.login, password);
      await waitForHome(page);
      await page.goto(url(`/staff/schedule/${venue.id}/${nextIso}`));
      const benChip = page.locator(`[data-testid="assignee"][data-user-id="${ben.id}"]`);
      await benChip.getByRole('button').first().click();
      const confirm = page.getByRole('dialog');
      if ((await confirm.count()) > 0) await confirm.getByRole('button', { name: /Remove/ }).last().click();
      await benChip.waitFor({ state: 'detached' });
      await logOut(page);

      await logIn(page, ben.login, password);
      await waitForHome(page);
      await page.goto(url(`/schedule/${venue.id}/${nextIso}`));
      await page.locator('[data-testid="published-shift"][data-mine="true"]').first().waitFor();
      await logOut(page);

      // Published again: only Ben is named, only Ben gets a second mail.
      await logIn(page, manager.login, password);
      await waitForHome(page);
      await page.goto(url(`/staff/schedule/${venue.id}/${nextIso}`));
      await page.getByTestId('publish').click();
      const again = page.getByTestId('publish-dialog');
      await again.getByTestId('notify-person').first().waitFor();
      assert((await again.getByTestId('notify-person').count()) === 1, 'only the changed person is notified');
      await waitForText(again.getByTestId('notify-person').first(), 'Ben');
      await again.getByTestId('confirm-publish').click();
      await waitForText(page.getByTestId('week-status'), 'Published');
      await logOut(page);

      await waitForMails(ben.email, 'Your shifts', 2);
      await new Promise((r) => setTimeout(r, 1500)); // the sender runs every 200 ms: anything more would be here
      const anaMails = await mailsTo(ana.email, 'Your shifts');
      assert(anaMails === 1, `Ana got ${anaMails} schedule mails, expected only the first`);
      assert((await mailsTo(cas.email, 'Your shifts')) === 0, 'Cas is not on the week and got no mail');

      await logIn(page, ben.login, password);
      await waitForHome(page);
      await page.goto(url(`/schedule/${venue.id}/${nextIso}`));
      await page.locator('[data-testid="published-shift"]').first().waitFor();
      assert(
        (await page.locator('[data-testid="published-shift"][data-mine="true"]').count()) === 0,
        'Ben no longer sees the shift as his',
      );
      await logOut(page);
    },
  },
  {
    name: '(g) crew swap on a phone: A offers B a swap, B accepts, the floor manager approves; both feeds (ical.js) follow; approved time off blocks assigning A',
    async run({ page }) {
      const password = `Crew passphrase ${unique}`;
      const max = staffMember('Swapmgr', 'Max', 'manager');
      const flo = staffMember('Swapfloor', 'Flo', 'floor_manager');
      const ann = staffMember('Ann', 'Ann', 'crew_member');
      const bob = staffMember('Bob', 'Bob', 'crew_member');
      const people = [max, flo, ann, bob];

      // The administrator opens a venue with its manager, floor manager and two crew members; each sets a
      // password through the invitation mail.
      await logIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
      await waitForHome(page);
      const venue = await api(page, 'POST', '/api/locations', { name: `E2E Swap Venue ${unique}` });
      await addStaffAt(page, venue.id, people, password);

      // The manager's next week (made through the API; the week screens have their own test): Ann works
      // Tuesday 18–23, Bob Wednesday 12–18, Friday has an open runner slot and Thursday a shift for later.
      await logIn(page, max.login, password);
      await waitForHome(page);
      const runner = await api(page, 'POST', `/api/locations/${venue.id}/positions`, { name: 'Runner', requirements: [] });
      for (const p of [ann, bob]) {
        await api(page, 'PATCH', `/api/locations/${venue.id}/crew/${p.id}`, {
          positionIds: [runner.id],
          contractedHours: 24,
          startDate: '2026-01-01',
        });
      }
      const nextIso = await nextWeekAt(page, venue.id);
      const created = await api(page, 'POST', `/api/locations/${venue.id}/weeks`, { isoWeek: nextIso, source: 'empty' });
      const weekId = created.week.id;
      const week = { weekId, isoWeek: nextIso, positionId: runner.id };
      const addShift = (weekday, start, end) => addShiftTo(page, week, weekday, start, end);
      const tuesday = await addShift(2, '18:00', '23:00');
      const wednesday = await addShift(3, '12:00', '18:00');
      const thursday = await addShift(4, '17:00', '23:00');
      await addShift(5, '19:00', '01:00');
      const assign = async (shiftId, who) =>
        (await api(page, 'POST', `/api/shifts/${shiftId}/assignments`, { userId: who.id })).assignment.id;
      const annTuesday = await assign(tuesday, ann);
      const bobWednesday = await assign(wednesday, bob);
      const grid = await api(page, 'GET', `/api/locations/${venue.id}/weeks/${nextIso}`);
      await api(page, 'POST', `/api/weeks/${weekId}/publish`, { expectedVersion: grid.week.version });
      await logOut(page);

      // Ann on her phone: her published shift, the open Friday slot, her calendar subscription.
      await page.setViewportSize({ width: 390, height: 844 });
      await logIn(page, ann.login, password);
      await waitForHome(page);
      await page.goto(url('/me/shifts'));
      const annShift = page.locator(`[data-testid="my-shift"][data-assignment-id="${annTuesday}"]`);
      await annShift.waitFor();
      await waitForText(annShift, '18:00');
      await assertNoSidewaysScroll(page, 'my shifts');
      await dismissToasts(page);
      await screenshot(page, 'my-shifts-390.png');
      await page.goto(url('/me/open-shifts'));
      const open = page.locator('[data-testid="open-shift"]');
      await open.first().waitFor();
      assert((await open.count()) === 2, `Ann sees ${await open.count()} open shifts, expected Thursday and Friday`);
      await assertNoSidewaysScroll(page, 'open shifts');
      await screenshot(page, 'open-shifts-390.png');
      const annFeed = (await api(page, 'POST', '/api/me/calendar-feed')).url;
      const annBefore = await feedEvents(annFeed);
      const tuesdayUid = `${annTuesday}@crewplots`;
      assert(annBefore.has(tuesdayUid), 'Ann\'s feed has her Tuesday shift');
      assert(annBefore.get(tuesdayUid).status !== 'CANCELLED', 'Ann\'s Tuesday starts out confirmed');

      // She proposes a swap of her Tuesday for Bob's Wednesday.
      await page.goto(url('/me/requests'));
      const upcoming = page.locator(`[data-testid="upcoming-shift"][data-assignment-id="${annTuesday}"]`);
      await upcoming.getByTestId('offer-swap-open').click();
      const dialog = page.getByTestId('offer-swap-dialog');
      await dialog.getByTestId('mode-swap').click();
      await dialog.locator(`[data-testid="swap-target"][data-assignment-id="${bobWednesday}"]`).check();
      await page.getByTestId('swap-submit').click();
      const mine = page.locator('[data-testid="mine"] [data-testid="request"][data-kind="swap"]');
      await mine.first().waitFor();
      assert(
        (await mine.first().getAttribute('data-status')) === 'pending_colleague',
        `the swap waits for Bob, but is ${await mine.first().getAttribute('data-status')}`,
      );
      await logOut(page);

      // Bob answers on his phone.
      await logIn(page, bob.login, password);
      await waitForHome(page);
      const bobFeed = (await api(page, 'POST', '/api/me/calendar-feed')).url;
      const bobBefore = await feedEvents(bobFeed);
      const wednesdayUid = `${bobWednesday}@crewplots`;
      assert(bobBefore.has(wednesdayUid), 'Bob\'s feed has his Wednesday shift');
      await page.goto(url('/me/requests'));
      const proposal = page.locator('[data-testid="to-answer"] [data-testid="request"][data-kind="swap"]');
      await proposal.first().waitFor();
      await waitForText(proposal.first(), 'Ann');
      await assertNoSidewaysScroll(page, 'the swap screen');
      await dismissToasts(page);
      await screenshot(page, 'swap-390.png');
      await proposal.first().getByTestId('swap-accept').click();
      await page
        .locator('[data-testid="request"][data-kind="swap"][data-status="pending_approval"]')
        .first()
        .waitFor();
      await logOut(page);

      // The floor manager approves it from the inbox, on a phone too.
      await logIn(page, flo.login, password);
      await waitForHome(page);
      await page.goto(url(`/staff/requests?location=${venue.id}`));
      const inboxItem = page.locator('[data-testid="shift-request"][data-kind="swap"]');
      await inboxItem.first().waitFor();
      await waitForText(inboxItem.first(), 'Bob');
      await assertNoSidewaysScroll(page, 'the requests inbox');
      await dismissToasts(page);
      await screenshot(page, 'inbox-390.png');
      await inboxItem.first().getByTestId('request-approve').click();
      await page.getByTestId('decision-confirm').click();
      await page
        .locator('[data-testid="shift-request"][data-kind="swap"][data-status="approved"]')
        .first()
        .waitFor({ state: 'attached' })
        .catch(async () => {
          // The inbox shows only undecided requests unless asked: the card leaving is the approval.
          await inboxItem.first().waitFor({ state: 'detached' });
        });
      await logOut(page);

      // Both feeds, parsed by ical.js: the given-away events are cancelled with a higher SEQUENCE and each has
      // the other's shift.
      const expectCancelled = (events, uid, before, who) => {
        const event = events.get(uid);
        assert(event, `${who}'s old event ${uid} vanished at once instead of being cancelled`);
        assert(event.status === 'CANCELLED', `${who}'s old event is ${event.status}, expected CANCELLED`);
        assert(event.sequence > before.sequence, `${who}'s cancelled event kept SEQUENCE ${event.sequence}`);
      };
      const startsOf = (events) =>
        [...events.values()].filter((e) => e.status !== 'CANCELLED').map((e) => e.start);
      const annAfter = await feedEvents(annFeed);
      const bobAfter = await feedEvents(bobFeed);
      expectCancelled(annAfter, tuesdayUid, annBefore.get(tuesdayUid), 'Ann');
      expectCancelled(bobAfter, wednesdayUid, bobBefore.get(wednesdayUid), 'Bob');
      assert(
        JSON.stringify(startsOf(annAfter)) === JSON.stringify([bobBefore.get(wednesdayUid).start]),
        `Ann's feed should hold only Bob's old Wednesday, holds ${JSON.stringify(startsOf(annAfter))}`,
      );
      assert(
        JSON.stringify(startsOf(bobAfter)) === JSON.stringify([annBefore.get(tuesdayUid).start]),
        `Bob's feed should hold only Ann's old Tuesday, holds ${JSON.stringify(startsOf(bobAfter))}`,
      );

      // Ann asks for Thursday off on the time-off screen.
      const thursdayDate = dateInIsoWeek(nextIso, 4);
      await logIn(page, ann.login, password);
      await waitForHome(page);
      await page.goto(url('/me/time-off'));
      const form = page.getByTestId('time-off-form');
      await form.getByLabel('First day', { exact: true }).fill(thursdayDate);
      await form.getByLabel('Last day', { exact: true }).fill(thursdayDate);
      await form.getByRole('button', { name: 'Send request', exact: true }).click();
      await page.locator('[data-testid="time-off"][data-status="pending"]').first().waitFor();
      await logOut(page);
      await page.setViewportSize({ width: 1280, height: 900 });

      // The manager approves it in the inbox; assigning Ann on Thursday is then refused, even with an override.
      await logIn(page, max.login, password);
      await waitForHome(page);
      await page.goto(url(`/staff/requests?location=${venue.id}`));
      const timeOff = page.locator('[data-testid="time-off-request"][data-status="pending"]');
      await timeOff.first().waitFor();
      await timeOff.first().getByRole('button', { name: /Approve the time off/ }).click();
      await page.getByTestId('decision-dialog').waitFor();
      await page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click();
      // The inbox lists what waits for a decision: the approved request leaves it.
      await timeOff.first().waitFor({ state: 'detached' });
      const approved = await api(page, 'GET', `/api/locations/${venue.id}/time-off?status=approved`);
      assert(JSON.stringify(approved).includes(ann.id), 'Ann\'s time off is not among the approved ones');
      const refused = await page.request.fetch(url(`/api/shifts/${thursday}/assignments`), {
        method: 'POST',
        data: { userId: ann.id, override: { reason: 'Short-staffed' } },
        headers: { 'X-Crewplots-Csrf': '1' },
      });
      const body = await refused.json();
      assert(
        refused.status() === 422 && body.error?.code === 'time_off',
        `assigning Ann inside her time off answered ${refused.status()} ${JSON.stringify(body)}`,
      );
      await logOut(page);
    },
  },
  {
    name: '(h) suggest fill: the manager asks for a proposal on next week\'s draft, sees why each person, unticks one, applies the rest, publishes',
    async run({ page }) {
      const password = `Crew passphrase ${unique}`;
      const fay = staffMember('Fillmgr', 'Fay', 'manager');
      const crew = [
        staffMember('Dee', 'Dee', 'crew_member'),
        staffMember('Eli', 'Eli', 'crew_member'),
        staffMember('Fen', 'Fen', 'crew_member'),
        staffMember('Gil', 'Gil', 'crew_member'),
      ];

      // The administrator opens a venue with its manager and four crew members.
      await logIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
      await waitForHome(page);
      const venue = await api(page, 'POST', '/api/locations', { name: `E2E Fill Venue ${unique}` });
      await addStaffAt(page, venue.id, [fay, ...crew], password);

      // The manager's position and crew (24 contracted hours each), and next week as an empty draft with five
      // one-slot shifts, all open.
      await logIn(page, fay.login, password);
      await waitForHome(page);
      const waiter = await api(page, 'POST', `/api/locations/${venue.id}/positions`, { name: 'Waiter', requirements: [] });
      for (const p of crew) {
        await api(page, 'PATCH', `/api/locations/${venue.id}/crew/${p.id}`, {
          positionIds: [waiter.id],
          contractedHours: 24,
          startDate: '2026-01-01',
        });
      }
      const nextIso = await nextWeekAt(page, venue.id);
      const created = await api(page, 'POST', `/api/locations/${venue.id}/weeks`, { isoWeek: nextIso, source: 'empty' });
      const week = { weekId: created.week.id, isoWeek: nextIso, positionId: waiter.id };
      const shiftIds = [
        await addShiftTo(page, week, 1, '12:00', '18:00'),
        await addShiftTo(page, week, 2, '18:00', '23:00'),
        await addShiftTo(page, week, 3, '12:00', '18:00'),
        await addShiftTo(page, week, 4, '18:00', '23:00'),
        await addShiftTo(page, week, 6, '12:00', '18:00'),
      ];

      // Suggest fill on the week screen: the options dialog, then the proposal in the grid and the panel.
      await page.goto(url(`/staff/schedule/${venue.id}/${nextIso}`));
      await page.getByTestId('week-grid').waitFor();
      await waitForText(page.getByTestId('week-status'), 'Draft');
      await page.getByTestId('suggest-fill').click();
      const options = page.getByTestId('suggest-options');
      await options.waitFor();
      await options.getByTestId('suggest-run').click();
      const chips = page.getByTestId('proposed-assignee');
      // The search takes up to its budget (2 s by default) plus loading and saving nothing.
      await chips.first().waitFor({ timeout: 30_000 });
      const panel = page.getByTestId('suggest-panel');
      await panel.waitFor();
      await waitForText(panel.getByTestId('suggest-summary'), 'Filled');
      const proposed = await chips.evaluateAll((nodes) =>
        nodes.map((n) => ({ shiftId: n.getAttribute('data-shift-id'), userId: n.getAttribute('data-user-id') })),
      );
      assert(proposed.length >= 2, `the proposal fills ${proposed.length} of the 5 open slots, expected at least 2`);
      assert(proposed.every((p) => shiftIds.includes(p.shiftId)), 'every proposed person is on one of the week\'s shifts');
      assert(
        proposed.every((p) => crew.some((c) => c.id === p.userId)),
        'only the venue\'s crew members are proposed',
      );
      // Each suggestion says why this person; at least one with a reason in words.
      assert(
        (await panel.getByTestId('suggestion').count()) === proposed.length,
        'the panel lists every proposed person of the grid',
      );
      const reasons = panel.locator('[data-testid="suggestion"] li.why');
      assert((await reasons.count()) >= 1, 'no suggestion says why this person');
      const firstReason = ((await reasons.first().textContent()) ?? '').trim();
      assert(firstReason.length > 3, `the first reason reads ${JSON.stringify(firstReason)}`);

      // Untick the first proposed person in the grid; the panel follows.
      const dropped = proposed[0];
      const kept = proposed.slice(1);
      const droppedChip = page.locator(
        `[data-testid="proposed-assignee"][data-shift-id="${dropped.shiftId}"][data-user-id="${dropped.userId}"]`,
      );
      await droppedChip.getByRole('checkbox').uncheck();
      const droppedItem = panel.locator(
        `[data-testid="suggestion"][data-shift-id="${dropped.shiftId}"][data-user-id="${dropped.userId}"]`,
      );
      assert(!(await droppedItem.getByRole('checkbox').isChecked()), 'the panel still ticks the person unticked in the grid');
      await waitForText(page.getByTestId('apply-suggestions'), `(${kept.length})`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'suggest-fill.png');
      // The same on a phone: nothing scrolls sideways.
      await page.setViewportSize({ width: 390, height: 844 });
      await panel.waitFor();
      await assertNoSidewaysScroll(page, 'the week with a proposal');
      await screenshot(page, 'suggest-fill-390.png');
      await page.setViewportSize({ width: 1280, height: 900 });

      // Apply: the kept people become real assignees, the unticked one does not.
      await page.getByTestId('apply-suggestions').click();
      await page.getByText(/^Applied \d+ suggestions?\.$/).first().waitFor();
      for (const p of kept) {
        await page
          .locator(`[data-testid="shift"][data-shift-id="${p.shiftId}"] [data-testid="assignee"][data-user-id="${p.userId}"]`)
          .waitFor();
      }
      assert((await page.getByTestId('proposed-assignee').count()) === 0, 'proposed people are left in the grid after applying');
      assert((await page.getByTestId('apply-conflicts').count()) === 0, 'some suggestions did not apply');
      assert(
        (await page
          .locator(`[data-testid="shift"][data-shift-id="${dropped.shiftId}"] [data-testid="assignee"][data-user-id="${dropped.userId}"]`)
          .count()) === 0,
        'the unticked suggestion was applied anyway',
      );
      const grid = await api(page, 'GET', `/api/locations/${venue.id}/weeks/${nextIso}`);
      const assigned = grid.shifts.flatMap((s) => s.assignments.map((a) => `${s.id}/${a.person.id}`)).sort();
      const expected = kept.map((p) => `${p.shiftId}/${p.userId}`).sort();
      assert(
        JSON.stringify(assigned) === JSON.stringify(expected),
        `the week holds ${JSON.stringify(assigned)}, expected the applied ${JSON.stringify(expected)}`,
      );

      // Publish (the dialog names who will be told); the published week offers no suggestions any more.
      await dismissToasts(page);
      await page.getByTestId('publish').click();
      const publish = page.getByTestId('publish-dialog');
      await publish.getByTestId('notify-person').first().waitFor();
      const notified = new Set(kept.map((p) => p.userId)).size;
      assert(
        (await publish.getByTestId('notify-person').count()) === notified,
        `the publish dialog should name the ${notified} people with applied shifts`,
      );
      await publish.getByTestId('confirm-publish').click();
      await waitForText(page.getByTestId('week-status'), 'Published');
      assert((await page.getByTestId('suggest-fill').count()) === 0, 'a published week still offers Suggest fill');
      await logOut(page);
    },
  },
  {
    name: '(i) dashboard and exports: the manager sees the venue\'s figures and charts, and downloads the hours CSV',
    async run({ page }) {
      const password = `Crew passphrase ${unique}`;
      const mia = staffMember('Dashmgr', 'Mia', 'manager');
      const ann = staffMember('Dashann', 'Ann', 'crew_member');
      const bob = staffMember('Dashbob', 'Bob', 'crew_member');

      // The administrator opens a venue with its manager and two crew members.
      await logIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
      await waitForHome(page);
      const venue = await api(page, 'POST', '/api/locations', { name: `E2E Dash Venue ${unique}` });
      await addStaffAt(page, venue.id, [mia, ann, bob], password);

      // Seeding through the API as the manager: contracts of 24 and 16 hours, two walk-in applications (one
      // moved on to contacted), and this week published with Ann on Monday 12–18 and Wednesday 18–23, Bob on
      // Tuesday 10–16 and an open Thursday slot. A week that was never published takes shifts in the past too.
      await logIn(page, mia.login, password);
      await waitForHome(page);
      const runner = await api(page, 'POST', `/api/locations/${venue.id}/positions`, { name: 'Runner', requirements: [] });
      await api(page, 'PATCH', `/api/locations/${venue.id}/crew/${ann.id}`, {
        positionIds: [runner.id],
        contractedHours: 24,
        startDate: '2026-01-01',
      });
      await api(page, 'PATCH', `/api/locations/${venue.id}/crew/${bob.id}`, {
        positionIds: [runner.id],
        contractedHours: 16,
        startDate: '2026-01-01',
      });
      const applications = [];
      for (const key of ['Dashapp1', 'Dashapp2']) {
        applications.push(
          await api(page, 'POST', '/api/applications/manual', {
            firstName: 'Walk',
            lastName: `${key}${unique}`,
            email: `e2e-${key.toLowerCase()}-${unique}@example.com`,
            locationId: venue.id,
            position: 'Runner',
          }),
        );
      }
      await api(page, 'POST', `/api/applications/${applications[1].id}/status`, { to: 'contacted', notifyApplicant: false });

      const thisWeek = await currentWeekAt(page, venue.id);
      const created = await api(page, 'POST', `/api/locations/${venue.id}/weeks`, { isoWeek: thisWeek, source: 'empty' });
      const week = { weekId: created.week.id, isoWeek: thisWeek, positionId: runner.id };
      const assign = (shiftId, who) => api(page, 'POST', `/api/shifts/${shiftId}/assignments`, { userId: who.id });
      await assign(await addShiftTo(page, week, 1, '12:00', '18:00'), ann);
      await assign(await addShiftTo(page, week, 3, '18:00', '23:00'), ann);
      await assign(await addShiftTo(page, week, 2, '10:00', '16:00'), bob);
      await addShiftTo(page, week, 4, '12:00', '18:00');
      const grid = await api(page, 'GET', `/api/locations/${venue.id}/weeks/${thisWeek}`);
      await api(page, 'POST', `/api/weeks/${week.weekId}/publish`, { expectedVersion: grid.week.version });

      // The dashboard on the staff home, for this venue.
      await page.goto(url(`/staff?location=${venue.id}`));
      const tileValue = async (name) => {
        const tile = page.getByTestId(`tile-${name}`);
        await tile.waitFor();
        return tile.getAttribute('data-value');
      };
      const expectTile = async (name, expected) => {
        const value = await tileValue(name);
        assert(value === String(expected), `the dashboard's ${name} is ${value}, expected ${expected}`);
      };
      await expectTile('new-applications', 1);
      await expectTile('received-7-days', 2);
      await expectTile('interviews', 0);
      await expectTile('crew-active', 2);
      await expectTile('crew-on-leave', 0);
      await expectTile('shifts', 4);
      await expectTile('hours', 17);
      const contracted = await page.getByTestId('tile-hours').getAttribute('data-contracted');
      assert(contracted === '40', `the dashboard's contracted hours are ${contracted}, expected 40`);
      await waitForText(page.getByTestId('tile-hours'), '17 of 40');
      await expectTile('open-slots', 1);
      await expectTile('draft-weeks', 0);
      await expectTile('claims', 0);
      await expectTile('time-off', 0);

      // Three charts, each an SVG in a figure with a data table for screen readers.
      const tableRows = (chart) =>
        chart.locator('table tbody tr').evaluateAll((rows) =>
          rows.map((row) => [...row.children].map((cell) => (cell.textContent ?? '').trim())),
        );
      const pipeline = page.getByTestId('chart-pipeline');
      await pipeline.locator('svg').first().waitFor();
      assert((await pipeline.evaluate((node) => node.tagName)) === 'FIGURE', 'the pipeline chart is not a <figure>');
      await waitForText(pipeline.locator('figcaption'), 'Applications by status');
      const pipelineRows = await tableRows(pipeline);
      assert(
        JSON.stringify(pipelineRows) ===
          JSON.stringify([
            ['New', '1'],
            ['Contacted', '1'],
            ['Interviewed', '0'],
            ['Short-listed', '0'],
            ['Hired', '0'],
            ['Rejected', '0'],
            ['Withdrawn', '0'],
          ]),
        `the pipeline table reads ${JSON.stringify(pipelineRows)}`,
      );
      const hours = page.getByTestId('chart-hours');
      await hours.locator('svg').first().waitFor();
      const hoursRows = await tableRows(hours);
      assert(hoursRows.length === 8, `the hours chart has ${hoursRows.length} weeks, expected 8`);
      const [thisYear, thisWeekNumber] = thisWeek.split('-W').map(Number);
      assert(
        JSON.stringify(hoursRows[7]) === JSON.stringify([`Week ${thisWeekNumber}, ${thisYear}`, '17', '40']),
        `this week's row of the hours table reads ${JSON.stringify(hoursRows[7])}`,
      );
      const coverage = page.getByTestId('chart-coverage');
      await coverage.locator('svg').first().waitFor();
      const coverageRows = await tableRows(coverage);
      assert(coverageRows.length === 7, `the coverage chart has ${coverageRows.length} days, expected 7`);
      assert(
        coverageRows.every((row) => row.length === 4 && Number(row[1]) === Number(row[2]) + Number(row[3])),
        `the coverage table does not add up: ${JSON.stringify(coverageRows)}`,
      );
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'dashboard-1280.png');
      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByTestId('chart-coverage').locator('svg').first().waitFor();
      // The charts follow their width; give the resize a moment to settle.
      await page.waitForTimeout(300);
      await assertNoSidewaysScroll(page, 'the dashboard');
      await screenshot(page, 'dashboard-390.png');
      await page.setViewportSize({ width: 1280, height: 900 });

      // The hours export of this week: BOM, the contract's columns, a planned row per crew member.
      const monday = dateInIsoWeek(thisWeek, 1);
      const sunday = dateInIsoWeek(thisWeek, 7);
      await page.goto(url(`/staff/exports?location=${venue.id}`));
      const form = page.getByTestId('hours-export');
      await form.waitFor();
      await form.getByLabel('From', { exact: true }).fill(monday);
      await form.getByLabel('Until', { exact: true }).fill(sunday);
      await form.getByLabel('Comma (decimal point)', { exact: true }).check();
      const href = await form.getByTestId('download-hours').getAttribute('data-url');
      assert(
        href === `/api/exports/hours?location=${venue.id}&from=${monday}&to=${sunday}&delimiter=comma`,
        `the hours export asks for ${href}`,
      );
      const [download] = await Promise.all([page.waitForEvent('download'), form.getByTestId('download-hours').click()]);
      const file = await download.path();
      assert(file, 'the download was not saved');
      const bytes = await readFile(file);
      assert(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, 'the hours CSV does not start with a UTF-8 BOM');
      const text = bytes.subarray(3).toString('utf8');
      assert(text.includes('\r\n'), 'the hours CSV does not end its lines with CRLF');
      const [header, ...rows] = parseCsv(text).filter((row) => row.some((cell) => cell !== ''));
      const columns = 'kind,location,person_id,person_name,from,to,shifts,planned_hours,night_hours,sunday_hours,reason';
      assert(header.join(',') === columns, `the hours CSV's header is ${header.join(',')}`);
      const col = (name) => header.indexOf(name);
      for (const [who, shifts, planned] of [
        [ann, 2, 11],
        [bob, 1, 6],
      ]) {
        const row = rows.find((r) => r[col('kind')] === 'planned' && r[col('person_id')] === who.id);
        assert(row, `the hours CSV has no planned row for ${who.firstName}: ${JSON.stringify(rows)}`);
        assert(Number(row[col('shifts')]) === shifts, `${who.firstName} has ${row[col('shifts')]} shifts, expected ${shifts}`);
        assert(
          Number(row[col('planned_hours')]) === planned,
          `${who.firstName} has ${row[col('planned_hours')]} planned hours, expected ${planned}`,
        );
        assert(Number(row[col('night_hours')]) === 0, `${who.firstName} has night hours ${row[col('night_hours')]}`);
        assert(Number(row[col('sunday_hours')]) === 0, `${who.firstName} has Sunday hours ${row[col('sunday_hours')]}`);
        assert(
          [venue.name, venue.id].includes(row[col('location')]),
          `${who.firstName}'s row names the location ${row[col('location')]}`,
        );
      }
      assert(
        rows.every((r) => r[col('kind')] === 'planned'),
        `the hours CSV has rows other than planned ones: ${JSON.stringify(rows)}`,
      );
      await logOut(page);
    },
  },
  {
    name: '(j) cash: a crew member counts the closing till on a phone, the manager sees the discrepancy and approves',
    async run({ page }) {
      const password = `Crew passphrase ${unique}`;
      const max = staffMember('Cashmgr', 'Max', 'manager');
      const cas = staffMember('Cashcrew', 'Cas', 'crew_member');
      await logIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
      await waitForHome(page);
      const venue = await api(page, 'POST', '/api/locations', { name: `E2E Cash Venue ${unique}` });
      await addStaffAt(page, venue.id, [max, cas], password);

      // Seeded through the API as Cas: this business day's opening, 150.00 counted and expected.
      await logIn(page, cas.login, password);
      await waitForHome(page);
      const settings = await api(page, 'GET', `/api/locations/${venue.id}/cash-settings`);
      await api(page, 'POST', `/api/locations/${venue.id}/cash-counts`, {
        clientKey: crypto.randomUUID(),
        type: 'opening',
        businessDate: settings.businessDate,
        lines: [{ denomination: 5000, quantity: 2 }, { denomination: 200, quantity: 25 }],
        expected: '150.00',
      });

      // Cas counts the closing on a phone: 2 × €200 + 3 × €20 + 7 × €2 + 3 × 1 ct = €474.03; the register's cash
      // takings are €400.10, so the till should hold €550.10: €76.07 short, beyond the €5 tolerance.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(url('/cash'));
      const form = page.getByTestId('cash-count-form');
      await form.waitFor();
      await page.getByTestId('cash-type-closing').check();
      await page.getByTestId('cash-qty-20000').fill('2');
      await page.getByTestId('cash-qty-2000').fill('3');
      await page.getByTestId('cash-qty-200').fill('6');
      await page.getByRole('button', { name: 'One €2 more', exact: true }).click();
      await page.getByTestId('cash-qty-1').fill('3');
      await waitForText(page.getByTestId('cash-total'), '474.03');
      await page.getByTestId('cash-takings').fill('400,10');
      await page.getByTestId('cash-card').fill('1234,56');
      await page.getByTestId('cash-float').fill('150');
      const expected = page.getByTestId('cash-expected');
      const deadline = Date.now() + TIMEOUT_MS;
      while ((await expected.inputValue()) !== '550.10') {
        assert(Date.now() < deadline, `the expected amount reads ${await expected.inputValue()}, not 550.10`);
        await page.waitForTimeout(100);
      }
      await waitForText(page.getByTestId('cash-discrepancy'), '76.07 short');
      assert(
        (await page.getByTestId('cash-discrepancy').getAttribute('data-over-tolerance')) === 'true',
        'the difference is not highlighted beyond the tolerance',
      );
      await page.getByTestId('cash-receipt').setInputFiles({
        name: 'till.png',
        mimeType: 'image/png',
        buffer: Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(4096, 7)]),
      });
      await assertNoSidewaysScroll(page, 'the cash count form');
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'cash-count-390.png');
      // A double tap sends the same client key twice: one count.
      await page.getByTestId('cash-submit').dblclick();
      const done = page.getByTestId('cash-submitted');
      await done.waitFor();
      await page.getByTestId('cash-receipt-done').waitFor();
      const countId = await done.getAttribute('data-count-id');
      const mine = await api(page, 'GET', `/api/locations/${venue.id}/cash-counts`);
      assert(mine.items.length === 2, `Cas has ${mine.items.length} counts, expected 2 (opening and one closing)`);
      await assertNoSidewaysScroll(page, 'the submitted count');
      await screenshot(page, 'cash-submitted-390.png');
      await page.setViewportSize({ width: 1280, height: 900 });
      await logOut(page);

      // Max sees the closing among the counts to approve, the difference highlighted, and approves it.
      await logIn(page, max.login, password);
      await waitForHome(page);
      await page.goto(url('/cash/approvals'));
      const card = page.locator(`[data-testid="cash-approval"][data-count-id="${countId}"]`);
      await card.waitFor();
      const difference = card.getByTestId('cash-approval-discrepancy');
      await waitForText(difference, '76.07 short');
      assert((await difference.getAttribute('data-over-tolerance')) === 'true', 'the approval list does not flag the difference');
      assert((await card.getByRole('link', { name: 'Receipt', exact: true }).count()) === 1, 'the receipt is not offered');
      await screenshot(page, 'cash-approvals.png');
      await card.getByTestId('cash-approve').click();
      await waitForText(page.locator('body'), 'Count approved.');
      await card.waitFor({ state: 'detached' });
      const approved = await api(page, 'GET', `/api/cash-counts/${countId}`);
      assert(approved.state === 'approved', `the count is ${approved.state}`);
      assert(approved.decidedBy?.id === max.id, 'the count does not name Max as the approver');
      assert(approved.receipt?.contentType === 'image/png', 'the receipt is not stored with the count');

      // The week overview shows the day with its flagged closing.
      await dismissToasts(page);
      await page.getByTestId('cash-tab-overview').click();
      const day = page.locator(`[data-testid="cash-day"][data-date="${settings.businessDate}"]`);
      await day.waitFor();
      await waitForText(day, '474.03');
      await waitForText(page.getByTestId('cash-week-totals'), '1 count over tolerance');
      await screenshot(page, 'cash-overview.png');
      await logOut(page);
    },
  },
  {
    name: '(k) knowledge: a manager publishes a must-read article, the crew member sees the banner, reads and confirms, the manager\'s list updates',
    async run({ page }) {
      const password = `Crew passphrase ${unique}`;
      const kim = staffMember('Kbmgr', 'Kim', 'manager');
      const lou = staffMember('Kblou', 'Lou', 'crew_member');
      await logIn(page, ADMIN_LOGIN, ADMIN_PASSWORD);
      await waitForHome(page);
      const venue = await api(page, 'POST', '/api/locations', { name: `E2E Knowledge Venue ${unique}` });
      await addStaffAt(page, venue.id, [kim, lou], password);

      // The manager writes the article in the editor: a heading, bold text, a list; must read.
      await page.setViewportSize({ width: 1280, height: 900 });
      await logIn(page, kim.login, password);
      await waitForHome(page);
      await api(page, 'POST', '/api/knowledge/categories', { locationId: venue.id, name: 'Safety' });
      await page.goto(url('/knowledge'));
      await page.getByTestId('kb-new').click();
      await waitForPath(page, '/knowledge/new');
      const title = `Allergens at the table ${unique}`;
      await page.getByTestId('kb-title').fill(title);
      await page.getByTestId('kb-location').selectOption(venue.id);
      await page.getByLabel('Category', { exact: true }).selectOption({ label: 'Safety' });
      const editor = page.locator('.kb-editor__content');
      await editor.waitFor();
      await editor.click();
      await page.getByRole('button', { name: 'Heading', exact: true }).click();
      await page.keyboard.type('Before you take the order');
      await page.keyboard.press('Enter');
      await page.keyboard.type('Ask ');
      await page.getByRole('button', { name: 'Bold', exact: true }).click();
      await page.keyboard.type('every guest');
      await page.getByRole('button', { name: 'Bold', exact: true }).click();
      await page.keyboard.type(' about allergies and write them on the ticket.');
      await page.keyboard.press('Enter');
      await page.getByRole('button', { name: 'Bulleted list', exact: true }).click();
      await page.keyboard.type('Nuts and peanuts');
      await page.keyboard.press('Enter');
      await page.keyboard.type('Gluten and lactose');
      await page.getByTestId('kb-must-read').check();
      await screenshot(page, 'knowledge-editor.png');
      await page.getByTestId('kb-save').click();
      await page.waitForURL((u) => /^\/knowledge\/[0-9a-f-]{36}$/.test(pathnameOf(u.toString())), { timeout: TIMEOUT_MS });
      const articleId = pathnameOf(page.url()).split('/').pop();
      const body = page.getByTestId('kb-body');
      assert((await body.locator('h2').innerText()) === 'Before you take the order', 'the heading did not survive saving');
      assert((await body.locator('strong').innerText()) === 'every guest', 'the bold text did not survive saving');
      assert((await body.locator('li').count()) === 2, 'the list did not survive saving');
      await page.getByTestId('kb-publish').click();
      await waitForText(page.getByTestId('kb-read-summary'), '0 of 1 confirmed');
      await page.getByTestId('kb-pending').locator(`[data-user-id="${lou.id}"]`).waitFor();
      const audit = await api(page, 'GET', `/api/audit?action=knowledge.must_read_published&subject=${articleId}`);
      assert(audit.items.length === 1, `the must-read publication is not in the audit log: ${JSON.stringify(audit)}`);
      await logOut(page);

      // The crew member, on a phone: the banner on the crew home, the article, the confirmation.
      await page.setViewportSize({ width: 390, height: 844 });
      await logIn(page, lou.login, password);
      await waitForPath(page, '/me/shifts');
      const banner = page.getByTestId('must-read-banner');
      await waitForText(banner, 'You have 1 article to read');
      await waitForText(banner.getByTestId('must-read-item'), title);
      await page.getByTestId('no-shifts').waitFor();
      await assertNoSidewaysScroll(page, 'the crew home with the must-read banner');
      await screenshot(page, 'knowledge-banner-390.png');
      await banner.getByTestId('must-read-item').click();
      await waitForPath(page, `/knowledge/${articleId}`);
      await waitForText(page.getByTestId('kb-body'), 'every guest');
      await assertNoSidewaysScroll(page, 'the article');
      await page.getByTestId('kb-confirm').click();
      await waitForText(page.getByTestId('kb-confirmed'), 'You confirmed reading version 1');
      await dismissToasts(page);
      await screenshot(page, 'knowledge-article-390.png');
      await page.goto(url('/me/shifts'));
      await page.getByTestId('my-shifts').waitFor();
      await page.waitForTimeout(500);
      assert((await page.getByTestId('must-read-banner').count()) === 0, 'the banner stays after confirming');
      // Search by an English inflection finds the article, with the matched word highlighted.
      await page.goto(url('/knowledge'));
      await page.getByTestId('kb-search').fill('allergy');
      await page.getByTestId('kb-search').press('Enter');
      const result = page.getByTestId('kb-result').first();
      await waitForText(result, title);
      assert((await result.locator('mark').count()) > 0, 'the search snippet highlights nothing');
      await assertNoSidewaysScroll(page, 'the knowledge base search');
      await screenshot(page, 'knowledge-search-390.png');
      await logOut(page);

      // The manager's list follows.
      await page.setViewportSize({ width: 1280, height: 900 });
      await logIn(page, kim.login, password);
      await waitForHome(page);
      await page.goto(url(`/knowledge/${articleId}`));
      await waitForText(page.getByTestId('kb-read-summary'), '1 of 1 confirmed');
      await page.getByTestId('kb-confirmed-readers').locator(`[data-user-id="${lou.id}"]`).waitFor();
      await dismissToasts(page);
      await screenshotOf(page, page.getByTestId('kb-read-status'), 'knowledge-read-status.png');
      await logOut(page);
    },
  },
];

// ---- runner -------------------------------------------------------------------------------------------------
async function main() {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    fatal('playwright-core is not installed: run `npm ci` in frontend/.');
  }

  try {
    const response = await fetch(url('/health'), { signal: AbortSignal.timeout(5000) });
    if (!response.ok) fatal(`${url('/health')} answered ${response.status}; is the server up?`);
  } catch (error) {
    fatal(`cannot reach ${BASE} (${error.cause?.code ?? error.message}); start the server first.`);
  }

  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: process.env.E2E_HEADFUL !== '1',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ].filter((arg) => arg !== '--headless' || process.env.E2E_HEADFUL !== '1'),
    });
  } catch (error) {
    fatal(`cannot start Chromium at ${CHROMIUM}: ${error.message.split('\n')[0]}\n  (apt-get install -y chromium)`);
  }

  console.log(`e2e: ${BASE} · screenshots in ${SCREENSHOT_DIR}`);
  let passed = 0;
  let failed = 0;
  for (const test of tests) {
    if (ONLY && !test.name.includes(ONLY)) continue;
    const started = Date.now();
    const context = await browser.newContext({
      baseURL: BASE,
      locale: 'en-US',
      viewport: test.viewport ?? { width: 1280, height: 900 },
    });
    context.setDefaultTimeout(TIMEOUT_MS);
    const page = await context.newPage();
    const problems = [];
    watchPage(page, problems);
    try {
      await test.run({ page, context });
      if (problems.length) throw new AssertionError(problems.join('; '));
      passed += 1;
      console.log(`PASS ${test.name} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      const reason = process.env.E2E_VERBOSE ? (error?.stack ?? String(error)) : (error?.message ?? String(error)).split('\n')[0];
      let shot = '';
      try {
        const slug = test.name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').slice(0, 60).toLowerCase();
        shot = ` [screenshot: ${await screenshot(page, `failure-${slug}.png`)}]`;
      } catch {
        /* the page may be gone */
      }
      console.log(`FAIL ${test.name}: ${reason}${shot}`);
    } finally {
      await context.close();
    }
  }
  await browser.close();
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(`e2e: unexpected failure: ${error?.stack ?? error}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
