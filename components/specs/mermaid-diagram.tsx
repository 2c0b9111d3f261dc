"use client";

import { useTheme } from "next-themes";
import { useEffect, useId, useState } from "react";

/**
 * Draws a Mermaid diagram in the browser (the library is loaded on demand).
 * Until it is drawn, or if the source does not parse, the source is shown.
 */
export function MermaidDiagram({ source, title }: { source: string; title: string }) {
  const id = `mermaid-${useId().replace(/[^a-zA-Z0-9_-]/g, "")}`;
  const { resolvedTheme } = useTheme();
  const [svg, setSvg] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const mermaid = (await import("mermaid")).default;
        mermaid.initialize({
          startOnLoad: false,
          securityLevel: "strict",
          theme: resolvedTheme === "dark" ? "dark" : "neutral",
        });
        const result = await mermaid.render(id, source);
        if (!cancelled) {
          setSvg(result.svg);
          setError(null);
        }
      } catch (e) {
        if (!cancelled)
          setError(e instanceof Error ? e.message : "The diagram could not be drawn.");
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [id, source, resolvedTheme]);

  if (svg) {
    return (
      <div
        role="img"
        aria-label={title}
        data-diagram="rendered"
        className="overflow-x-auto [&_svg]:mx-auto [&_svg]:max-w-full"
        // Mermaid's own output in strict security mode (no scripts, sanitised labels).
        // biome-ignore lint/security/noDangerouslySetInnerHtml: SVG produced by mermaid.render with securityLevel strict
        dangerouslySetInnerHTML={{ __html: svg }}
      />
    );
  }
  return (
    <div className="grid gap-1">
      {error ? <p className="text-status-attention text-xs">Diagram not drawn: {error}</p> : null}
      <pre className="overflow-x-auto rounded bg-muted p-2 font-mono text-xs">{source}</pre>
    </div>
  );
}
