// Jest transformer: TypeScript and ESM-only dependencies to CommonJS with esbuild.
// Fast (no type checking: `npm run typecheck` does that) and handles packages such
// as bpmn-moddle and feelin that ship only ES modules.
const { transformSync } = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const esmPackageCache = new Map();

function isInEsmPackage(filename) {
  let dir = path.dirname(filename);
  while (dir !== path.dirname(dir)) {
    if (esmPackageCache.has(dir)) return esmPackageCache.get(dir);
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      let esm = false;
      try {
        esm = JSON.parse(fs.readFileSync(pkg, 'utf8')).type === 'module';
      } catch {
        esm = false;
      }
      esmPackageCache.set(dir, esm);
      return esm;
    }
    dir = path.dirname(dir);
  }
  return false;
}

module.exports = {
  process(source, filename) {
    const inNodeModules = filename.includes(`${path.sep}node_modules${path.sep}`);
    const isTs = /\.[cm]?tsx?$/.test(filename);
    if (inNodeModules && !isTs && !filename.endsWith('.mjs') && !isInEsmPackage(filename)) {
      return { code: source };
    }
    const loader = isTs ? 'ts' : 'js';
    const result = transformSync(source, {
      loader,
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcefile: filename,
      supported: { 'dynamic-import': false },
    });
    return { code: result.code };
  },
  getCacheKey(source, filename) {
    return require('node:crypto')
      .createHash('sha1')
      .update('v2\0' + filename + '\0' + source)
      .digest('hex');
  },
};
