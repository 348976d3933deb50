// Swagger UI, driven as a person would in Debian's Chromium (headless, no browser download):
// open /q/swagger-ui, register and log in with "Try it out", paste the token into "Authorize",
// create a patient and list patients (200), and save a screenshot.
//
//   BASE_URL=http://127.0.0.1:8080 node swagger-ui.mjs
//
// Env: BASE_URL (default http://127.0.0.1:8080), CHROMIUM (default /usr/bin/chromium),
// SCREENSHOT (default ./artifacts/swagger-ui.png). Exits non-zero on the first failed step.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const BASE_URL = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/$/, '');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SCREENSHOT = resolve(process.env.SCREENSHOT || 'artifacts/swagger-ui.png');
const STEP_TIMEOUT = 20_000;

const unique = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
const email = `swagger-${unique}@example.com`;
const password = `swagger-pw-${unique}`;

function step(text) {
  console.log(`[swagger-ui] ${text}`);
}

/** The operation block of Swagger UI for a tag and an operationId (ids: operations-TAG-OPID). */
function operation(page, tag, operationId) {
  return page.locator(`#operations-${tag}-${operationId}`);
}

/** Expand an operation, press "Try it out", optionally fill the body, press "Execute". */
async function tryItOut(page, tag, operationId, body, { path, method }) {
  const op = operation(page, tag, operationId);
  await op.scrollIntoViewIfNeeded();
  if (!(await op.locator('.opblock-body').isVisible())) {
    await op.locator('.opblock-summary').first().click();
  }
  await op.locator('button.try-out__btn').click();
  if (body !== undefined) {
    const textarea = op.locator('textarea.body-param__text');
    await textarea.fill(JSON.stringify(body, null, 2));
  }
  const [response] = await Promise.all([
    page.waitForResponse(
      (r) => new URL(r.url()).pathname === path && r.request().method() === method,
      { timeout: STEP_TIMEOUT },
    ),
    op.locator('button.execute').click(),
  ]);
  // What the person sees: the live response table with the status code.
  const shown = op.locator('.live-responses-table .response .response-col_status').first();
  await shown.waitFor({ timeout: STEP_TIMEOUT });
  return { response, shownStatus: (await shown.innerText()).trim(), op };
}

function expectStatus(what, result, expected) {
  const actual = result.response.status();
  if (actual !== expected || result.shownStatus !== String(expected)) {
    throw new Error(`${what}: expected ${expected}, got ${actual} (Swagger UI shows ${result.shownStatus})`);
  }
  step(`${what}: ${actual}`);
}

const profile = mkdtempSync(join(tmpdir(), 'swagger-ui-e2e-'));
let context;
let exitCode = 0;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 1000 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
  const page = context.pages()[0] || (await context.newPage());
  page.setDefaultTimeout(STEP_TIMEOUT);
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  step(`opening ${BASE_URL}/q/swagger-ui/`);
  await page.goto(`${BASE_URL}/q/swagger-ui/`, { waitUntil: 'domcontentloaded' });
  await page.locator('.swagger-ui .info .title').waitFor();
  const title = (await page.locator('.swagger-ui .info .title').innerText()).trim();
  if (!title.startsWith('Healthcare API')) {
    throw new Error(`unexpected API title: ${title}`);
  }
  await operation(page, 'Authentication', 'AuthResource_register').waitFor();
  step(`loaded "${title}"`);

  const registered = await tryItOut(page, 'Authentication', 'AuthResource_register',
    { name: 'Swagger Person', email, password }, { path: '/api/auth/register', method: 'POST' });
  expectStatus('register', registered, 201);

  const login = await tryItOut(page, 'Authentication', 'AuthResource_login',
    { email, password }, { path: '/api/auth/login', method: 'POST' });
  expectStatus('login', login, 200);
  const { token, tokenType } = await login.response.json();
  if (!token || tokenType !== 'Bearer') {
    throw new Error('login returned no bearer token');
  }
  // The token is also what Swagger UI shows in the response body the person copies.
  const shownBody = await login.op.locator('.live-responses-table .response-col_description pre').first().innerText();
  if (!shownBody.includes(token)) {
    throw new Error('Swagger UI does not show the token in the login response');
  }

  step('Authorize: pasting the token');
  await page.locator('.scheme-container button.authorize').click();
  const dialog = page.locator('.dialog-ux .modal-ux');
  await dialog.waitFor();
  await dialog.locator('input[type="text"], input:not([type])').first().fill(token);
  await dialog.locator('.auth-btn-wrapper button.authorize').click();
  await dialog.locator('.auth-btn-wrapper button.btn-done, button.btn-done').first().click();
  await dialog.waitFor({ state: 'detached' });

  const created = await tryItOut(page, 'Patients', 'PatientResource_create',
    { name: 'Swagger Patient', age: 42, gender: 'F', disease: 'Hypertension' },
    { path: '/api/patients', method: 'POST' });
  expectStatus('create patient', created, 201);
  const auth = created.response.request().headers().authorization || '';
  if (auth !== `Bearer ${token}`) {
    throw new Error('Swagger UI did not send the pasted token as Authorization: Bearer');
  }

  const listed = await tryItOut(page, 'Patients', 'PatientResource_list', undefined,
    { path: '/api/patients', method: 'GET' });
  expectStatus('list patients', listed, 200);
  const patients = await listed.response.json();
  if (!Array.isArray(patients) || !patients.some((p) => p.name === 'Swagger Patient')) {
    throw new Error('the created patient is not in the list');
  }
  if (!listed.response.headers()['x-total-count']) {
    throw new Error('no X-Total-Count on the list');
  }
  step(`listed ${patients.length} patient(s), X-Request-Id ${listed.response.headers()['x-request-id']}`);

  mkdirSync(dirname(SCREENSHOT), { recursive: true });
  await listed.op.scrollIntoViewIfNeeded();
  await page.screenshot({ path: SCREENSHOT, fullPage: false });
  step(`screenshot: ${SCREENSHOT}`);
  if (consoleErrors.length) {
    throw new Error(`page errors: ${consoleErrors.join('; ')}`);
  }
  console.log('swagger-ui e2e passed');
} catch (e) {
  exitCode = 1;
  console.error(`[swagger-ui] FAILED: ${e.message}`);
  if (context) {
    const page = context.pages()[0];
    if (page) {
      mkdirSync(dirname(SCREENSHOT), { recursive: true });
      const failed = SCREENSHOT.replace(/\.png$/, '-failure.png');
      await page.screenshot({ path: failed, fullPage: true }).catch(() => {});
      console.error(`[swagger-ui] failure screenshot: ${failed}`);
    }
  }
} finally {
  if (context) {
    await context.close().catch(() => {});
  }
  rmSync(profile, { recursive: true, force: true });
}
process.exit(exitCode);
