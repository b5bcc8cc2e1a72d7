import {
  EmbeddedDatabaseUnavailableError,
  ensureFerretDbBinary,
} from '../../src/db/embedded-ferretdb';

describe('embedded database without Go', () => {
  const saved = { PATH: process.env.PATH, FERRETDB_BINARY: process.env.FERRETDB_BINARY };
  afterEach(() => {
    process.env.PATH = saved.PATH;
    if (saved.FERRETDB_BINARY === undefined) delete process.env.FERRETDB_BINARY;
    else process.env.FERRETDB_BINARY = saved.FERRETDB_BINARY;
  });

  it('stops with a message naming both ways out: MONGODB_URI or installing Go', async () => {
    process.env.FERRETDB_BINARY = '/nonexistent/ferretdb-embedded';
    process.env.PATH = '/nonexistent-bin';
    let error: unknown;
    try {
      await ensureFerretDbBinary({ info: () => undefined, warn: () => undefined });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(EmbeddedDatabaseUnavailableError);
    expect((error as Error).message).toMatch(/MONGODB_URI/);
    expect((error as Error).message).toMatch(/install Go/);
  });
});
