"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const TABS = [
  { href: "/settings/members", label: "Members" },
  { href: "/settings/workspaces", label: "Workspaces" },
  { href: "/settings/tokens", label: "API tokens" },
  { href: "/settings/teams", label: "Teams" },
  { href: "/settings/workers", label: "Workers" },
  { href: "/settings/instance", label: "Instance" },
] as const;

export function SettingsTabs() {
  const pathname = usePathname();
  return (
    <nav aria-label="Settings" className="settings-tabs">
      {TABS.map((tab) => (
        <Link key={tab.href} href={tab.href} className="settings-tab" aria-current={pathname.startsWith(tab.href) ? "page" : undefined}>
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
