import type * as React from "react";
import { cn } from "@/lib/utils/cn";

export type EmptyStateProps = {
  /** An icon element, e.g. `<FolderGit2 />` (decorative; sized for you). */
  icon?: React.ReactNode;
  title: React.ReactNode;
  /** Teach the next step: "Connect a repository or point at a local one." */
  description?: React.ReactNode;
  /** The primary action (and maybe a secondary one), e.g. a `<Button>`. */
  action?: React.ReactNode;
  /** Heading level of the title (default 2). */
  headingLevel?: 2 | 3 | 4;
  className?: string;
};

export function EmptyState({
  icon,
  title,
  description,
  action,
  headingLevel = 2,
  className,
}: EmptyStateProps) {
  const Heading = `h${headingLevel}` as const;
  return (
    <div
      data-slot="empty-state"
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-lg border border-dashed px-6 py-12 text-center",
        className,
      )}
    >
      {icon ? (
        <div
          aria-hidden="true"
          className="flex size-10 items-center justify-center rounded-lg border bg-muted text-muted-foreground [&_svg]:size-5"
        >
          {icon}
        </div>
      ) : null}
      <div className="flex max-w-sm flex-col gap-1">
        <Heading className="font-medium text-sm">{title}</Heading>
        {description ? <p className="text-muted-foreground text-sm">{description}</p> : null}
      </div>
      {action ? <div className="mt-1 flex flex-wrap items-center gap-2">{action}</div> : null}
    </div>
  );
}
