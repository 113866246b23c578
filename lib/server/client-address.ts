/**
 * The client's address, for rate limiting and the setup-code rule. A
 * client can write any X-Forwarded-For it likes, so it is believed only when
 * BATCHBOARD_TRUST_PROXY says a reverse proxy in front sets it; otherwise the
 * address is the TCP peer's, stamped on each request by the server itself
 * (see peer-address.ts).
 */
import { headers } from "next/headers";
import { getAppContext } from "./app-context";
import { PEER_ADDRESS_HEADER } from "./peer-address";

/** Pure, so both rules are tested without a server. */
export function clientAddressOf(list: Pick<Headers, "get">, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = list.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return list.get(PEER_ADDRESS_HEADER) || "unknown";
}

export async function readClientAddress(): Promise<string> {
  const { env } = await getAppContext();
  return clientAddressOf(await headers(), env.BATCHBOARD_TRUST_PROXY);
}
