import { cva, type VariantProps } from "class-variance-authority";
import type * as React from "react";
import { cn } from "@/lib/utils/cn";

export const badgeVariants = cva(
  "inline-flex w-fit shrink-0 items-center gap-1 whitespace-nowrap rounded-md border px-1.5 py-px font-medium text-xs leading-4 [&>svg]:pointer-events-none [&>svg]:size-3",
  {
    variants: {
      variant: {
        default: "border-transparent bg-primary text-primary-foreground",
        secondary: "border-transparent bg-secondary text-secondary-foreground",
        outline: "border-border text-foreground",
        muted: "border-transparent bg-muted text-muted-foreground",
        destructive: "border-destructive/25 bg-destructive/10 text-destructive",
        // Status colours: the same meaning everywhere (DESIGN.md).
        queued: "status-tint-queued",
        running: "status-tint-running",
        verifying: "status-tint-verifying",
        attention: "status-tint-attention",
        done: "status-tint-done",
        failed: "status-tint-failed",
        cancelled: "status-tint-cancelled line-through decoration-1",
        // Phases: quiet tags.
        initial: "phase-tint-initial",
        implementation: "phase-tint-implementation",
        integration: "phase-tint-integration",
        refactoring: "phase-tint-refactoring",
      },
    },
    defaultVariants: { variant: "secondary" },
  },
);

export type BadgeVariant = NonNullable<VariantProps<typeof badgeVariants>["variant"]>;

export type BadgeProps = React.ComponentProps<"span"> & VariantProps<typeof badgeVariants>;

export function Badge({ className, variant, ...props }: BadgeProps) {
  return (
    <span data-slot="badge" className={cn(badgeVariants({ variant }), className)} {...props} />
  );
}
