import { PageSkeleton } from "@/components/shell/page-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

/** The agents page's outline while runners and running agents load. */
export default function AgentsLoading() {
  return (
    <PageSkeleton label="Loading agents…" className="grid content-start gap-3">
      <Skeleton className="h-5 w-24" />
      <Skeleton className="h-32 w-full" />
      <Skeleton className="mt-5 h-5 w-36" />
      <div className="grid gap-3 xl:grid-cols-2">
        <Skeleton className="h-40" />
        <Skeleton className="h-40" />
      </div>
    </PageSkeleton>
  );
}
