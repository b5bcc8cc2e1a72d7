import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadProductConfig, readEnvConfig } from '../../../src/config';

const REAL_CONFIG = path.resolve(__dirname, '../../../engine-config');

/** A private copy of engine-config/ that a test may break. */
function copyConfig(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pc-config-'));
  cpSync(REAL_CONFIG, dir, { recursive: true });
  return dir;
}

function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const p = path.join(dir, file);
  const text = readFileSync(p, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture edit did not apply to ${file}`);
  writeFileSync(p, next);
}

function loadError(dir: string): string {
  try {
    loadProductConfig(dir);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('engine-config loading', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const d = copyConfig();
    dirs.push(d);
    return d;
  };
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('loads the shipped demo provinces with real ISTAT codes', () => {
    const config = loadProductConfig(REAL_CONFIG);
    expect([...config.provinces.keys()].sort()).toEqual(['039', '100']);
    const ravenna = config.provinces.get('039')!;
    expect(ravenna.name).toBe('Provincia di Ravenna');
    expect(ravenna.comuni.map((c) => c.istat)).toContain('039014');
  });

  it('merges a province override over the defaults for that province only', () => {
    const config = loadProductConfig(REAL_CONFIG);
    expect(config.provinces.get('100')!.settings.procurement.thresholds.directAwardWorks).toBe(
      100000,
    );
    expect(config.provinces.get('039')!.settings.procurement.thresholds.directAwardWorks).toBe(
      150000,
    );
    expect(config.provinces.get('100')!.settings.procurement.thresholds.euWorks).toBe(5404000);
  });

  it('names the province file, the field and the line of a broken value', () => {
    const dir = fresh();
    edit(dir, 'provinces/100.yaml', 'directAwardWorks: 100000', "directAwardWorks: 'centomila'");
    const msg = loadError(dir);
    expect(msg).toMatch(
      /provinces\/100\.yaml:\d+: field "settings\.procurement\.thresholds\.directAwardWorks"/,
    );
    expect(msg).toMatch(/must be number/);
    expect(msg).toContain('"centomila"');
  });

  it('blames default.yaml when the bad value comes from the defaults', () => {
    const dir = fresh();
    edit(dir, 'default.yaml', 'euWorks: 5404000', 'euWorks: -1');
    const msg = loadError(dir);
    expect(msg).toMatch(/default\.yaml:\d+: field "procurement\.thresholds\.euWorks"/);
    expect(msg).not.toMatch(/provinces\//);
  });

  it('rejects unknown fields, naming them', () => {
    const dir = fresh();
    edit(dir, 'provinces/039.yaml', 'enabledProcesses:', 'colour: blue\nenabledProcesses:');
    expect(loadError(dir)).toMatch(
      /provinces\/039\.yaml:\d+: field "colour": unknown field "colour"/,
    );
  });

  it('rejects a comune code that ISTAT does not know', () => {
    const dir = fresh();
    edit(dir, 'provinces/039.yaml', "istat: '039016'", "istat: '039999'");
    expect(loadError(dir)).toMatch(
      /field "comuni\.4\.istat": expected an ISTAT comune code, "039999"/,
    );
  });

  it('rejects a comune of another province', () => {
    const dir = fresh();
    edit(
      dir,
      'provinces/039.yaml',
      "{ istat: '039016', name: Russi",
      "{ istat: '100005', name: Prato",
    );
    expect(loadError(dir)).toMatch(/comune 100005 \(Prato\) belongs to province 100, not 039/);
  });

  it('rejects a comune whose name does not match ISTAT', () => {
    const dir = fresh();
    edit(dir, 'provinces/039.yaml', 'name: Russi', 'name: Rusi');
    expect(loadError(dir)).toMatch(/field "comuni\.4\.name": expected "Russi"/);
  });

  it('requires the file name to be the province ISTAT code', () => {
    const dir = fresh();
    edit(dir, 'provinces/039.yaml', "istat: '039'\n", "istat: '100'\n");
    expect(loadError(dir)).toMatch(
      /provinces\/039\.yaml:\d+: field "province\.istat": expected "039"/,
    );
  });

  it('reports invalid YAML with the file name', () => {
    const dir = fresh();
    writeFileSync(path.join(dir, 'provinces/039.yaml'), 'province: [unclosed\n');
    expect(loadError(dir)).toMatch(/provinces\/039\.yaml: invalid YAML/);
  });
});

describe('environment configuration', () => {
  it('has the documented defaults', () => {
    const env = readEnvConfig({});
    expect(env.port).toBe(3000);
    expect(env.zeebeAddress).toBe('127.0.0.1:26500');
    expect(env.builtInEngine).toBe(true);
    expect(env.mongodbUri).toBeUndefined();
  });

  it('names the variable that is wrong', () => {
    expect(() => readEnvConfig({ PORT: 'abc' })).toThrow(/PORT: expected a port number/);
    expect(() => readEnvConfig({ ZEEBE_ADDRESS: 'nohost' })).toThrow(
      /ZEEBE_ADDRESS: expected host:port/,
    );
    expect(() => readEnvConfig({ BUILT_IN_ENGINE: 'maybe' })).toThrow(
      /BUILT_IN_ENGINE: expected true or false/,
    );
    expect(() => readEnvConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });
});
