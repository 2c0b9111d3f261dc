import type * as React from "react";
import { cn } from "@/lib/utils/cn";

/**
 * A loading placeholder. Decorative: mark the surrounding region with
 * `aria-busy` and give it a text alternative ("Loading tasks…").
 */
export function Skeleton({ className, ...props }: React.ComponentProps<"div">) {
  return (
    <div
      data-slot="skeleton"
      aria-hidden="true"
      className={cn("animate-pulse rounded-md bg-muted motion-reduce:animate-none", className)}
      {...props}
    />
  );
}
