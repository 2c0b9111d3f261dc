import type * as React from "react";
import { cn } from "@/lib/utils/cn";

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
    <main aria-busy="true" className="flex h-dvh flex-col">
      <div className="h-12 shrink-0 border-b" />
      <p role="status" className="sr-only">
        {label}
      </p>
      <div className={cn("min-h-0 flex-1 p-6", className)}>{children}</div>
    </main>
  );
}
