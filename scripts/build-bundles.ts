/**
 * Builds the front-end bundles (modeler, DMN editor, diagram viewers, …) with esbuild
 * into dist/bundles/ (git-ignored, never committed). Run by `npm install`/`npm ci`
 * (postinstall), `npm start` (prestart) and the jest global setup; a fast no-op when
 * the bundles are newer than every file that went into them.
 *
 *   node --import tsx scripts/build-bundles.ts           # build when stale
 *   node --import tsx scripts/build-bundles.ts --force   # always build
 *
 * To add a bundle, append an entry to BUNDLE_ENTRIES: its source lives under
 * src/web/<area>/client/; a page links it with bundleLinks(name) from src/web/bundles.ts.
 */
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import {
  build,
  version as esbuildVersion,
  type BuildOptions,
  type Metafile,
  type Plugin,
} from 'esbuild';
import {
  BUNDLES_DIR,
  MANIFEST_FILE,
  readBundleManifest,
  type BundleManifest,
  type BundleOutput,
} from '../src/web/bundles';

const ROOT = path.resolve(__dirname, '..');

export interface BundleEntry {
  /** Bundle name used by pages (bundleLinks(name)); also the output file's stem. */
  name: string;
  /** Entry module, relative to the repository: src/web/<area>/client/<file>.ts */
  source: string;
  /** 'iife' for a classic <script>, 'esm' for <script type="module"> (shares chunks). */
  format: 'iife' | 'esm';
}

/** Every front-end bundle of the product. Areas add their own entries here. */
export const BUNDLE_ENTRIES: BundleEntry[] = [
  { name: 'modeling-modeler', source: 'src/web/modeling/client/modeler.ts', format: 'iife' },
  { name: 'monitoring-diagram', source: 'src/web/monitoring/client/diagram.ts', format: 'iife' },
  { name: 'modeling-dmn', source: 'src/web/modeling/client/dmn-editor.ts', format: 'iife' },
  { name: 'modeling-diff', source: 'src/web/modeling/client/diff-viewer.ts', format: 'iife' },
  { name: 'modeling-forms', source: 'src/web/modeling/client/form-editor.ts', format: 'iife' },
  { name: 'admin-settings', source: 'src/web/admin/client/settings.ts', format: 'iife' },
  { name: 'inbox', source: 'src/web/inbox/client/inbox.ts', format: 'iife' },
  { name: 'cases-diagram', source: 'src/web/cases/client/diagram.ts', format: 'iife' },
];

/**
 * `import config from './x.bpmnlintrc'` bundles a bpmnlint configuration with every rule
 * it enables (bpmnlint's own compile-config, as its bundler plugins do), so the browser
 * lints with exactly the rules the server applies before deploying.
 */
const bpmnlintConfigPlugin: Plugin = {
  name: 'bpmnlint-config',
  setup(b) {
    b.onLoad({ filter: /\.bpmnlintrc$/ }, async (args) => {
      const compileConfig = require('bpmnlint/lib/support/compile-config') as (
        config: unknown,
      ) => Promise<string>;
      const config = JSON.parse(readFileSync(args.path, 'utf8')) as unknown;
      return { contents: await compileConfig(config), loader: 'js', resolveDir: ROOT };
    });
  },
};

/** Options shared by every bundle (part of the staleness hash). */
const COMMON_OPTIONS: BuildOptions = {
  bundle: true,
  minify: true,
  target: 'es2020',
  platform: 'browser',
  legalComments: 'linked',
  entryNames: '[name]-[hash]',
  chunkNames: 'chunks/[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  // Fonts and images as files: the CSP (default-src 'self') refuses data: fonts.
  loader: {
    '.woff': 'file',
    '.woff2': 'file',
    '.ttf': 'file',
    '.eot': 'file',
    '.svg': 'file',
    '.png': 'file',
  },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
  plugins: [bpmnlintConfigPlugin],
};

function configHash(entries: BundleEntry[]): string {
  return createHash('sha256')
    .update(JSON.stringify({ esbuildVersion, entries, COMMON_OPTIONS, v: 1 }))
    .digest('hex')
    .slice(0, 16);
}

/** Why the bundles must be rebuilt, or undefined when they are up to date. */
export function staleReason(
  entries: BundleEntry[] = BUNDLE_ENTRIES,
  outDir = BUNDLES_DIR,
): string | undefined {
  const manifest = readBundleManifest(outDir);
  if (!manifest) return 'not built yet';
  if (manifest.configHash !== configHash(entries)) return 'entry list or build options changed';
  const builtAtMs = statSync(path.join(outDir, MANIFEST_FILE)).mtimeMs;
  for (const bundle of Object.values(manifest.bundles)) {
    for (const file of [bundle.js, bundle.css]) {
      if (file && !exists(path.join(outDir, file))) return `${file} is missing`;
    }
  }
  for (const input of manifest.inputs) {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path.join(ROOT, input)).mtimeMs;
    } catch {
      return `${input} was removed`;
    }
    if (mtimeMs > builtAtMs) return `${input} changed`;
  }
  return undefined;
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

export interface BuildReport {
  built: boolean;
  reason?: string;
  ms: number;
  bundles: Record<string, BundleOutput & { bytes: number }>;
}

/** Builds every bundle when stale (or when `force`), then writes the manifest last. */
export async function buildBundles(
  options: { force?: boolean; entries?: BundleEntry[]; outDir?: string } = {},
): Promise<BuildReport> {
  const started = Date.now();
  const entries = options.entries ?? BUNDLE_ENTRIES;
  const outDir = options.outDir ?? BUNDLES_DIR;
  const reason = options.force ? 'forced' : staleReason(entries, outDir);
  if (!reason) return { built: false, ms: Date.now() - started, bundles: {} };

  mkdirSync(outDir, { recursive: true });
  const bundles: Record<string, BundleOutput> = {};
  const inputs = new Set<string>();
  const files = new Set<string>();
  for (const format of ['iife', 'esm'] as const) {
    const group = entries.filter((e) => e.format === format);
    if (group.length === 0) continue;
    const result = await build({
      ...COMMON_OPTIONS,
      absWorkingDir: ROOT,
      entryPoints: Object.fromEntries(group.map((e) => [e.name, e.source])),
      outdir: outDir,
      format,
      splitting: format === 'esm',
      metafile: true,
    });
    collect(result.metafile, outDir, group, format, bundles, inputs, files);
  }

  const manifest: BundleManifest = {
    configHash: configHash(entries),
    builtAt: new Date().toISOString(),
    inputs: [...inputs].sort(),
    bundles,
  };
  // Written last and atomically: a reader sees either the old or the new set.
  const manifestFile = path.join(outDir, MANIFEST_FILE);
  const tmp = `${manifestFile}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(manifest, null, 2));
  renameSync(tmp, manifestFile);
  pruneUnreferenced(outDir, files);

  const report: BuildReport['bundles'] = {};
  for (const [name, b] of Object.entries(bundles)) {
    report[name] = { ...b, bytes: statSync(path.join(outDir, b.js)).size };
  }
  return { built: true, reason, ms: Date.now() - started, bundles: report };
}

function collect(
  metafile: Metafile,
  outDir: string,
  group: BundleEntry[],
  format: 'iife' | 'esm',
  bundles: Record<string, BundleOutput>,
  inputs: Set<string>,
  files: Set<string>,
): void {
  for (const input of Object.keys(metafile.inputs)) {
    // Skip esbuild's virtual inputs ("<define:…>"); drop a font URL's "?v" / "#iefix".
    if (!input.startsWith('<')) inputs.add(input.replace(/^\w+:/, '').replace(/[?#].*$/, ''));
  }
  for (const [outPath, out] of Object.entries(metafile.outputs)) {
    const file = path.relative(outDir, path.resolve(ROOT, outPath));
    files.add(file);
    const entry = out.entryPoint
      ? group.find((e) => path.resolve(ROOT, e.source) === path.resolve(ROOT, out.entryPoint!))
      : undefined;
    if (!entry) continue;
    bundles[entry.name] = {
      js: file,
      css: out.cssBundle ? path.relative(outDir, path.resolve(ROOT, out.cssBundle)) : undefined,
      format,
    };
  }
}

/** Removes outputs of earlier builds that the new manifest no longer references. */
function pruneUnreferenced(outDir: string, keep: Set<string>): void {
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(outDir, full);
      if (entry.isDirectory()) walk(full);
      else if (rel !== MANIFEST_FILE && !keep.has(rel) && !entry.name.endsWith('.tmp')) {
        rmSync(full, { force: true });
      }
    }
  };
  walk(outDir);
}

function formatBytes(n: number): string {
  return `${(n / 1024).toFixed(0)} KiB`;
}

if (require.main === module) {
  buildBundles({ force: process.argv.includes('--force') }).then(
    (report) => {
      if (!report.built) {
        console.log(`front-end bundles up to date (${report.ms} ms)`);
        return;
      }
      console.log(`front-end bundles built in ${report.ms} ms (${report.reason}):`);
      for (const [name, b] of Object.entries(report.bundles)) {
        console.log(`  ${name}: ${b.js} ${formatBytes(b.bytes)}${b.css ? ` + ${b.css}` : ''}`);
      }
    },
    (err: Error) => {
      console.error(`front-end bundles failed to build: ${err.message}`);
      process.exit(1);
    },
  );
}
