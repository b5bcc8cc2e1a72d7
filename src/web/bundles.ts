/**
 * Front-end bundles: where scripts/build-bundles.ts writes them and how pages link them.
 * Bundles are built by the install/start commands and by the jest global setup (never
 * committed); file names carry a content hash, so they are served as immutable.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Git-ignored output folder (dist/ is ignored). */
export const BUNDLES_DIR = path.resolve(__dirname, '../../dist/bundles');
/** URL prefix under which the web app serves BUNDLES_DIR. */
export const BUNDLES_URL = '/bundles';
export const MANIFEST_FILE = 'manifest.json';

export interface BundleOutput {
  /** File name of the script inside BUNDLES_DIR. */
  js: string;
  /** File name of the style sheet, when the entry imports CSS. */
  css?: string;
  format: 'iife' | 'esm';
}

export interface BundleManifest {
  /** Hash of the entry list and build options the bundles were built with. */
  configHash: string;
  builtAt: string;
  /** Every source file (relative to the repository) that went into a bundle. */
  inputs: string[];
  bundles: Record<string, BundleOutput>;
}

const cache = new Map<string, { mtimeMs: number; manifest: BundleManifest }>();

/** The current manifest, re-read when a rebuild replaced it; undefined when never built. */
export function readBundleManifest(dir = BUNDLES_DIR): BundleManifest | undefined {
  const file = path.join(dir, MANIFEST_FILE);
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  let hit = cache.get(file);
  if (!hit || hit.mtimeMs !== mtimeMs) {
    hit = { mtimeMs, manifest: JSON.parse(readFileSync(file, 'utf8')) as BundleManifest };
    cache.set(file, hit);
  }
  return hit.manifest;
}

export interface BundleLinks {
  script: string;
  style?: string;
  module: boolean;
}

/** URLs of one bundle for a page's <script>/<link> tags. Throws if it was not built. */
export function bundleLinks(name: string): BundleLinks {
  const bundle = readBundleManifest()?.bundles[name];
  if (!bundle) {
    throw new Error(
      `front-end bundle "${name}" is not built: run "node --import tsx scripts/build-bundles.ts"`,
    );
  }
  return {
    script: `${BUNDLES_URL}/${bundle.js}`,
    style: bundle.css ? `${BUNDLES_URL}/${bundle.css}` : undefined,
    module: bundle.format === 'esm',
  };
}
