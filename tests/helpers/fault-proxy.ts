/**
 * A fault injector on the wire: an HTTP proxy in front of a real server (the bridge or the
 * ChurchTools stand-in) that forwards every request unchanged unless the test's rule says
 * otherwise. What it can do is what networks and processes do: change the data between two
 * requests (another user), lose an answer after the server acted on the request, answer a
 * page with items missing, answer in the server's place (a gateway's 502-504), or stop passing
 * anything on (the client process died).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  /** Path and query as sent, e.g. `/v1/persons?limit=20&after=40`. */
  readonly url: string;
}

export type FaultAction =
  | { readonly kind: 'forward' }
  /** The server gets and performs the request; the client never gets the answer. */
  | { readonly kind: 'loseAnswer' }
  /** Nothing reaches the server (the client's process is gone). */
  | { readonly kind: 'drop' }
  /** Forwarded; the JSON answer is changed before it reaches the client. */
  | { readonly kind: 'rewrite'; readonly change: (body: unknown) => unknown }
  /** Not forwarded; the proxy answers with this status itself (a gateway, an overloaded server). */
  | { readonly kind: 'answer'; readonly status: number };

export type FaultRule = (request: SeenRequest) => FaultAction | Promise<FaultAction>;

export interface FaultProxy {
  readonly url: string;
  /** Every request that reached the proxy, in order, with what was done to it. */
  readonly log: { request: SeenRequest; action: FaultAction['kind'] }[];
  rule: FaultRule;
  /** Connections clients opened to the proxy so far. */
  readonly connections: number;
  close(): Promise<void>;
}

const FORWARD: FaultAction = { kind: 'forward' };

export interface FaultProxyOptions {
  /** How long the proxy keeps an idle kept-alive connection open (Node's default 5 s). */
  readonly keepAliveTimeoutMs?: number;
}

export async function startFaultProxy(target: string, options: FaultProxyOptions = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const sockets = new Set<Socket>();
  const proxy: FaultProxy = {
    url: '',
    log: [],
    rule: () => FORWARD,
    connections: 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const out = httpRequest(
        { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const seen: SeenRequest = { method: req.method ?? 'GET', url: req.url ?? '/' };
    const action = await proxy.rule(seen);
    proxy.log.push({ request: seen, action: action.kind });
    if (action.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (action.kind === 'answer') {
      res.writeHead(action.status, { 'Content-Type': 'text/plain' });
      res.end(`proxy answered ${action.status}`);
      return;
    }
    const answer = await forward(req, Buffer.concat(chunks));
    if (action.kind === 'loseAnswer') {
      req.socket.destroy();
      return;
    }
    let body = answer.body;
    const headers = { ...answer.headers };
    if (action.kind === 'rewrite') {
      body = Buffer.from(JSON.stringify(action.change(JSON.parse(body.toString('utf8')))));
      delete headers['content-encoding'];
    }
    delete headers['transfer-encoding'];
    headers['content-length'] = String(body.length);
    res.writeHead(answer.status, headers);
    res.end(body);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  if (options.keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = options.keepAliveTimeoutMs;
  server.on('connection', (socket) => {
    (proxy as { connections: number }).connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return Object.assign(proxy, { url: `http://127.0.0.1:${port}` });
}
