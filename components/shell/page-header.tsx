import type * as React from "react";
import { IntentLink } from "@/components/ui/intent-link";
import { Kbd } from "@/components/ui/kbd";
import { cn } from "@/lib/utils/cn";
import { MobileNavButton } from "./mobile-nav";

export interface Crumb {
  label: string;
  href?: string;
}

/**
 * Top bar of a page: the menu button (phones), breadcrumb, the palette hint, and the page's
 * actions on the right. On phones the breadcrumb keeps its last two crumbs, and the actions
 * wrap below it rather than widen the page.
 */
export function PageHeader({ crumbs, actions }: { crumbs: Crumb[]; actions?: React.ReactNode }) {
  return (
    <header className="sticky top-0 z-10 flex min-h-12 flex-wrap items-center gap-x-3 gap-y-1 border-b bg-background/95 px-4 py-2 backdrop-blur md:h-12 md:flex-nowrap md:py-0">
      <MobileNavButton />
      <nav aria-label="Breadcrumb" className="min-w-0 flex-1 md:flex-initial">
        <ol className="flex items-center gap-1.5 text-sm">
          {crumbs.map((crumb, i) => {
            const last = i === crumbs.length - 1;
            return (
              <li
                key={crumb.href ?? crumb.label}
                className={cn(
                  "flex min-w-0 items-center gap-1.5",
                  i < crumbs.length - 2 && "max-md:hidden",
                  // On phones the page's own crumb keeps most of the room.
                  !last && "max-md:max-w-32 max-md:shrink-0",
                )}
              >
                {i > 0 ? (
                  <span
                    aria-hidden="true"
                    className={cn(
                      "text-muted-foreground",
                      i === crumbs.length - 2 && "max-md:hidden",
                    )}
                  >
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
      <div className="ml-auto flex max-w-full flex-wrap items-center justify-end gap-2">
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
