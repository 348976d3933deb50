// `npm test`: runs the collection with Newman against a running service, after checking that it
// has what it needs, and saying so when it has not (issue 24: it used to fail without a word on
// the admin-only requests).
//
//   BASE_URL=http://localhost:8080 ADMIN_EMAIL=admin@example.com ADMIN_PASSWORD=dev-admin-password npm test
//
// BASE_URL defaults to http://localhost:8080. ADMIN_EMAIL and ADMIN_PASSWORD are the configured
// first admin (HEALTHCARE_ADMIN_EMAIL / HEALTHCARE_ADMIN_PASSWORD); in dev mode
// (./mvnw quarkus:dev) that is the dev admin the README's "First hour" names.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const baseUrl = (process.env.BASE_URL || 'http://localhost:8080').replace(/\/$/, '');
const adminEmail = process.env.ADMIN_EMAIL;
const adminPassword = process.env.ADMIN_PASSWORD;

const usage = `
  npm test runs the collection against a running service and needs its first admin
  (the Users and Audit folders are admin-only):

    BASE_URL=${baseUrl} ADMIN_EMAIL=admin@example.com ADMIN_PASSWORD=dev-admin-password npm test

  In dev mode (./mvnw quarkus:dev) those are the dev admin's; otherwise the values of
  HEALTHCARE_ADMIN_EMAIL and HEALTHCARE_ADMIN_PASSWORD the service runs with.`;

if (!adminEmail || !adminPassword) {
  console.error(`npm test: ADMIN_EMAIL and ADMIN_PASSWORD are not set.${usage}`);
  process.exit(2);
}
try {
  const ready = await fetch(`${baseUrl}/q/health/ready`, { signal: AbortSignal.timeout(5000) });
  if (!ready.ok) {
    console.error(`npm test: the service at ${baseUrl} is not ready (GET /q/health/ready answered ${ready.status}).`);
    process.exit(2);
  }
} catch (e) {
  console.error(`npm test: no service answers at ${baseUrl} (${e.cause?.code || e.message}).
  Start it (./mvnw quarkus:dev in the project root) or set BASE_URL.${usage}`);
  process.exit(2);
}

const newman = spawnSync(`${here}node_modules/.bin/newman`, [
  'run', 'healthcare-api.postman_collection.json', '-e', 'healthcare-api.postman_environment.json',
  '--env-var', `baseUrl=${baseUrl}`, '--env-var', `adminEmail=${adminEmail}`, '--env-var', `adminPassword=${adminPassword}`,
], { cwd: here, stdio: 'inherit' });
if (newman.error) {
  console.error(`npm test: could not run Newman (${newman.error.message}); run npm ci in postman/ first.`);
  process.exit(2);
}
process.exit(newman.status ?? 1);
