/**
 * The first `npm start` as a user sees it, for real: the embedded database is not built
 * yet (FERRETDB_BINARY points into an empty folder, so `go build` really runs), yet the
 * web port answers at once with the Italian "preparazione in corso" page and /health
 * {"status":"starting"}; progress is printed at least every 10 s; /health reaches ok.
 * Then, on the running product: an incident is logged at warn and counted per province
 * in /health. And a demo mail sink whose port is taken stops the start with a message
 * naming the port and the setting.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { oneTaskProcess } from '../gateway/support/models';
import { rawClient } from '../gateway/support/raw-client';
import {
  startProductProcess,
  waitForHealthy,
  type ProductProcess,
} from '../support/product-process';
import { waitFor } from '../support/wait-for';

jest.setTimeout(330_000);

const tmp: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(path.join(os.tmpdir(), prefix));
  tmp.push(d);
  return d;
};
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('first start', () => {
  let product: ProductProcess;
  /** Output chunks with their arrival time, to measure the gaps during the build. */
  const chunks: { at: number; text: string }[] = [];

  afterAll(async () => {
    if (product && product.child.exitCode === null) {
      product.child.kill('SIGTERM');
      await product.exited;
    }
  });

  it('answers at once while the database is built, shows progress, and becomes healthy', async () => {
    const binary = path.join(tempDir('pc-ferret-bin-'), 'ferretdb-embedded');
    const started = Date.now();
    product = await startProductProcess(tempDir('pc-first-'), {
      FERRETDB_BINARY: binary,
      LOG_LEVEL: 'info',
    });
    const record = (c: Buffer) => chunks.push({ at: Date.now(), text: c.toString() });
    product.child.stdout?.on('data', record);
    product.child.stderr?.on('data', record);

    // Within 10 s: the starting page and /health "starting", while the build runs.
    const health = await waitFor(
      'the web port to answer',
      async () => {
        const res = await fetch(`${product.url}/health`).catch(() => undefined);
        return res
          ? { code: res.status, body: (await res.json()) as { status: string } }
          : undefined;
      },
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(health.body.status).toBe('starting');
    expect(health.code).toBe(503);
    expect(existsSync(binary)).toBe(false);
    const page = await fetch(product.url);
    const html = await page.text();
    expect(html).toContain('Preparazione in corso');
    expect(html).toContain('<html lang="it">');
    expect(html).toMatch(/FerretDB|database integrato/);

    await waitForHealthy(product, 300_000 - (Date.now() - started));
    expect(Date.now() - started).toBeLessThan(300_000);
    expect(existsSync(binary)).toBe(true);
    // Progress: never more than 10 s (plus scheduling slack) without a line while building.
    const buildOutput = product.output();
    expect(buildOutput).toMatch(/Building the embedded database FerretDB/);
    expect(buildOutput).toMatch(/FerretDB built in \d+ s/);
    const from = chunks.findIndex((c) => c.text.includes('Building the embedded database'));
    const to = chunks.findIndex((c) => /FerretDB built in/.test(c.text));
    expect(from).toBeGreaterThanOrEqual(0);
    expect(to).toBeGreaterThanOrEqual(from);
    const during = chunks.slice(from, to + 1).map((c) => c.at);
    const gaps = during.slice(1).map((t, i) => t - during[i]);
    expect(Math.max(0, ...gaps)).toBeLessThan(12_000);
    // The home page is the product's now.
    expect(await (await fetch(product.url)).text()).toContain('Provincia di Ravenna');
    // Neither the SDK's address warning nor anything like it at start.
    expect(buildOutput).not.toMatch(/will be ignored/);
  });

  it('logs an incident at warn and counts it per province in /health', async () => {
    const raw = rawClient(product.zeebeAddress);
    try {
      await raw.call('DeployResource', {
        resources: [
          {
            name: 'fails.bpmn',
            content: Buffer.from(oneTaskProcess('fails_once', 'first-start-fail')),
          },
        ],
        tenantId: '039',
      });
      const created = await raw.call('CreateProcessInstance', {
        bpmnProcessId: 'fails_once',
        version: -1,
        tenantId: '039',
      });
      const [batch] = await raw.activate({
        type: 'first-start-fail',
        worker: 't',
        maxJobsToActivate: 1,
        timeout: 30_000,
        requestTimeout: 10_000,
        tenantIds: ['039'],
      });
      const job = (batch.jobs as { key: string }[])[0];
      await raw.call('FailJob', {
        jobKey: job.key,
        errorMessage: 'servizio ANAC non raggiungibile',
        retries: 0,
      });
      const report = await waitFor(
        'the incident in /health',
        async () => {
          const body = (await (await fetch(`${product.url}/health`)).json()) as {
            status: string;
            incidents?: { open: number; byProvince: Record<string, number> };
          };
          return body.incidents && body.incidents.open > 0 ? body : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250 },
      );
      expect(report.incidents!.byProvince).toMatchObject({ '039': 1, '100': 0 });
      expect(report.status).toBe('degraded');
      await waitFor('the incident in the log', () =>
        product
          .output()
          .split('\n')
          .find(
            (l) =>
              l.includes('"level":40') &&
              l.includes('servizio ANAC non raggiungibile') &&
              l.includes(String(created.processInstanceKey)) &&
              l.includes('"elementId":"work"'),
          ),
      );
    } finally {
      raw.close();
    }
  });
});

describe('demo mail sink', () => {
  it('refuses to start when its port is taken, naming the port and the setting', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '127.0.0.1', () => r()));
    const port = (holder.address() as net.AddressInfo).port;
    const configDir = tempDir('pc-mailconf-');
    cpSync(path.resolve(__dirname, '../../engine-config'), configDir, { recursive: true });
    const file = path.join(configDir, 'default.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/port: 1025/, `port: ${port}`));
    try {
      const p = await startProductProcess(tempDir('pc-mail-'), {
        CONFIG_DIR: configDir,
        DEMO_MAIL_SINK: 'true',
      });
      expect(await p.exited).toBe(1);
      expect(p.output()).toContain(`127.0.0.1:${port}`);
      expect(p.output()).toContain('notifications.smtp.port');
      expect(p.output()).toContain('DEMO_MAIL_SINK=false');
    } finally {
      holder.close();
    }
  });
});
