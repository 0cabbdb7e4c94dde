import type { TLSConfig } from '@temporalio/client';
import type { Config } from '../config/config';

/** Where BookIT looks for Temporal when TEMPORAL_ADDRESS is not set: the local dev server. */
export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

/** The options both kinds of connection take (`Connection` for the client, `NativeConnection` for the worker). */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
  apiKey?: string;
}

/**
 * One place decides how BookIT reaches Temporal, so the API's client, the worker and the schedule
 * writer all connect alike: plain gRPC to a local server, or TLS (mTLS with a client certificate,
 * a private root CA) and an API key for a secured cluster or Temporal Cloud.
 */
export function temporalConnectionOptions(
  temporal: Pick<Config['temporal'], 'address' | 'tls' | 'apiKey'>,
): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address: temporal.address ?? DEFAULT_TEMPORAL_ADDRESS };
  // An API key travels only over TLS: loadConfig turns TLS on for one, and so does this.
  if (temporal.tls || temporal.apiKey) options.tls = temporal.tls ?? {};
  if (temporal.apiKey) options.apiKey = temporal.apiKey;
  return options;
}
