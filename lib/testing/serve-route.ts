/** A real HTTP server in front of a route handler, as Next puts one: for tests and benchmarks that drive a route with a real HTTP client. */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

type Handler = (request: Request, segment: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** Listens on 127.0.0.1 (a free port) and answers every request with `handler`. */
export async function serveRoute(handler: Handler): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", async () => {
      const headers = new Headers();
      for (const [key, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(key, value);
      const body = ["GET", "HEAD"].includes(incoming.method ?? "GET") ? undefined : Buffer.concat(chunks);
      try {
        const response = await handler(
          new Request(`http://${incoming.headers.host}${incoming.url}`, { method: incoming.method, headers, body }),
          { params: Promise.resolve({}) },
        );
        outgoing.writeHead(response.status, Object.fromEntries(response.headers));
        outgoing.end(Buffer.from(await response.arrayBuffer()));
      } catch (error) {
        // What Next would do: a 500, and the error where the developer sees it.
        console.error("serveRoute: the handler threw", error);
        if (!outgoing.headersSent) outgoing.writeHead(500);
        outgoing.end();
      }
    });
  });
  // Longer than a client keeps an idle connection: Node's default (5 s) races with fetch reusing it.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
