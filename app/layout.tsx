import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AppNavigation } from "./_components/app-navigation";
import { AccountMenu } from "./settings/account-menu";
import { Providers } from "./_components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Batchboard", template: "%s · Batchboard" },
  description: "Draw plans of file operations and commands; run them in parallel batches; retry failures on the graph.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <div className="shell">
          <aside className="sidebar">
            <div className="brand">
              <span className="brand-mark" aria-hidden />
              Batchboard
            </div>
            <AppNavigation />
            <div className="sidebar-foot">
              <AccountMenu />
            </div>
          </aside>
          <main className="main">
            <Providers>{children}</Providers>
          </main>
        </div>
      </body>
    </html>
  );
}
