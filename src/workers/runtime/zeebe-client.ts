/**
 * The product's Zeebe gRPC client: @camunda8/sdk configured for a gateway — by default
 * the built-in engine on a plaintext local address without OAuth. Everything in the
 * product reaches the engine through this client.
 */
import { Camunda8 } from '@camunda8/sdk';
import type { ZeebeGrpcClient } from '@camunda8/sdk/dist/zeebe';

export type ZeebeClient = ZeebeGrpcClient;

export interface ZeebeClientOptions {
  /** grpcs:// + the gateway's CA when the gateway runs with TLS. */
  tls?: { rootCertPath?: string };
  /** Bearer token for gateways that check one (the built-in gateway's token map). */
  token?: string;
  /** SDK log level for its own logs; 'NONE' by default, the product logs itself. */
  logLevel?: 'NONE' | 'ERROR' | 'INFO' | 'DEBUG';
  tenantId?: string;
}

/** `address` is host:port (or already grpc:// / grpcs://). */
export function createZeebeClient(address: string, opts: ZeebeClientOptions = {}): ZeebeClient {
  const plain = address.replace(/^grpcs?:\/\//, '');
  const secure = Boolean(opts.tls) || address.startsWith('grpcs://');
  const c8 = new Camunda8({
    ZEEBE_GRPC_ADDRESS: `${secure ? 'grpcs' : 'grpc'}://${plain}`,
    // The product's own ZEEBE_ADDRESS variable (host:port) is in the environment the SDK
    // also reads; the address above is that same value, so blank the legacy setting
    // rather than have the SDK warn at every client that it ignores it.
    ZEEBE_ADDRESS: '',
    CAMUNDA_AUTH_STRATEGY: opts.token ? 'BEARER' : 'NONE',
    CAMUNDA_OAUTH_TOKEN: opts.token,
    CAMUNDA_CUSTOM_ROOT_CERT_PATH: opts.tls?.rootCertPath,
    CAMUNDA_TENANT_ID: opts.tenantId,
    CAMUNDA_LOG_LEVEL: 'none',
    zeebeGrpcSettings: { ZEEBE_CLIENT_LOG_LEVEL: opts.logLevel ?? 'NONE' },
  });
  return c8.getZeebeGrpcApiClient();
}
