/*
 * The little Markdown structure the spec files need: lines with their 1-based
 * numbers, headings outside code fences, and sections split at one heading
 * level. Everything else is kept as text, verbatim.
 */

export interface MarkdownLine {
  /** 1-based line number in the file, for error messages. */
  number: number;
  text: string;
  /** True inside a fenced code block (fence lines included), where "#" is not a heading. */
  inFence: boolean;
  /** Set on the fence lines themselves. */
  fence?: "open" | "close";
}

export interface MarkdownSection {
  heading: string;
  /** Line number of the heading. */
  line: number;
  body: MarkdownLine[];
}

/** A problem in one file, at a 1-based line. */
export interface LineError {
  line: number;
  message: string;
}

export function toLines(source: string): MarkdownLine[] {
  const lines: MarkdownLine[] = [];
  let fence: { char: string; length: number } | null = null;
  source.split(/\r?\n/).forEach((text, index) => {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(text)?.[1];
    if (fence === null && marker) {
      fence = { char: marker[0]!, length: marker.length };
      lines.push({ number: index + 1, text, inFence: true, fence: "open" });
      return;
    }
    if (fence !== null) {
      const closes =
        marker !== undefined &&
        marker[0] === fence.char &&
        marker.length >= fence.length &&
        text.trim() === marker;
      lines.push({
        number: index + 1,
        text,
        inFence: true,
        ...(closes ? { fence: "close" as const } : {}),
      });
      if (closes) fence = null;
      return;
    }
    lines.push({ number: index + 1, text, inFence: false });
  });
  return lines;
}

/** The heading text when the line is an ATX heading of exactly `level` (closing #s dropped). */
export function headingAt(line: MarkdownLine, level: number): string | null {
  if (line.inFence) return null;
  const match = new RegExp(`^#{${level}}(?:\\s+(.*?))?\\s*$`).exec(line.text);
  if (!match) return null;
  return (match[1] ?? "").replace(/\s+#+$/, "").trim();
}

/** Splits at headings of `level`; lines before the first such heading are the preamble. */
export function splitSections(
  lines: readonly MarkdownLine[],
  level: number,
): { preamble: MarkdownLine[]; sections: MarkdownSection[] } {
  const preamble: MarkdownLine[] = [];
  const sections: MarkdownSection[] = [];
  for (const line of lines) {
    const heading = headingAt(line, level);
    if (heading !== null) sections.push({ heading, line: line.number, body: [] });
    else (sections[sections.length - 1]?.body ?? preamble).push(line);
  }
  return { preamble, sections };
}

export function isBlank(line: MarkdownLine): boolean {
  return line.text.trim() === "";
}

/** The lines as text, without leading and trailing blank lines. */
export function bodyText(lines: readonly MarkdownLine[]): string {
  let start = 0;
  let end = lines.length;
  while (start < end && isBlank(lines[start]!)) start++;
  while (end > start && isBlank(lines[end - 1]!)) end--;
  return lines
    .slice(start, end)
    .map((line) => line.text)
    .join("\n");
}

/** The first line that is not blank, if any. */
export function firstContentLine(lines: readonly MarkdownLine[]): MarkdownLine | undefined {
  return lines.find((line) => !isBlank(line));
}

/** Trims blank lines around a multi-line field so export and import agree on it. */
export function trimBlankLines(text: string): string {
  if (text.trim() === "") return "";
  return text.replace(/^(?:[ \t]*\r?\n)+/, "").replace(/(?:\r?\n[ \t]*)+$/, "");
}

/** Single-line fields (titles, criteria) are written on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** A section heading compared loosely: case, spacing and trailing colons do not matter. */
export function normalizeHeading(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[:.]+$/, "")
    .replace(/\s+/g, " ")
    .trim();
}
