import type * as React from "react";
import { cn } from "@/lib/utils/cn";

/** A keyboard hint: `<Kbd>⌘K</Kbd>`, `<Kbd>G</Kbd> <Kbd>B</Kbd>`. */
export function Kbd({ className, ...props }: React.ComponentProps<"kbd">) {
  return (
    <kbd
      data-slot="kbd"
      className={cn(
        "pointer-events-none inline-flex h-5 min-w-5 select-none items-center justify-center gap-0.5 rounded border border-border bg-muted px-1 font-medium font-mono text-[0.6875rem] text-muted-foreground leading-none",
        className,
      )}
      {...props}
    />
  );
}

export function KbdGroup({ className, ...props }: React.ComponentProps<"span">) {
  return (
    <span
      data-slot="kbd-group"
      className={cn("inline-flex items-center gap-1", className)}
      {...props}
    />
  );
}
