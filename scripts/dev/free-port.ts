import { readFile } from 'node:fs/promises';
import net from 'node:net';

/**
 * A free loopback port for a server another process will listen on, chosen below the kernel's
 * ephemeral range. A port from the ephemeral range (what listening on port 0 hands out) can be
 * taken by any outgoing connection once it is released, so a server restarted on it (Temporal
 * after a drill's outage, PostgreSQL after a kill) could find it in use by a client socket.
 */
export async function freePort(): Promise<number> {
  const [low, high] = await ephemeralRange();
  const below = low - 1 - FIRST_CANDIDATE;
  for (let attempt = 0; attempt < 100 && below > 1000; attempt++) {
    const port = FIRST_CANDIDATE + Math.floor(Math.random() * below);
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    if (await canListen(port)) return port;
  }
  // No room below the range (or nothing free there): ask the kernel, above the range if it can.
  return high < 65535 && (await canListen(high + 1)) ? high + 1 : kernelPort();
}

const FIRST_CANDIDATE = 10_000;
/** Ports this process has handed out, so calls made together never get the same one. */
const handedOut = new Set<number>();

async function ephemeralRange(): Promise<[number, number]> {
  try {
    const text = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    const [low, high] = text.trim().split(/\s+/).map(Number);
    if (Number.isInteger(low) && Number.isInteger(high)) return [low!, high!];
  } catch {
    // Not Linux: the IANA dynamic range.
  }
  return [49152, 65535];
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function kernelPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on host:port, or rejects after timeoutMs. */
export async function waitForPort(port: number, timeoutMs: number, host = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(port, host)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Nothing accepted connections on ${host}:${port} within ${Math.round(timeoutMs / 1000)} s`);
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
