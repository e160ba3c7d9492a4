import { createServer, type RequestListener, type Server } from 'node:http';
import { BlockList, isIP, type AddressInfo } from 'node:net';

/** Why the server could not start, in one line an operator can act on. */
export class ListenError extends Error {
  readonly code: string | undefined;
  override readonly name = 'ListenError';

  constructor(message: string, code: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    // The stack of a failed bind points into Node's net internals and helps nobody: start-up prints this one line.
    this.stack = `${this.name}: ${message}`;
  }
}

export interface Listening {
  server: Server;
  /** The base address without a trailing slash, e.g. `http://127.0.0.1:3978` or `http://[::1]:3978`. */
  url: string;
  /** The bound port: the one the OS chose when asked for port 0. */
  port: number;
  /**
   * Stops accepting, drops idle keep-alive connections, lets requests in flight finish, and after
   * `graceMs` cuts whatever is left, so a deploy never hangs on a client that keeps its socket open.
   */
  close(graceMs?: number): Promise<void>;
}

export const DEFAULT_CLOSE_GRACE_MS = 10_000;

const hostInUrl = (host: string) => (isIP(host) === 6 ? `[${host}]` : host);

function describe(error: NodeJS.ErrnoException, port: number, host: string): string {
  const where = `port ${port} on ${host}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `${where} is already in use (EADDRINUSE): stop the other process or set PORT`;
    case 'EACCES':
      return `${where} needs privileges (EACCES): use a port above 1023 or set PORT`;
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine (EADDRNOTAVAIL): set HOST to one of its addresses`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `host ${host} could not be resolved (${error.code}): set HOST to an address or a known name`;
    default:
      return `cannot listen on ${where} (${error.code ?? 'no code'}): ${error.message.replace(/\s+/g, ' ')}`;
  }
}

/**
 * Starts the HTTP server and settles only once the outcome is known. Express's `app.listen` hands a
 * bind failure to its callback as if it had succeeded, which is how a busy port used to surface as
 * "Cannot destructure property 'port'".
 */
export function listen(app: RequestListener, port: number, host: string): Promise<Listening> {
  const server = createServer(app);
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      server.off('listening', listening);
      reject(new ListenError(describe(error, port, host), error.code, { cause: error }));
    };
    const listening = () => {
      server.off('error', failed);
      const bound = (server.address() as AddressInfo).port;
      resolve({ server, url: `http://${hostInUrl(host)}:${bound}`, port: bound, close: closer(server) });
    };
    server.once('error', failed);
    server.once('listening', listening);
    server.listen(port, host);
  });
}

function closer(server: Server): Listening['close'] {
  let closing: Promise<void> | undefined;
  // A keep-alive socket turns idle only once its last answer is sent; without this it would hold close() until it times out.
  server.on('request', (_req, res) => res.once('finish', () => closing && server.closeIdleConnections()));
  return (graceMs = DEFAULT_CLOSE_GRACE_MS) => {
    closing ??= new Promise<void>((resolve, reject) => {
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      force.unref();
      server.close((error) => {
        clearTimeout(force);
        if (error) reject(error);
        else resolve();
      });
      server.closeIdleConnections();
    });
    return closing;
  };
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/**
 * Whether only this machine can reach `host`. The wildcard addresses 0.0.0.0 and :: are not loopback:
 * they listen on every interface.
 */
export function isLoopback(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare.toLowerCase() === 'localhost') return true;
  const family = isIP(bare);
  // BlockList also matches IPv4-mapped forms such as ::ffff:127.0.0.1.
  return family !== 0 && LOOPBACK.check(bare, family === 6 ? 'ipv6' : 'ipv4');
}
