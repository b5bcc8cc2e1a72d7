/**
 * `npm start`: the whole product in one process group (web app, built-in engine,
 * embedded database, demo data). Stops cleanly on SIGINT/SIGTERM and on a crash,
 * never leaving the embedded database running.
 */
// Only light modules here: the web port must answer before the rest is even loaded.
import { ConfigError, readEnvConfig } from './config/env';
import { onParentExit } from './process/parent-watch';
import type { RunningProduct } from './product';
import { startStartingServer, type StartingServer } from './web/starting-server';

async function main(): Promise<void> {
  let product: RunningProduct | undefined;
  let starting: StartingServer | undefined;
  let stopping = false;

  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    product?.logger.info({ reason }, 'shutting down');
    const force = setTimeout(() => process.exit(exitCode || 1), 15_000);
    force.unref();
    await product?.stop();
    await starting?.close();
    process.exit(exitCode);
  };

  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  // Started by a test or a tool with an IPC channel: stop (with the embedded database)
  // when that parent dies, even by SIGKILL, instead of running on as an orphan.
  onParentExit(() => void stop('the parent process exited', 0));
  process.on('uncaughtException', (err) => {
    console.error('Fatal error:', err);
    void stop('uncaughtException', 1);
  });
  process.on('unhandledRejection', (err) => {
    console.error('Fatal error (unhandled rejection):', err);
    void stop('unhandledRejection', 1);
  });

  try {
    // The web port answers at once ("preparazione in corso", /health "starting") while
    // the database is built or opened; the product takes it over when ready.
    const env = readEnvConfig(process.env);
    starting = await startStartingServer(env.host, env.port);
    console.log(`Province & Comuni is starting: ${starting.url} (health: ${starting.url}/health)`);
    const { startProduct } = await import('./product.js');
    product = await startProduct(process.env, {
      web: starting,
      onFatal: (message) => {
        console.error(`\nProvince & Comuni stops: ${message}\n`);
        void stop('fatal', 1);
      },
    });
    console.log(
      `\nProvince & Comuni is running at ${product.url}  (health: ${product.url}/health)\n`,
    );
  } catch (err) {
    // Errors whose message tells the user what to do (checked by name: the modules that
    // define them are loaded lazily).
    const known = ['EmbeddedDatabaseUnavailableError', 'MailSinkPortInUseError'];
    if (err instanceof ConfigError || (err instanceof Error && known.includes(err.name))) {
      console.error(`\nCannot start Province & Comuni.\n${err.message}\n`);
    } else {
      console.error('\nCannot start Province & Comuni:', err);
    }
    await starting?.close();
    process.exit(1);
  }
}

void main();
