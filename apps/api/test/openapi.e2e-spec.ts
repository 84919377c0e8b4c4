import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '@app/common/project-root';
import { startTestApp, TestApp } from './support/test-app';

/**
 * The OpenAPI document is generated from the code and also committed (openapi.json at the root),
 * so API changes show up in review. This test fails when the two differ; `npm run openapi:write`
 * (UPDATE_OPENAPI=1) rewrites the committed file from the running app.
 */
const COMMITTED = join(projectRoot(), 'openapi.json');

/** Object keys sorted at every level (arrays keep their order): a stable, reviewable file. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

describe('committed OpenAPI document', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await startTestApp();
  });
  afterAll(async () => {
    await testApp.close();
  });

  it('equals the document the running app serves at /openapi.json', async () => {
    const response = await testApp.http().get('/openapi.json').expect(200);
    const generated = sortKeys(response.body);
    if (process.env.UPDATE_OPENAPI === '1') {
      writeFileSync(COMMITTED, `${JSON.stringify(generated, null, 2)}\n`);
    }
    if (!existsSync(COMMITTED)) {
      throw new Error('openapi.json is missing: run `npm run openapi:write` and commit it.');
    }
    const committed = JSON.parse(readFileSync(COMMITTED, 'utf8')) as unknown;
    // On failure: the API changed; review the difference, then `npm run openapi:write`.
    expect(generated).toEqual(committed);
  });

  it('is what the app builds in code (the served document is not stale)', async () => {
    const response = await testApp.http().get('/openapi.json').expect(200);
    expect(sortKeys(response.body)).toEqual(sortKeys(JSON.parse(JSON.stringify(testApp.document))));
  });

  describe("Redocly's recommended rules (npm run lint:openapi)", () => {
    const lint = (file: string) =>
      spawnSync(
        process.execPath,
        [require.resolve('@redocly/cli/bin/cli.js'), 'lint', file, '--config', 'redocly.yaml'],
        {
          cwd: projectRoot(),
          encoding: 'utf8',
          env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
        },
      );

    it('pass on the committed document', () => {
      const result = lint('openapi.json');
      expect([result.status, result.stdout + result.stderr]).toEqual([0, expect.any(String)]);
    });

    it('fail on an operation without a summary, or a public one without security: []', () => {
      const document = JSON.parse(readFileSync(COMMITTED, 'utf8'));
      delete document.paths['/v1/me'].get.summary;
      delete document.paths['/health/live'].get.security;
      const folder = mkdtempSync(join(tmpdir(), 'openapi-lint-'));
      try {
        const file = join(folder, 'openapi.json');
        writeFileSync(file, JSON.stringify(document));
        const result = lint(file);
        const output = result.stdout + result.stderr;
        expect(result.status).not.toBe(0);
        expect(output).toContain('operation-summary');
        expect(output).toContain('security-defined');
      } finally {
        rmSync(folder, { recursive: true, force: true });
      }
    });
  });
});
