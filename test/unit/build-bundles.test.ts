import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  utimesSync,
  writeFileSync,
  readFileSync,
  existsSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUNDLE_ENTRIES, buildBundles, staleReason } from '../../scripts/build-bundles';
import { bundleLinks, readBundleManifest } from '../../src/web/bundles';
import { startTestProduct } from '../support/web';

describe('front-end bundles (scripts/build-bundles.ts)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'pc-bundles-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('builds an entry with its CSS, is a no-op when up to date and rebuilds when a source changes', async () => {
    const src = path.join(dir, 'src');
    const out = path.join(dir, 'out');
    mkdirSync(src);
    writeFileSync(
      path.join(src, 'part.ts'),
      'export const greeting = (n: string) => `ciao ${n}`;\n',
    );
    writeFileSync(path.join(src, 'style.css'), '.province { color: rgb(1, 2, 3); }\n');
    writeFileSync(
      path.join(src, 'entry.ts'),
      "import './style.css';\nimport { greeting } from './part';\n(window as unknown as Record<string, unknown>).hello = greeting('Prato');\n",
    );
    const entries = [
      { name: 'probe', source: path.join(src, 'entry.ts'), format: 'iife' as const },
    ];

    const first = await buildBundles({ entries, outDir: out });
    expect(first.built).toBe(true);
    const manifest = readBundleManifest(out)!;
    const probe = manifest.bundles.probe;
    expect(probe.js).toMatch(/^probe-\w+\.js$/);
    expect(readFileSync(path.join(out, probe.js), 'utf8')).toContain('ciao ');
    expect(readFileSync(path.join(out, probe.css!), 'utf8')).toMatch(/\.province\s*\{/);
    expect(manifest.inputs.some((i) => i.endsWith('part.ts'))).toBe(true);

    expect(staleReason(entries, out)).toBeUndefined();
    expect((await buildBundles({ entries, outDir: out })).built).toBe(false);

    // A later modification time of an imported file makes the bundles stale.
    const later = new Date(Date.now() + 5_000);
    writeFileSync(
      path.join(src, 'part.ts'),
      'export const greeting = (n: string) => `salve ${n}`;\n',
    );
    utimesSync(path.join(src, 'part.ts'), later, later);
    expect(staleReason(entries, out)).toMatch(/part\.ts changed/);
    const second = await buildBundles({ entries, outDir: out });
    expect(second.built).toBe(true);
    const rebuilt = readBundleManifest(out)!.bundles.probe;
    expect(rebuilt.js).not.toBe(probe.js);
    expect(readFileSync(path.join(out, rebuilt.js), 'utf8')).toContain('salve ');
    // The previous build's files are pruned.
    expect(existsSync(path.join(out, probe.js))).toBe(false);

    // A changed entry list is stale too.
    expect(staleReason([...entries, { ...entries[0], name: 'other' }], out)).toMatch(/entry list/);
  });

  it('the product bundles are built (jest global setup) and served as immutable files', async () => {
    expect(staleReason()).toBeUndefined();
    for (const entry of BUNDLE_ENTRIES) expect(() => bundleLinks(entry.name)).not.toThrow();
    // The real product's web app (its own database, free ports).
    const product = await startTestProduct({ name: 'bundles' });
    try {
      const base = product.url;
      const links = bundleLinks('modeling-modeler');
      const js = await fetch(base + links.script);
      expect(js.status).toBe(200);
      expect(js.headers.get('content-type')).toMatch(/javascript/);
      expect(js.headers.get('cache-control')).toMatch(/immutable/);
      const css = await fetch(base + links.style!);
      expect(css.status).toBe(200);
      expect(await css.text()).toContain('djs-container');
    } finally {
      await product.stop();
    }
  });
});
