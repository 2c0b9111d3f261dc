import { PageSkeleton } from "@/components/shell/page-skeleton";
import { Skeleton } from "@/components/ui/skeleton";

/** The costs page's outline while usage is summed. */
export default function CostsLoading() {
  return (
    <PageSkeleton label="Loading costs…" className="grid content-start gap-6">
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        {["cost", "input", "output", "calls"].map((total) => (
          <Skeleton key={total} className="h-16" />
        ))}
      </div>
      <div className="grid gap-6 xl:grid-cols-2">
        <Skeleton className="h-64" />
        <Skeleton className="h-64" />
      </div>
    </PageSkeleton>
  );
}
