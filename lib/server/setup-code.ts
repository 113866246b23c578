/**
 * The one-time setup code. A fresh install reachable from the network would
 * otherwise belong to whoever opens it first, so first setup from another
 * machine must type the code the server printed when it started; a visitor
 * on the server's own machine (the person who just ran `npm start`) need not.
 */
import { randomInt, timingSafeEqual } from "node:crypto";
import { isLoopbackAddress } from "./peer-address";

/** No 0/O or 1/I/L: read off a terminal and typed by hand. */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export function createSetupCode(length = 10): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join("");
}

export function setupNeedsCode(clientAddress: string): boolean {
  return !isLoopbackAddress(clientAddress);
}

/** Compares in constant time, ignoring case, spaces and dashes people add while typing. */
export function setupCodeMatches(expected: string, given: string | undefined): boolean {
  const normalise = (code: string) => Buffer.from(code.toUpperCase().replace(/[\s-]/g, ""));
  const a = normalise(expected);
  const b = normalise(given ?? "");
  return a.length === b.length && timingSafeEqual(a, b);
}
