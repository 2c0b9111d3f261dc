import { cn } from "@/lib/utils/cn";

/** A unified diff split per file, additions and deletions coloured. */
export function DiffView({ diff }: { diff: string | null }) {
  if (!diff?.trim())
    return <p className="text-muted-foreground text-sm">No changes recorded yet.</p>;
  const files = diff.split(/^(?=diff --git )/m).filter((f) => f.trim());
  return (
    <div className="grid gap-3">
      {files.map((file) => {
        const header = file.match(/^diff --git a\/(\S+) b\/(\S+)/);
        const name = header?.[2] ?? "changes";
        return (
          <section key={name} aria-label={name} className="overflow-hidden rounded-lg border">
            <h3 className="border-b bg-muted/60 px-3 py-1.5 font-mono text-xs">{name}</h3>
            <pre className="overflow-x-auto p-0 font-mono text-xs leading-5">
              {file
                .split("\n")
                .filter((l) => !l.startsWith("diff --git") && !l.startsWith("index "))
                .map((line, i) => (
                  <div
                    // Lines of a diff have no identity of their own; position is the identity.
                    // biome-ignore lint/suspicious/noArrayIndexKey: static, never reordered
                    key={i}
                    className={cn(
                      "px-3",
                      line.startsWith("+") &&
                        !line.startsWith("+++") &&
                        "bg-status-done/10 text-status-done",
                      line.startsWith("-") &&
                        !line.startsWith("---") &&
                        "bg-status-failed/10 text-status-failed",
                      line.startsWith("@@") && "text-muted-foreground",
                    )}
                  >
                    {line || " "}
                  </div>
                ))}
            </pre>
          </section>
        );
      })}
    </div>
  );
}
