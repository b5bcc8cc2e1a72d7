/**
 * Sessions: express-session with connect-mongo in the product's database, so every app
 * process sees every session. FerretDB has no TTL indexes, so expired sessions are
 * deleted by the store's interval clean-up; the store never returns an expired session
 * in the meantime (it filters on `expires`).
 *
 * Time-outs: the cookie and the stored session expire after the idle time-out (rolling:
 * every request renews them); the absolute time-out (from sign-in) is checked by
 * `authenticate` in access.ts.
 */
import { randomBytes } from 'node:crypto';
import MongoStore from 'connect-mongo';
import session from 'express-session';
import type { RequestHandler } from 'express';
import type { Connection } from 'mongoose';

export const SESSIONS_COLLECTION = 'sessions';

declare module 'express-session' {
  interface SessionData {
    accountId?: string;
    /** Epoch ms of the sign-in, for the absolute time-out. */
    signedInAt?: number;
    via?: 'password' | 'oidc';
    /** A one-line message for the next page (e.g. "password changed"). */
    flash?: { kind: 'success' | 'info' | 'warning' | 'danger'; key: string };
    /** OIDC sign-in in progress (state, nonce, PKCE verifier, province). */
    oidc?: { tenantId: string; state: string; nonce: string; codeVerifier: string; next?: string };
    /** After an OIDC sign-in: to end the provider's session too at sign-out. */
    oidcSignOut?: { tenantId: string; idToken?: string };
    /** Ids of the "new token" forms shown to this session and not yet sent (newest last). */
    tokenFormIds?: string[];
  }
}

export interface SessionOptions {
  connection: Connection;
  secret: string;
  /** Secure cookies (PUBLIC_URL is https). */
  secure: boolean;
  idleTimeoutMs: number;
}

export interface SessionMiddleware {
  middleware: RequestHandler;
  store: session.Store;
  /** Stops the store's clean-up timer (the database connection stays open: it is shared). */
  close(): void;
}

/**
 * The secret that signs session cookies: SESSION_SECRET when set, otherwise one random
 * secret generated on first start and kept in the database, so that all app processes
 * on the same database accept each other's cookies.
 */
export async function resolveSessionSecret(
  connection: Connection,
  configured: string | undefined,
): Promise<string> {
  if (configured) return configured;
  const meta = connection.db!.collection<{ _id: string; value: string }>('product_meta');
  const existing = await meta.findOne({ _id: 'session-secret' });
  if (existing) return existing.value;
  const value = randomBytes(32).toString('base64url');
  try {
    await meta.insertOne({ _id: 'session-secret', value });
    return value;
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    return (await meta.findOne({ _id: 'session-secret' }))!.value;
  }
}

export function createSessionMiddleware(opts: SessionOptions): SessionMiddleware {
  const store = MongoStore.create({
    client: opts.connection.getClient(),
    dbName: opts.connection.db!.databaseName,
    collectionName: SESSIONS_COLLECTION,
    autoRemove: 'interval',
    autoRemoveInterval: 10, // minutes
    ttl: Math.ceil(opts.idleTimeoutMs / 1000),
    // Renew the stored expiry at most once a minute, not on every request.
    touchAfter: 60,
    stringify: false,
  });
  const middleware = session({
    // The __Host- prefix pins the cookie to this origin over HTTPS (no Domain, Path=/).
    name: opts.secure ? '__Host-pc.sid' : 'pc.sid',
    secret: opts.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: opts.secure,
      path: '/',
      maxAge: opts.idleTimeoutMs,
    },
  });
  return {
    middleware,
    store,
    close() {
      // connect-mongo's own close() would also close the client, which mongoose shares.
      const timer = (store as unknown as { timer?: NodeJS.Timeout }).timer;
      if (timer) clearInterval(timer);
    },
  };
}

/**
 * Stores the session now. express-session stores a changed session when the response
 * ends, but sends a redirect's headers first: a browser then follows the redirect before
 * the session is in the database. Await this before redirecting after a session change
 * (sign-in, flash messages); `redirectAfterSave` does both.
 */
export function saveSession(req: import('express').Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.save((err) => (err ? reject(err) : resolve())),
  );
}

export async function redirectAfterSave(
  req: import('express').Request,
  res: import('express').Response,
  location: string,
): Promise<void> {
  await saveSession(req);
  res.redirect(303, location);
}

/** Ends every session of a person (after a password reset or a deactivation). */
export async function deleteSessionsOf(connection: Connection, accountId: string): Promise<void> {
  await connection
    .db!.collection(SESSIONS_COLLECTION)
    .deleteMany({ 'session.accountId': accountId });
}
