import type * as React from "react";
import { cn } from "@/lib/utils/cn";
import { MobileNavButton } from "./mobile-nav";

/**
 * A view's outline while the server renders it (the route's loading.tsx): an empty top bar,
 * `children` shaped like the view, and `label` for screen readers ("Loading the board…").
 */
export function PageSkeleton({
  label,
  className,
  children,
}: {
  label: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <main aria-busy="true" data-fill-viewport className="flex min-h-0 flex-1 flex-col">
      <div className="flex h-12 shrink-0 items-center border-b px-4">
        <MobileNavButton />
      </div>
      <p role="status" className="sr-only">
        {label}
      </p>
      <div className={cn("min-h-0 flex-1 p-4 md:p-6", className)}>{children}</div>
    </main>
  );
}
