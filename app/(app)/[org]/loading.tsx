import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div className="flex flex-col" role="status" aria-busy="true" aria-label="Loading">
      <div className="flex h-12 items-center border-b px-4">
        <Skeleton className="h-4 w-48" />
      </div>
      <div className="grid gap-2 p-6">
        {["a", "b", "c", "d", "e"].map((k) => (
          <Skeleton key={k} className="h-10 w-full" />
        ))}
      </div>
    </div>
  );
}
