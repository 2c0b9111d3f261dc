// A real HTTP server in the test process that hands requests to Next.js route handler modules
// (their exported GET/POST…), so out-of-process clients — a self-hosted runner, say — talk HTTP
// to the same code the app serves, against the test's database.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

// `never`: each route module types its own params; this server fills them from the path.
type Handler = (request: Request, context: { params: Promise<never> }) => Promise<Response>;

export interface RouteServerRoute {
  /** "/api/runner/v1/tasks/:taskId/:event" */
  path: string;
  handlers: Partial<Record<"GET" | "POST" | "PUT" | "PATCH" | "DELETE", Handler>>;
}

export interface RouteServer {
  url: string;
  close(): Promise<void>;
}

function match(pattern: string, pathname: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = pathname.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    if (part.startsWith(":")) params[part.slice(1)] = decodeURIComponent(got[i]!);
    else if (part !== got[i]) return null;
  }
  return params;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startRouteServer(routes: RouteServerRoute[]): Promise<RouteServer> {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      for (const route of routes) {
        const params = match(route.path, url.pathname);
        const handler = params && route.handlers[req.method as keyof RouteServerRoute["handlers"]];
        if (!params || !handler) continue;
        const aborted = new AbortController();
        res.on("close", () => aborted.abort());
        const body =
          req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
        const headers = new Headers();
        for (const [name, value] of Object.entries(req.headers)) {
          if (typeof value === "string") headers.set(name, value);
        }
        const response = await handler(
          new Request(url, {
            method: req.method,
            headers,
            body: body ? new Uint8Array(body) : undefined,
            signal: aborted.signal,
          }),
          // The route's own param names, matched from the pattern above.
          { params: Promise.resolve(params) as Promise<never> },
        );
        res.writeHead(response.status, Object.fromEntries(response.headers));
        res.end(Buffer.from(await response.arrayBuffer()));
        return;
      }
      res.writeHead(404).end();
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
