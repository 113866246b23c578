import type { NextConfig } from "next";
import { SECURITY_HEADERS } from "./lib/server/security-headers";

const nextConfig: NextConfig = {
  // Native addons and database drivers are loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "pg",
    "@node-rs/argon2",
    "bullmq",
    "ioredis",
  ],
  poweredByHeader: false,
  experimental: {
    // The import action takes plan files up to 32 MB (app/actions/import-plan.ts); its body is that text
    // re-encoded as an action argument (quotes escaped), so the limits leave room above 32 MB. Next's
    // default of 1 MB refused a 10,000-node plan with a bare 413.
    serverActions: { bodySizeLimit: "48mb" },
    proxyClientMaxBodySize: "48mb",
  },
  typedRoutes: false,
  async headers() {
    return [{ source: "/:path*", headers: [...SECURITY_HEADERS] }];
  },
};

export default nextConfig;
