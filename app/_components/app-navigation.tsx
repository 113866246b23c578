"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

const LINKS = [
  { href: "/library", label: "Library", matches: ["/library", "/plans"] },
  { href: "/runs", label: "Runs", matches: ["/runs"] },
  { href: "/settings", label: "Settings", matches: ["/settings"] },
] as const;

export function AppNavigation() {
  const pathname = usePathname();
  return (
    <nav aria-label="Main">
      {LINKS.map((link) => (
        <Link
          key={link.href}
          href={link.href}
          className="nav-link"
          aria-current={link.matches.some((prefix) => pathname.startsWith(prefix)) ? "page" : undefined}
        >
          {link.label}
        </Link>
      ))}
    </nav>
  );
}
