/**
 * `npm start`: the whole product in one process group (web app, built-in engine,
 * embedded database, demo data). Stops cleanly on SIGINT/SIGTERM and on a crash,
 * never leaving the embedded database running.
 */
import { ConfigError } from './config';
import { EmbeddedDatabaseUnavailableError } from './db';
import { startProduct, type RunningProduct } from './product';

async function main(): Promise<void> {
  let product: RunningProduct | undefined;
  let stopping = false;

  const stop = async (reason: string, exitCode: number) => {
    if (stopping) return;
    stopping = true;
    product?.logger.info({ reason }, 'shutting down');
    const force = setTimeout(() => process.exit(exitCode || 1), 15_000);
    force.unref();
    await product?.stop();
    process.exit(exitCode);
  };

  process.on('SIGINT', () => void stop('SIGINT', 0));
  process.on('SIGTERM', () => void stop('SIGTERM', 0));
  process.on('uncaughtException', (err) => {
    console.error('Fatal error:', err);
    void stop('uncaughtException', 1);
  });
  process.on('unhandledRejection', (err) => {
    console.error('Fatal error (unhandled rejection):', err);
    void stop('unhandledRejection', 1);
  });

  try {
    product = await startProduct();
    console.log(
      `\nProvince & Comuni is running at ${product.url}  (health: ${product.url}/health)\n`,
    );
  } catch (err) {
    if (err instanceof ConfigError || err instanceof EmbeddedDatabaseUnavailableError) {
      console.error(`\nCannot start Province & Comuni.\n${err.message}\n`);
    } else {
      console.error('\nCannot start Province & Comuni:', err);
    }
    process.exit(1);
  }
}

void main();
