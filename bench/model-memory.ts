/**
 * `npm run bench` suite "models" (BENCH_SUITES=models): resident memory of the engine
 * server per deployed version of the procurement model (processes/procurement, 60 KB),
 * the figure issue 9 item 9 asks for (every version's parsed model and resource are held
 * in memory today; a bounded model cache is still to be built). Deploys
 * BENCH_MODEL_VERSIONS (default 1000) versions, each a real new version (its name
 * differs), and reports the engine's resident memory before and after, per 1,000 versions.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createZeebeClient } from '../src/workers/runtime';
import { startEngineProcess } from './engine-process';
import { round } from './stats';

const VERSIONS = Number(process.env.BENCH_MODEL_VERSIONS ?? 1000);

export interface ModelMemoryResult {
  versions: number;
  modelKb: number;
  engineRssBeforeMb: number;
  engineRssAfterMb: number;
  rssPer1000VersionsMb: number;
  deploysPerSecond: number;
}

export async function runModelMemoryBench(): Promise<ModelMemoryResult> {
  const xml = readFileSync(
    path.join(__dirname, '..', 'processes', 'procurement', 'procurement.bpmn'),
    'utf8',
  );
  const engine = await startEngineProcess();
  const zbc = createZeebeClient(engine.address);
  try {
    // One deploy first, so the figure leaves out what any first model loads once.
    await zbc.deployResource({ name: 'procurement.bpmn', process: Buffer.from(xml) });
    await new Promise((r) => setTimeout(r, 2000));
    const before = engine.rssMb();
    const started = performance.now();
    for (let v = 1; v <= VERSIONS; v++) {
      // A different process name makes a new version (a different checksum).
      const version = xml.replace(/(<bpmn:process\b[^>]*\bname=")/, `$1v${v} `);
      await zbc.deployResource({ name: 'procurement.bpmn', process: Buffer.from(version) });
      if (v % 100 === 0)
        console.log(`bench: ${v} versions deployed, engine RSS ${round(engine.rssMb(), 1)} MB`);
    }
    const seconds = (performance.now() - started) / 1000;
    await new Promise((r) => setTimeout(r, 2000));
    const after = engine.rssMb();
    return {
      versions: VERSIONS,
      modelKb: round(xml.length / 1024, 1),
      engineRssBeforeMb: round(before, 1),
      engineRssAfterMb: round(after, 1),
      rssPer1000VersionsMb: round(((after - before) * 1000) / VERSIONS, 1),
      deploysPerSecond: round(VERSIONS / seconds, 1),
    };
  } finally {
    await zbc.close().catch(() => undefined);
    await engine.stop();
  }
}
