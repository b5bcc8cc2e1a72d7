/**
 * Builds the embedded database once (`npm run db:build`); `npm start` and `npm test`
 * do the same on their own when needed, this is for CI logs and Docker layers.
 */
import { ensureFerretDbBinary } from '../src/db/embedded-ferretdb';

ensureFerretDbBinary().then(
  (binary) => console.log(`FerretDB ready: ${binary}`),
  (err: unknown) => {
    console.error((err as Error).message);
    process.exit(1);
  },
);
