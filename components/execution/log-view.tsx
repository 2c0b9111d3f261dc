"use client";

import { useEffect, useRef, useState } from "react";
import { cn } from "@/lib/utils/cn";

interface Line {
  seq: number;
  stream: string;
  text: string;
}

const streamClass: Record<string, string> = {
  STDERR: "text-status-failed",
  SYSTEM: "text-muted-foreground",
  AGENT: "text-status-running",
  STDOUT: "",
};

/** A run's log in monospace; follows new lines until the reader scrolls up, and again at the bottom. */
export function LogView({
  lines,
  className,
  label = "Run log",
}: {
  lines: Line[];
  className?: string;
  label?: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);

  useEffect(() => {
    if (follow && box.current && lines.length) box.current.scrollTop = box.current.scrollHeight;
  }, [lines, follow]);

  if (lines.length === 0) return <p className="text-muted-foreground text-sm">No log yet.</p>;
  return (
    <div
      ref={box}
      role="log"
      aria-label={label}
      // A scrollable region must take focus so keyboard users can scroll it (axe: scrollable-region-focusable).
      // biome-ignore lint/a11y/noNoninteractiveTabindex: see above
      tabIndex={0}
      onScroll={(e) => {
        const el = e.currentTarget;
        setFollow(el.scrollHeight - el.scrollTop - el.clientHeight < 24);
      }}
      className={cn(
        "h-[60vh] overflow-auto rounded-lg border bg-muted/40 p-3 font-mono text-xs leading-5",
        className,
      )}
    >
      {lines.map((line) => (
        <div
          key={line.seq}
          className={cn("whitespace-pre-wrap break-all", streamClass[line.stream])}
        >
          {line.text}
        </div>
      ))}
    </div>
  );
}
