import { Network } from "lucide-react";

export function Logo({ compact = false }: { compact?: boolean }) {
  return (
    <span className="flex items-center gap-2 font-semibold tracking-tight">
      <span className="flex size-6 items-center justify-center rounded-md bg-primary text-primary-foreground">
        <Network className="size-3.5" aria-hidden="true" />
      </span>
      {compact ? null : <span>Trellis</span>}
    </span>
  );
}
