import { Client, Connection } from '@temporalio/client';
import type { TemporalConnectionOptions } from './connection-options';

/** Where and how to connect (see temporalConnectionOptions), and what to work on. */
export interface TemporalSettings extends TemporalConnectionOptions {
  namespace: string;
  taskQueue: string;
}

export interface TemporalGateway {
  client: Client;
  connection: Connection;
  taskQueue: string;
  /** True when the server answers within timeoutMs. */
  isReachable(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * A lazily connected client: the API starts and takes bookings while Temporal is down (the outbox
 * relay delivers later), so nothing here may wait for the server at start-up.
 */
export function createTemporalGateway(settings: TemporalSettings): TemporalGateway {
  const connection = Connection.lazy({
    address: settings.address,
    tls: settings.tls,
    apiKey: settings.apiKey,
    // gRPC's default reconnect backoff grows to two minutes; after an outage the outbox relay
    // should reach Temporal within seconds of its return.
    channelArgs: { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 2_000 },
  });
  const client = new Client({ connection, namespace: settings.namespace });
  return {
    client,
    connection,
    taskQueue: settings.taskQueue,
    async isReachable(timeoutMs = 2000) {
      try {
        await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
        return true;
      } catch {
        return false;
      }
    },
    close: () => connection.close(),
  };
}
