import {
  type DesignComponent,
  type DesignContent,
  type DesignDiagram,
  mermaidDiagramKind,
} from "../artifact-schemas";
import { requirementIdOf } from "../requirement-refs";
import {
  bodyText,
  headingAt,
  isBlank,
  type LineError,
  type MarkdownLine,
  normalizeHeading,
  splitSections,
  toLines,
  trimBlankLines,
} from "./markdown-blocks";
import type { ParseResult } from "./parse-requirements-markdown";
import {
  labelledLine,
  parseRequirementRefs,
  type RequirementScope,
  referenceProblem,
} from "./reference-lines";

type KnownSection =
  | "overview"
  | "architecture"
  | "components"
  | "dataModels"
  | "apiChanges"
  | "errorHandling"
  | "testingStrategy"
  | "risks";

const sectionNames: Record<string, KnownSection> = {
  overview: "overview",
  architecture: "architecture",
  "components and interfaces": "components",
  components: "components",
  "data models": "dataModels",
  "data model": "dataModels",
  "api changes": "apiChanges",
  api: "apiChanges",
  "api design": "apiChanges",
  "error handling": "errorHandling",
  "testing strategy": "testingStrategy",
  testing: "testingStrategy",
  risks: "risks",
  "risks and mitigations": "risks",
};

const mermaidOpen = /^\s{0,3}(?:`{3,}|~{3,})\s*mermaid\s*$/i;
const riskBullet =
  /^[-*+]\s+(?:\*\*Risk:?\*\*:?\s*)?(.*?)(?:\s+[—–-]{1,2}\s+\*\*Mitigation:?\*\*:?\s*(.*))?$/i;

interface RefLine {
  ids: string[];
  line: number;
}

/**
 * Reads design.md: the known sections (Overview, Architecture, Components and
 * Interfaces, Data Models, API Changes, Error Handling, Testing Strategy,
 * Risks; missing ones are empty) and keeps the rest as extra sections.
 * Diagrams are the ```mermaid blocks of Architecture, titled by the heading
 * just above them; a file with none there (as Kiro often writes) takes copies
 * of the Mermaid blocks found in other sections.
 */
export function parseDesignMarkdown(
  source: string,
  scope: RequirementScope,
): ParseResult<DesignContent> {
  const errors: LineError[] = [];
  const { preamble, sections } = splitSections(toLines(source), 2);
  const found = new Map<KnownSection, { heading: string; line: number; body: MarkdownLine[] }>();
  const extraSections: { heading: string; body: string }[] = [];

  for (const section of sections) {
    const known = sectionNames[normalizeHeading(section.heading)];
    if (!known) {
      extraSections.push({ heading: section.heading, body: bodyText(section.body) });
    } else if (found.has(known)) {
      errors.push({
        line: section.line,
        message: `Second "## ${section.heading}" section (the first is on line ${found.get(known)!.line})`,
      });
    } else found.set(known, section);
  }
  const text = (key: KnownSection) => bodyText(found.get(key)?.body ?? []);

  const leading = preamble.filter((line) => headingAt(line, 1) === null);
  const overviewLines = [...leading, ...(found.get("overview")?.body ?? [])];
  const overviewRefs = takeRefLine(overviewLines, errors);
  const { kept: architectureLines, diagrams } = extractDiagrams(
    found.get("architecture")?.body ?? [],
    "Architecture",
  );
  if (diagrams.length === 0) {
    for (const [key, section] of found) {
      if (key !== "architecture")
        diagrams.push(...extractDiagrams(section.body, section.heading).diagrams);
    }
  }
  if (diagrams.length === 0) {
    errors.push({
      line: found.get("architecture")?.line ?? 1,
      message: 'No Mermaid diagram: add a "```mermaid" block under "## Architecture"',
    });
  }

  const components = parseComponents(found.get("components"), scope, errors);
  const risks = parseRisks(found.get("risks")?.body ?? [], errors);

  let requirementIds: string[];
  if (overviewRefs.line) {
    requirementIds = overviewRefs.line.ids;
    const problem =
      requirementIds.find((id) => id.includes(".")) !== undefined
        ? "The design's requirements are whole requirements (1, 2), not criteria"
        : referenceProblem(requirementIds, scope);
    if (problem) errors.push({ line: overviewRefs.line.line, message: capitalize(problem) });
  } else {
    // Kiro designs do not say which requirements they serve: all of them.
    requirementIds = scope.kind === "known" ? [...scope.requirementIds] : [];
    if (requirementIds.length === 0) {
      requirementIds = [
        ...new Set(components.flatMap((c) => c.requirementIds.map(requirementIdOf))),
      ];
    }
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    content: {
      overview: bodyText(overviewRefs.kept),
      architecture: bodyText(architectureLines),
      components,
      dataModels: text("dataModels"),
      apiChanges: text("apiChanges"),
      diagrams,
      errorHandling: text("errorHandling"),
      testingStrategy: text("testingStrategy"),
      risks,
      requirementIds,
      ...(extraSections.length > 0 ? { extraSections } : {}),
    },
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Removes the last "_Requirements: …_" line from the lines and parses it. */
function takeRefLine(
  lines: MarkdownLine[],
  errors: LineError[],
): { kept: MarkdownLine[]; line: RefLine | null } {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (line.inFence) continue;
    const labelled = labelledLine(line.text, ["Requirements"]);
    if (!labelled?.emphasized) continue;
    const { ids, invalid } = parseRequirementRefs(labelled.value);
    if (invalid.length > 0) {
      errors.push({
        line: line.number,
        message: `Not a requirement number: ${invalid.map((t) => `"${t}"`).join(", ")} (write "1" or "1.2")`,
      });
    }
    return {
      kept: [...lines.slice(0, i), ...lines.slice(i + 1)],
      line: { ids, line: line.number },
    };
  }
  return { kept: lines, line: null };
}

/** Pulls ```mermaid blocks out of the lines, each with the heading right above it as its title. */
function extractDiagrams(
  lines: readonly MarkdownLine[],
  section: string,
): { kept: MarkdownLine[]; diagrams: DesignDiagram[] } {
  const kept: MarkdownLine[] = [];
  const diagrams: DesignDiagram[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.fence !== "open" || !mermaidOpen.test(line.text)) {
      kept.push(line);
      continue;
    }
    const body: string[] = [];
    while (i + 1 < lines.length && lines[i + 1]!.inFence && lines[i + 1]!.fence !== "open") {
      i++;
      if (lines[i]!.fence === "close") break;
      body.push(lines[i]!.text);
    }

    let title = "";
    let end = kept.length;
    while (end > 0 && isBlank(kept[end - 1]!)) end--;
    const above = kept[end - 1];
    const heading = above && !above.inFence ? /^#{3,6}\s+(.*?)\s*#*\s*$/.exec(above.text) : null;
    if (heading) {
      title = heading[1]!;
      kept.length = end - 1;
    }
    const mermaid = trimBlankLines(body.join("\n")).trimEnd();
    diagrams.push({
      title: title || `${section} diagram${diagrams.length > 0 ? ` ${diagrams.length + 1}` : ""}`,
      kind: mermaidDiagramKind(mermaid),
      mermaid,
    });
  }
  return { kept, diagrams };
}

function parseComponents(
  section: { line: number; body: MarkdownLine[] } | undefined,
  scope: RequirementScope,
  errors: LineError[],
): DesignComponent[] {
  if (!section) return [];
  const { preamble, sections } = splitSections(section.body, 3);
  const stray = preamble.find((line) => !isBlank(line));
  if (stray) {
    errors.push({
      line: stray.number,
      message: 'Text before the first component: put each component under a "### Name" heading',
    });
  }
  return sections.map((component) => {
    const { kept, line } = takeRefLine(component.body, errors);
    const requirementIds = line?.ids ?? [];
    const problem = line ? referenceProblem(requirementIds, scope) : null;
    if (problem && line) {
      errors.push({ line: line.line, message: `Component "${component.heading}" ${problem}` });
    }
    return { name: component.heading, responsibility: bodyText(kept), requirementIds };
  });
}

function parseRisks(lines: readonly MarkdownLine[], errors: LineError[]): DesignContent["risks"] {
  const risks: DesignContent["risks"] = [];
  for (const line of lines) {
    if (isBlank(line)) continue;
    const match = riskBullet.exec(line.text.trim());
    if (!match || /^\s/.test(line.text) || !match[1]) {
      errors.push({
        line: line.number,
        message: 'Expected a risk bullet: "- **Risk:** … — **Mitigation:** …"',
      });
      continue;
    }
    risks.push({ risk: match[1].trim(), mitigation: (match[2] ?? "").trim() });
  }
  return risks;
}
