/** The client's address for rate limiting: the first X-Forwarded-For hop Next's server records, else "unknown". */
import { headers } from "next/headers";

export async function readClientAddress(): Promise<string> {
  const list = await headers();
  return list.get("x-forwarded-for")?.split(",")[0]?.trim() || list.get("x-real-ip") || "unknown";
}
