import type * as React from "react";
import { IntentLink } from "@/components/ui/intent-link";
import { Kbd } from "@/components/ui/kbd";

export interface Crumb {
  label: string;
  href?: string;
}

/** Top bar of a page: breadcrumb, the palette hint, and the page's actions on the right. */
export function PageHeader({ crumbs, actions }: { crumbs: Crumb[]; actions?: React.ReactNode }) {
  return (
    <header className="sticky top-0 z-10 flex h-12 items-center gap-3 border-b bg-background/95 px-4 backdrop-blur">
      <nav aria-label="Breadcrumb" className="min-w-0">
        <ol className="flex items-center gap-1.5 text-sm">
          {crumbs.map((crumb, i) => {
            const last = i === crumbs.length - 1;
            return (
              <li key={crumb.href ?? crumb.label} className="flex min-w-0 items-center gap-1.5">
                {i > 0 ? (
                  <span aria-hidden="true" className="text-muted-foreground">
                    /
                  </span>
                ) : null}
                {crumb.href && !last ? (
                  <IntentLink
                    href={crumb.href}
                    className="truncate text-muted-foreground hover:text-foreground"
                  >
                    {crumb.label}
                  </IntentLink>
                ) : (
                  <span aria-current={last ? "page" : undefined} className="truncate font-medium">
                    {crumb.label}
                  </span>
                )}
              </li>
            );
          })}
        </ol>
      </nav>
      <div className="ml-auto flex items-center gap-2">
        {actions}
        <span className="hidden items-center gap-1 text-muted-foreground text-xs md:flex">
          <Kbd>⌘K</Kbd>
          <span className="sr-only">or</span>
          <Kbd>Ctrl K</Kbd>
        </span>
      </div>
    </header>
  );
}
