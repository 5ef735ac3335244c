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
//   E2E_SCREENSHOT_DIR   default e2e/screenshots (relative to the current directory)
//   E2E_CHROMIUM         default /usr/bin/chromium
//   E2E_HEADFUL=1        show the browser window
//   E2E_ONLY=substring   run only tests whose name contains it
//
// Output: one line per test ("PASS name" / "FAIL name: reason"), then exactly "N passed, N failed".
// Exit code: 0 all passed, 1 a test failed, 2 the run could not start (configuration, server, browser).

import { mkdir } from 'node:fs/promises';
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

      await page.goto(url('/register'));
      await page.getByLabel('First name', { exact: true }).fill('Eva');
      await page.getByLabel('Last name', { exact: true }).fill(`Tester ${unique}`);
      await page.getByLabel('E-mail address', { exact: true }).fill(`${username}@example.com`);
      await page.getByLabel('Phone number', { exact: true }).fill('+31 6 1234 5678');
      await page.getByLabel('Username', { exact: true }).fill(username);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByLabel('Repeat the password', { exact: true }).fill(password);
      await page.getByRole('checkbox', { name: /privacy notice/ }).check();
      await page.getByRole('button', { name: 'Create account', exact: true }).click();

      await waitForPath(page, '/portal');
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
      const dismiss = page.getByRole('button', { name: 'Dismiss', exact: true });
      for (let i = 0; i < 10 && (await dismiss.count()) > 0; i += 1) {
        await dismiss.first().click({ timeout: 2000 }).catch(() => undefined);
      }
      await page.evaluate(() => window.scrollTo(0, 0));
      await screenshot(page, 'admin-users-390.png');
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
      const reason = (error?.message ?? String(error)).split('\n')[0];
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
