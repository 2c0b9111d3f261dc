import { Fragment } from "react";
import { earsKeywordSpans } from "@/lib/specs/ears";

/** An EARS sentence with its keywords (WHEN, WHILE, IF, THEN, WHERE, SHALL) subtly emphasised. */
export function EarsSentence({ text }: { text: string }) {
  const spans = earsKeywordSpans(text).sort((a, b) => a.start - b.start);
  const parts: { text: string; keyword: boolean; at: number }[] = [];
  let at = 0;
  for (const span of spans) {
    if (span.start < at) continue;
    if (span.start > at) parts.push({ text: text.slice(at, span.start), keyword: false, at });
    parts.push({ text: text.slice(span.start, span.end), keyword: true, at: span.start });
    at = span.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), keyword: false, at });
  return (
    <span>
      {parts.map((p) =>
        p.keyword ? (
          <strong key={p.at} className="font-semibold text-foreground tracking-wide">
            {p.text.toUpperCase()}
          </strong>
        ) : (
          <Fragment key={p.at}>{p.text}</Fragment>
        ),
      )}
    </span>
  );
}
