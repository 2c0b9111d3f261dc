"use client";

import type * as React from "react";
import { useId, useRef, useState } from "react";
import { cn } from "@/lib/utils/cn";

/**
 * The drawer's tabs, switched in the browser (arrow keys move between them). Not links as on
 * the task's page: Next.js does not intercept a navigation that changes only the query, so
 * `?tab=` would replace the board behind the drawer with the task's page.
 */
export function TaskTabs({
  label,
  tabs,
  initial,
}: {
  label: string;
  tabs: readonly { param: string; label: string; panel: React.ReactNode }[];
  initial: string;
}) {
  const [selected, setSelected] = useState(initial);
  const id = useId();
  const list = useRef<HTMLDivElement>(null);
  const select = (index: number) => {
    const tab = tabs[(index + tabs.length) % tabs.length];
    if (!tab) return;
    setSelected(tab.param);
    list.current?.querySelector<HTMLElement>(`[data-tab="${tab.param}"]`)?.focus();
  };
  const current = tabs.findIndex((t) => t.param === selected);
  return (
    <>
      <div
        ref={list}
        role="tablist"
        aria-label={label}
        className="flex gap-1 overflow-x-auto border-b"
        onKeyDown={(event) => {
          if (event.key === "ArrowRight") select(current + 1);
          else if (event.key === "ArrowLeft") select(current - 1);
          else return;
          event.preventDefault();
        }}
      >
        {tabs.map((t) => (
          <button
            key={t.param}
            type="button"
            role="tab"
            data-tab={t.param}
            id={`${id}-${t.param}`}
            aria-selected={t.param === selected}
            aria-controls={`${id}-${t.param}-panel`}
            tabIndex={t.param === selected ? 0 : -1}
            onClick={() => setSelected(t.param)}
            className={cn(
              "-mb-px border-b-2 px-3 py-2 outline-none focus-visible:ring-2 focus-visible:ring-ring",
              t.param === selected
                ? "border-foreground font-medium"
                : "border-transparent text-muted-foreground hover:text-foreground",
            )}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tabs.map((t) =>
        t.param === selected ? (
          <div
            key={t.param}
            role="tabpanel"
            id={`${id}-${t.param}-panel`}
            aria-labelledby={`${id}-${t.param}`}
            className="grid gap-3"
          >
            {t.panel}
          </div>
        ) : null,
      )}
    </>
  );
}
