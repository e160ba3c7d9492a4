import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { type Listening, listen } from './listen.ts';
import { requestIdFrom } from '../observability/request-context.ts';

/** The port bound before the server's code is loaded; `serve` hands every later request to the app. */
export interface StartingServer extends Listening {
  serve(app: RequestListener): void;
}

/**
 * Listens at once, before the server's code is loaded (express, the store, the receivers: most of a start), so
 * whoever watches the process sees it alive within a tenth of a second. Until `serve`: /healthz answers 200
 * `{"status":"starting"}` (alive), /readyz 503 with the check `started: false` (a load balancer sends nothing
 * yet), and every other request 503 with code `starting` and `Retry-After: 1`, as JSON like every failure.
 */
export async function listenStarting(port: number, host: string): Promise<StartingServer> {
  let app: RequestListener | undefined;
  const listening = await listen((req, res) => (app ? app(req, res) : answerStarting(req, res)), port, host);
  return {
    ...listening,
    serve(ready) {
      app = ready;
    },
  };
}

function answerStarting(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  const alive = req.method === 'GET' || req.method === 'HEAD';
  const [status, body] =
    alive && path === '/healthz'
      ? [200, { status: 'starting' }]
      : alive && path === '/readyz'
        ? [503, { status: 'unready', checks: { started: false } }]
        : [503, { error: { code: 'starting', message: 'Sparringsbot is starting. Please try again shortly.' } }];
  res.setHeader('x-request-id', requestIdFrom(req.headers['x-request-id']));
  if (status === 503) res.setHeader('retry-after', '1');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  // The request's body is not read: the answer does not depend on it, and Node discards it with the connection's next request.
  res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
}
