/**
 * Next hands route handlers and server actions the request's headers but
 * not its socket, and fills X-Forwarded-For from the socket only when the
 * client did not send one. So the server writes the TCP peer's address on
 * every incoming request under its own header, overwriting whatever a
 * client sent under that name; client-address.ts reads it.
 */
import http from "node:http";

export const PEER_ADDRESS_HEADER = "x-batchboard-peer-address";

const slot = globalThis as typeof globalThis & { batchboardPeerAddressStamped?: boolean };

/** Installs the stamp on every HTTP server of this process; called once at start (instrumentation.ts). */
export function stampPeerAddresses(): void {
  if (slot.batchboardPeerAddressStamped) return;
  slot.batchboardPeerAddressStamped = true;
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function stampedEmit(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      request.headers[PEER_ADDRESS_HEADER] = request.socket.remoteAddress ?? "unknown";
    }
    return emit.call(this, event, ...args);
  };
}

/** Whether an address is this machine's own (the setup code is not asked of a local visitor). */
export function isLoopbackAddress(address: string): boolean {
  return address === "::1" || address.startsWith("127.") || address.startsWith("::ffff:127.");
}
