import { PageSkeleton } from "@/components/shell/page-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

/** The graph's outline while the tasks and their layout load. */
export default function GraphLoading() {
  return (
    <PageSkeleton label="Loading the graph…" className="flex flex-col gap-3 p-4">
      <Skeleton className="h-5 w-80" />
      <Skeleton className="flex-1" />
    </PageSkeleton>
  );
}
