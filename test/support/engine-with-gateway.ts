/**
 * A real engine on a real test database behind the real gateway on a free port:
 * what every gateway and worker-runtime test file talks to. Nothing is mocked.
 */
import { findFreePort } from '../../src/db';
import { startGateway, type GatewayOptions, type RunningGateway } from '../../src/engine/gateway';
import { createEngine, type Engine, type EngineOptions } from '../../src/engine';
import { openTestDatabase, type TestDatabase } from './database';

export interface RunningEngine {
  engine: Engine;
  gateway: RunningGateway;
  db: TestDatabase;
  address: string;
  close(): Promise<void>;
}

export async function startEngineWithGateway(
  opts: Partial<Omit<GatewayOptions, 'address'>> = {},
  engineOpts: Partial<Omit<EngineOptions, 'connection'>> = {},
): Promise<RunningEngine> {
  const db = await openTestDatabase('gw');
  const engine = await createEngine({ ...engineOpts, connection: db.connection });
  const port = await findFreePort();
  const gateway = await startGateway(engine, { ...opts, address: `127.0.0.1:${port}` });
  return {
    engine,
    gateway,
    db,
    address: gateway.address,
    async close() {
      await gateway.close();
      await engine.close();
      await db.close();
    },
  };
}
