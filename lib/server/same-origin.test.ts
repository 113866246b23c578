import { describe, expect, it } from "vitest";
import { isSafeMethod, isSameOriginRequest } from "./same-origin";

const headers = (entries: Record<string, string>) => new Headers(entries);

describe("isSameOriginRequest", () => {
  it("accepts our own origin and requests from non-browsers", () => {
    expect(isSameOriginRequest(headers({ host: "bb.test:3000", origin: "http://bb.test:3000" }))).toBe(true);
    expect(isSameOriginRequest(headers({ host: "bb.test" }))).toBe(true);
    expect(isSameOriginRequest(headers({ host: "bb.test", "sec-fetch-site": "same-origin" }))).toBe(true);
  });

  it("refuses other origins, opaque origins and cross-site fetches", () => {
    expect(isSameOriginRequest(headers({ host: "bb.test", origin: "https://evil.example" }))).toBe(false);
    expect(isSameOriginRequest(headers({ host: "bb.test:3000", origin: "http://bb.test:3001" }))).toBe(false);
    expect(isSameOriginRequest(headers({ host: "bb.test", origin: "null" }))).toBe(false);
    expect(isSameOriginRequest(headers({ host: "bb.test", "sec-fetch-site": "cross-site" }))).toBe(false);
    expect(isSameOriginRequest(headers({ host: "bb.test", origin: "not a url" }))).toBe(false);
  });

  it("treats only GET, HEAD and OPTIONS as safe", () => {
    expect(["GET", "head", "OPTIONS"].every(isSafeMethod)).toBe(true);
    expect(["POST", "PUT", "PATCH", "DELETE"].some(isSafeMethod)).toBe(false);
  });
});
