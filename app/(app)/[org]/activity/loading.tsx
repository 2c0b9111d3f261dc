import { PageSkeleton } from "@/components/shell/page-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

/** The timeline's outline while the latest events load. */
export default function ActivityLoading() {
  return (
    <PageSkeleton label="Loading activity…" className="grid max-w-4xl content-start gap-2">
      <Skeleton className="mb-3 h-7 w-96" />
      {["a", "b", "c", "d", "e", "f", "g", "h"].map((row) => (
        <Skeleton key={row} className="h-8 w-full" />
      ))}
    </PageSkeleton>
  );
}
