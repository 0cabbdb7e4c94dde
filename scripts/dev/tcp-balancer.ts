// One address for the Temporal cluster's frontends, as a load balancer in front of them gives in
// production. It works on TCP, not HTTP/2: a gRPC client (the SDK's, the Rust core's) keeps one
// long-lived connection, and when the frontend behind it dies the connection closes and the client
// reconnects, landing on a frontend that accepts. A connection is never moved while it is open.
import net from 'node:net';

export interface Backend {
  name: string;
  port: number;
}

export interface TcpBalancer {
  address: string;
  /** Connections handed to each backend since the start. */
  connections: Map<string, number>;
  close(): Promise<void>;
}

export async function startTcpBalancer({
  port,
  backends,
}: {
  port: number;
  backends: Backend[];
}): Promise<TcpBalancer> {
  const connections = new Map(backends.map((backend) => [backend.name, 0]));
  const open = new Set<net.Socket>();
  let next = 0;

  /** Tries each backend once, from the next in turn; undefined when none accepts. */
  function connectUpstream(tried = 0): Promise<{ socket: net.Socket; backend: Backend } | undefined> {
    if (tried === backends.length) return Promise.resolve(undefined);
    const backend = backends[next++ % backends.length]!;
    return new Promise((resolve) => {
      const socket = net.connect({ port: backend.port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.removeAllListeners('error');
        resolve({ socket, backend });
      });
      socket.once('error', () => {
        socket.destroy();
        resolve(connectUpstream(tried + 1));
      });
    });
  }

  const server = net.createServer((client) => {
    open.add(client);
    client.pause();
    client.once('close', () => open.delete(client));
    client.on('error', () => client.destroy());
    void connectUpstream().then((upstream) => {
      if (!upstream || client.destroyed) {
        upstream?.socket.destroy();
        client.destroy();
        return;
      }
      const { socket, backend } = upstream;
      connections.set(backend.name, (connections.get(backend.name) ?? 0) + 1);
      open.add(socket);
      socket.once('close', () => {
        open.delete(socket);
        client.destroy();
      });
      socket.on('error', () => socket.destroy());
      client.once('close', () => socket.destroy());
      client.pipe(socket);
      socket.pipe(client);
      client.resume();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    address: `127.0.0.1:${port}`,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
