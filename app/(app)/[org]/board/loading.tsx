import { PageSkeleton } from "@/components/shell/page-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

/** The board's outline while its tasks load. */
export default function BoardLoading() {
  return (
    <PageSkeleton label="Loading the board…" className="flex gap-3 overflow-hidden p-4">
      {["a", "b", "c", "d", "e"].map((column) => (
        <div
          key={column}
          className="grid w-72 shrink-0 content-start gap-2 rounded-lg border bg-muted/40 p-2"
        >
          <Skeleton className="h-5 w-24" />
          <Skeleton className="h-20 w-full" />
          <Skeleton className="h-20 w-full" />
          <Skeleton className="h-20 w-full" />
        </div>
      ))}
    </PageSkeleton>
  );
}
