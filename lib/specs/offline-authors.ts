import { z } from "zod";
import {
  type DesignContent,
  designContentSchema,
  type Requirement,
  type RequirementsContent,
  requirementsContentSchema,
  type SpecTask,
  type TasksContent,
  tasksContentSchema,
  uncoveredRequirements,
} from "./artifact-schemas";
import { lintEars } from "./ears";
import { withIndefiniteArticle } from "./indefinite-article";
import {
  criterionIdFor,
  parseRequirementRef,
  requirementIdFromNumber,
  requirementIdOf,
} from "./requirement-refs";

/*
 * The deterministic authors behind the offline LLM provider: with no model
 * configured, Trellis still drafts every phase from the ticket so the whole
 * pipeline can be used, demoed and tested. Same input, same output: no
 * randomness, no clock. The drafts say once, in the introduction or overview,
 * that no model wrote them. Ticket text is quoted (as a literal) inside EARS
 * sentences, so the linter judges the sentence's structure, not the ticket's
 * wording.
 */

export const offlineNote = "Drafted by the offline provider (no model)";

const maxRequirements = 6;
const maxQuote = 140;

const ticketSchema = z.object({
  title: z
    .string()
    .catch("")
    .transform((title) => title.replace(/\s+/g, " ").trim() || "Untitled ticket"),
  description: z.string().catch(""),
  type: z.string().catch("FEATURE"),
  labels: z.array(z.string()).catch([]),
});

const contextSchema = z.object({
  ticket: ticketSchema.catch({
    title: "Untitled ticket",
    description: "",
    type: "FEATURE",
    labels: [],
  }),
  requirements: requirementsContentSchema.optional().catch(undefined),
  design: designContentSchema.optional().catch(undefined),
  feedback: z.string().optional().catch(undefined),
  previous: z.unknown().optional(),
});

type Ticket = z.infer<typeof ticketSchema>;
type Context = z.infer<typeof contextSchema>;

/** What the pipeline passes as the request `context`; anything malformed falls back to a default. */
export interface OfflineAuthorContext {
  ticket: { title: string; description: string; type: string; labels: string[] };
  /** The approved requirements (design and tasks phases). */
  requirements?: RequirementsContent;
  /** The approved design (tasks phase). */
  design?: DesignContent;
  /** What the reviewer asked to change; the new version must show it. */
  feedback?: string;
  /** The version being replaced. */
  previous?: unknown;
}

// ---------------------------------------------------------------- text helpers

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Ticket text made safe to quote: one line, no double quotes, bounded length. */
function quotable(text: string, max = maxQuote): string {
  const clean = oneLine(text.replace(/["“”]/g, "'")).replace(/[.!?;:,]+$/, "");
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  return `${cut.slice(0, cut.lastIndexOf(" ") > max / 2 ? cut.lastIndexOf(" ") : max)}…`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function slugOf(text: string): string {
  const slug = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .filter(Boolean)
    .slice(0, 4)
    .join("-");
  return slug || "feature";
}

function shortTitle(text: string, words = 7): string {
  const list = quotable(text).replace(/…$/, "").split(" ").filter(Boolean);
  const title = list.slice(0, words).join(" ") + (list.length > words ? "…" : "");
  return capitalize(title.replace(/^[^A-Za-z0-9]+/, "")) || "Ticket";
}

/**
 * The ticket's points: bullets and numbered items as they are, prose split into
 * sentences; code blocks, headings and fragments of fewer than two words dropped.
 */
export function ticketStatements(description: string): string[] {
  const items: string[] = [];
  let paragraph: string[] = [];
  let inFence = false;
  const flush = () => {
    const text = oneLine(paragraph.join(" "));
    paragraph = [];
    if (text) items.push(...text.split(/(?<=[.!?])\s+(?=["'`(\p{Lu}\d])/u));
  };
  for (const raw of description.split(/\r?\n/)) {
    const line = raw.trim();
    if (/^(```|~~~)/.test(line)) {
      inFence = !inFence;
      flush();
      continue;
    }
    if (inFence) continue;
    if (!line || /^#{1,6}\s/.test(line)) {
      flush();
      continue;
    }
    const bullet = /^(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.*)$/.exec(line);
    if (bullet) {
      flush();
      items.push(bullet[1]!);
    } else paragraph.push(line);
  }
  flush();

  const seen = new Set<string>();
  return items
    .map((item) => oneLine(item.replace(/[*_`]+/g, "")).replace(/[.!?;:,]+$/, ""))
    .filter((item) => item.split(" ").length >= 2)
    .filter((item) => {
      const key = item.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

const actorModal =
  /^(?:as an? [^,]+,\s*)?(?:(?:the|a|an|our|all)\s+)?(users?|customers?|admins?|administrators?|developers?|members?|people|we|i|they|leads?|engineers?)\s+(?:can|could|should|must|shall|will|may|need to|needs to|want to|wants to|would like to|are able to|is able to)\s+(.+)$/i;

const roleOfActor: Record<string, string> = {
  admin: "administrator",
  administrator: "administrator",
  customer: "customer",
  developer: "developer",
  member: "team member",
  lead: "project lead",
  engineer: "engineer",
};

const roleOfType: Record<string, string> = {
  FEATURE: "user",
  BUGFIX: "user",
  REFACTOR: "maintainer",
  TEST: "developer",
  DOCS: "reader",
  CHORE: "maintainer",
};

const benefitOfType: Record<string, (title: string) => string> = {
  FEATURE: (title) => `I get what the ticket "${title}" asks for`,
  BUGFIX: () => "the defect stops getting in my way",
  REFACTOR: () => "the code is easier to change without changing its behaviour",
  TEST: () => "regressions are caught before a release",
  DOCS: () => "I can rely on the documentation",
  CHORE: () => "the project stays healthy",
};

type StatementKind = "capability" | "rule" | "point";

/**
 * What a ticket statement asks for: a capability ("Users can export the board"
 * -> "export the board"), a rule ("Exports over 10k tasks must be refused"),
 * or a plain point of context.
 */
function readStatement(statement: string, ticket: Ticket) {
  const match = actorModal.exec(statement);
  const actor = match?.[1]?.toLowerCase().replace(/s$/, "") ?? "";
  const role = roleOfActor[actor] ?? roleOfType[ticket.type] ?? "user";
  const kind: StatementKind = match
    ? "capability"
    : /\b(?:must|should|shall|never|always|cannot|can't|only|not)\b/i.test(statement)
      ? "rule"
      : "point";
  return { role, kind, text: quotable(match ? match[2]! : statement) };
}

// ---------------------------------------------------------------- requirements

function criteriaFor(kind: StatementKind, text: string, role: string, ticket: Ticket): string[] {
  const quoted = `"${text}"`;
  const who = withIndefiniteArticle(role);
  if (ticket.type === "BUGFIX") {
    return [
      `When ${who} repeats the steps in ${quoted}, the system shall produce the expected result instead of the reported defect.`,
      `The system shall include a regression test that reproduces ${quoted}.`,
      `If the defect in ${quoted} occurs again, then the regression test suite shall fail with a message that names the defect.`,
    ];
  }
  if (kind === "rule") {
    return [
      `The system shall enforce the rule ${quoted}.`,
      `If a request breaks the rule ${quoted}, then the system shall refuse it with an error that names the rule.`,
      `The system shall cover the rule ${quoted} with an automated test.`,
    ];
  }
  if (kind === "capability") {
    return [
      `When ${who} requests ${quoted}, the system shall carry it out and show the result.`,
      `If ${quoted} cannot complete, then the system shall keep the previous state and show an error that names the cause.`,
      `The system shall cover ${quoted} with an automated test.`,
    ];
  }
  return [
    `The system shall support the ticket's point ${quoted}.`,
    `The system shall cover the ticket's point ${quoted} with an automated test.`,
  ];
}

function requirementFrom(number: number, statement: string, ticket: Ticket): Requirement {
  const id = requirementIdFromNumber(number);
  const { role, kind, text } = readStatement(statement, ticket);
  const words = text.split(" ").length;
  // Longer statements carry more behaviour, so they get more criteria (1 to 3).
  const count = words >= 10 ? 3 : words >= 5 ? 2 : 1;
  const benefit = (benefitOfType[ticket.type] ?? benefitOfType.FEATURE!)(
    quotable(ticket.title, 80),
  );
  const want = {
    capability: `to ${text}`,
    rule: `the rule "${text}" enforced`,
    point: `the ticket's point "${text}" covered`,
  }[kind];
  return {
    id,
    title: shortTitle(text),
    userStory: { role, want, benefit },
    acceptanceCriteria: criteriaFor(kind, text, role, ticket)
      .slice(0, count)
      .map((sentence, i) => ({ id: criterionIdFor(id, i + 1), text: sentence })),
  };
}

/** The ticket's description as a Markdown quote, bounded so a long ticket stays readable. */
function quotedDescription(description: string): string {
  const lines = description
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line, i, all) => line !== "" || (i > 0 && all[i - 1] !== ""));
  const kept = lines
    .slice(0, 20)
    .map((line) => (line.length > 200 ? `${line.slice(0, 200)}…` : line));
  if (lines.length > kept.length) kept.push("…");
  return kept.map((line) => (line ? `> ${line}` : ">")).join("\n");
}

function draftRequirements(ticket: Ticket): RequirementsContent {
  const statements = ticketStatements(ticket.description);
  const points = statements.length > 0 ? statements : [ticket.title];
  const kept = points.slice(0, maxRequirements);
  const introduction = [
    `${offlineNote} from the ticket "${quotable(ticket.title, 120)}".`,
    ticket.description.trim()
      ? `The ticket reads:\n\n${quotedDescription(ticket.description.trim())}`
      : "The ticket has no description, so its title is the only requirement.",
    points.length > kept.length
      ? `The description has ${points.length - kept.length} more points than the ${maxRequirements} drafted here; add them as requirements if they matter.`
      : "",
  ];
  return {
    introduction: introduction.filter(Boolean).join("\n\n"),
    requirements: kept.map((statement, i) => requirementFrom(i + 1, statement, ticket)),
  };
}

function nextRequirementNumber(content: RequirementsContent): number {
  return (
    Math.max(0, ...content.requirements.map((r) => parseRequirementRef(r.id)?.requirement ?? 0)) + 1
  );
}

function authorRequirementsFrom(context: Context): RequirementsContent {
  const previous = requirementsContentSchema.safeParse(context.previous);
  const feedback = quotable(context.feedback ?? "", 200);
  if (!feedback) return draftRequirements(context.ticket);

  // Revise the previous version (keeping a reviewer's edits) rather than start over.
  const base = previous.success ? previous.data : draftRequirements(context.ticket);
  const id = requirementIdFromNumber(nextRequirementNumber(base));
  const requirement: Requirement = {
    id,
    title: `Reviewer feedback: ${shortTitle(feedback, 6)}`,
    userStory: {
      role: "reviewer",
      want: `the spec to reflect "${feedback}"`,
      benefit: "the approved requirements match what the team asked for",
    },
    acceptanceCriteria: [
      {
        id: criterionIdFor(id, 1),
        text: `The system shall satisfy the reviewer feedback "${feedback}".`,
      },
    ],
  };
  return {
    ...base,
    introduction: `${base.introduction}\n\nRevised for reviewer feedback: "${feedback}" (see ${id}).`,
    requirements: [...base.requirements, requirement],
  };
}

// ---------------------------------------------------------------- design

function sequenceDiagram(ticket: Ticket): string {
  const action = quotable(ticket.title, 60)
    .replace(/[^A-Za-z0-9 .,'-]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return [
    "sequenceDiagram",
    "    actor User",
    "    participant UI as Web UI",
    "    participant API as Route handler",
    "    participant Domain as Domain module",
    "    participant DB as Postgres",
    `    User->>UI: Start ${action || "the change"}`,
    "    UI->>API: Send the request",
    "    API->>Domain: Parsed input",
    "    alt Invalid input",
    "        Domain-->>API: Validation error",
    "        API-->>UI: 400 with the reasons",
    "    else Valid input",
    "        Domain->>DB: Read and write rows",
    "        DB-->>Domain: Rows",
    "        Domain-->>API: Result",
    "        API-->>UI: 200 with the result",
    "    end",
    "    UI-->>User: Show the outcome",
  ].join("\n");
}

/** Criteria grouped by where they are enforced, going by their EARS pattern. */
function criteriaByLayer(requirements: RequirementsContent) {
  const ui: string[] = [];
  const api: string[] = [];
  for (const requirement of requirements.requirements) {
    for (const criterion of requirement.acceptanceCriteria) {
      const { pattern } = lintEars(criterion.text);
      if (pattern === "EVENT_DRIVEN" || pattern === "STATE_DRIVEN") ui.push(criterion.id);
      else if (pattern === "UNWANTED") api.push(criterion.id);
    }
  }
  return { ui, api };
}

function draftDesign(ticket: Ticket, requirements: RequirementsContent): DesignContent {
  const slug = slugOf(ticket.title);
  const title = quotable(ticket.title, 120);
  const ids = requirements.requirements.map((r) => r.id);
  const { ui, api } = criteriaByLayer(requirements);
  const listed = requirements.requirements.map((r) => `${r.id} (${r.title})`).join(", ");
  const isFeature = ticket.type === "FEATURE";
  return {
    overview: `${offlineNote}. "${title}": the change covers ${listed}.`,
    architecture: [
      "The change follows the app's layers. A route handler or server action at the edge authenticates,",
      `parses input with zod and calls one domain function in \`lib/${slug}/\`; the domain function reads`,
      "and writes through Prisma, scoped to the organization. The UI calls the edge and renders the result.",
    ].join("\n"),
    components: [
      {
        name: "Domain module",
        responsibility: `\`lib/${slug}/\`: the logic for "${title}", one main function per file, with its zod input schema.`,
        requirementIds: ids,
      },
      {
        name: "Route handler",
        responsibility:
          "Authenticates, parses input, calls the domain module and maps errors to HTTP statuses.",
        requirementIds: api,
      },
      {
        name: "Web UI",
        responsibility: `\`components/${slug}/\`: the controls and the result, with empty, loading and error states.`,
        requirementIds: ui,
      },
    ],
    dataModels:
      "No schema change is expected. If one turns out to be needed: a committed SQL migration and matching factories.",
    apiChanges: isFeature
      ? `- \`POST /api/v1/${slug}\`: runs the action; 200 with the result, 400 with field errors, 404 outside the organization.`
      : "No new endpoints; existing endpoints keep their contracts.",
    diagrams: [{ title: "Main flow", kind: "sequence", mermaid: sequenceDiagram(ticket) }],
    errorHandling: [
      "- Invalid input: 400 with the field errors, nothing written.",
      "- Rows of another organization: 404, never 403.",
      "- Unexpected failures: 500, logged with the request id; the previous state is kept.",
    ].join("\n"),
    testingStrategy: [
      `- Unit tests for the domain logic, one per acceptance criterion (${requirements.requirements
        .flatMap((r) => r.acceptanceCriteria.map((c) => c.id))
        .join(", ")}).`,
      "- An integration test of the route handler against Postgres.",
      "- An end-to-end test of the main journey in the browser.",
    ].join("\n"),
    risks: [
      {
        risk: "This draft is generic and may miss constraints specific to the codebase",
        mitigation:
          "Review it against the requirements before approving, or regenerate with a model",
      },
      {
        risk: "The change grows beyond the ticket",
        mitigation: `Keep every task traced to ${ids.join(", ")}`,
      },
    ],
    requirementIds: ids,
  };
}

/** Keeps a previous design's references in step with the current requirements. */
function syncDesign(design: DesignContent, requirements: RequirementsContent): DesignContent {
  const ids = requirements.requirements.map((r) => r.id);
  const criteria = new Set(
    requirements.requirements.flatMap((r) => r.acceptanceCriteria.map((c) => c.id)),
  );
  const known = (ref: string) => (ref.includes(".") ? criteria.has(ref) : ids.includes(ref));
  return {
    ...design,
    components: design.components.map((c) => ({
      ...c,
      requirementIds: c.requirementIds.filter(known),
    })),
    requirementIds: ids,
  };
}

function requirementsOf(context: Context): RequirementsContent {
  return context.requirements ?? draftRequirements(context.ticket);
}

function authorDesignFrom(context: Context): DesignContent {
  const requirements = requirementsOf(context);
  const feedback = quotable(context.feedback ?? "", 200);
  if (!feedback) return draftDesign(context.ticket, requirements);

  const previous = designContentSchema.safeParse(context.previous);
  const base = syncDesign(
    previous.success ? previous.data : draftDesign(context.ticket, requirements),
    requirements,
  );
  const heading = "Reviewer Feedback";
  const sections = base.extraSections ?? [];
  const existing = sections.find((s) => s.heading === heading);
  const extraSections = existing
    ? sections.map((s) => (s === existing ? { heading, body: `${s.body}\n- ${feedback}` } : s))
    : [...sections, { heading, body: `- ${feedback}` }];
  return {
    ...base,
    overview: `${base.overview}\n\nRevised for reviewer feedback: "${feedback}".`,
    extraSections,
  };
}

// ---------------------------------------------------------------- tasks

function chunk<T>(items: readonly T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Tasks cite the acceptance criteria they satisfy (tasks.md's "_Requirements: 1.1, 1.2_"). */
function criteriaOf(requirements: RequirementsContent["requirements"]): string[] {
  return requirements.flatMap((r) => r.acceptanceCriteria.map((c) => c.id));
}

function draftTasks(ticket: Ticket, requirements: RequirementsContent): TasksContent {
  const slug = slugOf(ticket.title);
  const title = quotable(ticket.title, 80);
  const isBugfix = ticket.type === "BUGFIX";
  const tasks: SpecTask[] = [
    {
      key: "1",
      title: isBugfix ? "Reproduce the defect with a failing test" : `Set up lib/${slug}`,
      description: isBugfix
        ? `Write a test that fails the way the ticket "${title}" describes.\nKeep it in the suite; it guards the fix.`
        : `Create lib/${slug}/ with the module skeleton and its zod input schema.\nAdd an empty test file so the suite runs.`,
      phase: "INITIAL",
      estimateMinutes: 30,
      files: isBugfix
        ? [`lib/${slug}/${slug}.test.ts`]
        : [`lib/${slug}/${slug}-schema.ts`, `lib/${slug}/${slug}.test.ts`],
      dependsOn: [],
      requirementIds: [],
    },
  ];

  const groups = chunk(requirements.requirements, 3);
  for (const group of groups) {
    const key = String(tasks.length + 1);
    tasks.push({
      key,
      title:
        group.length === 1
          ? `Implement ${group[0]!.title}`
          : `Implement ${group.map((r) => r.id).join(", ")}`,
      description: group
        .map(
          (r) => `${r.id} ${r.title}: satisfy ${r.acceptanceCriteria.map((c) => c.id).join(", ")}.`,
        )
        .join("\n"),
      phase: "IMPLEMENTATION",
      estimateMinutes: 30 + 15 * group.reduce((sum, r) => sum + r.acceptanceCriteria.length, 0),
      files: group
        .map((r) => `lib/${slug}/${slugOf(r.title)}.ts`)
        .filter((f, i, all) => all.indexOf(f) === i),
      dependsOn: ["1"],
      requirementIds: criteriaOf(group),
    });
  }

  const implementationKeys = tasks.slice(1).map((t) => t.key);
  const integrationKey = String(tasks.length + 1);
  tasks.push({
    key: integrationKey,
    title: `Wire ${title} into the route handler and the UI`,
    description:
      "Call the domain functions from the edge; render the result with empty, loading and error states.",
    phase: "INTEGRATION",
    estimateMinutes: 45,
    files: [`app/api/v1/${slug}/route.ts`, `components/${slug}/${slug}-panel.tsx`],
    dependsOn: implementationKeys,
    requirementIds: criteriaOf(requirements.requirements),
  });
  tasks.push({
    key: String(tasks.length + 1),
    title: "Cover every acceptance criterion with tests and tidy up",
    description:
      "Add an integration test per acceptance criterion.\nRemove duplication; run lint and typecheck.",
    phase: "REFACTORING",
    estimateMinutes: 30,
    files: [`lib/${slug}/${slug}.test.ts`],
    dependsOn: [integrationKey],
    requirementIds: criteriaOf(requirements.requirements),
  });
  return { tasks };
}

/** Keeps a previous task graph's requirement references in step with the current requirements. */
function syncTasks(content: TasksContent, requirements: RequirementsContent): TasksContent {
  const ids = new Set(requirements.requirements.map((r) => r.id));
  const criteria = new Set(
    requirements.requirements.flatMap((r) => r.acceptanceCriteria.map((c) => c.id)),
  );
  return {
    ...content,
    tasks: content.tasks.map((task) => ({
      ...task,
      requirementIds: task.requirementIds.filter((ref) =>
        ref.includes(".") ? criteria.has(ref) : ids.has(requirementIdOf(ref)),
      ),
    })),
  };
}

function authorTasksFrom(context: Context): TasksContent {
  const requirements = requirementsOf(context);
  const feedback = quotable(context.feedback ?? "", 200);
  if (!feedback) return draftTasks(context.ticket, requirements);

  const previous = tasksContentSchema.safeParse(context.previous);
  const base = syncTasks(
    previous.success ? previous.data : draftTasks(context.ticket, requirements),
    requirements,
  );
  const dependedOn = new Set(base.tasks.flatMap((t) => t.dependsOn));
  const uncovered = new Set(
    uncoveredRequirements(
      base,
      requirements.requirements.map((r) => r.id),
    ),
  );
  const topLevel = base.tasks.map((t) => Number(t.key.split(".")[0]));
  const task: SpecTask = {
    key: String(Math.max(0, ...topLevel) + 1),
    title: `Address review feedback: ${shortTitle(feedback, 6)}`,
    description: `The reviewer asked: "${feedback}"\nUpdate the affected code and its tests.`,
    phase: "IMPLEMENTATION",
    estimateMinutes: 30,
    files: [],
    // After everything else: the tasks nothing depends on yet.
    dependsOn: base.tasks.filter((t) => !dependedOn.has(t.key)).map((t) => t.key),
    requirementIds: criteriaOf(requirements.requirements.filter((r) => uncovered.has(r.id))),
  };
  return { ...base, tasks: [...base.tasks, task] };
}

// ---------------------------------------------------------------- entry points

/** Requirements drafted from the ticket, or the previous version revised for feedback. */
export function authorRequirements(
  context: OfflineAuthorContext | Record<string, unknown>,
): RequirementsContent {
  return authorRequirementsFrom(contextSchema.parse(context));
}

/** A design for the requirements (drafted from the ticket when none are given). */
export function authorDesign(
  context: OfflineAuthorContext | Record<string, unknown>,
): DesignContent {
  return authorDesignFrom(contextSchema.parse(context));
}

/** A small task graph: setup, implementation per requirement group, integration, tests. */
export function authorTasks(context: OfflineAuthorContext | Record<string, unknown>): TasksContent {
  return authorTasksFrom(contextSchema.parse(context));
}

/** The offline provider's authors, by request `purpose`. */
export const offlineAuthors: Record<
  "requirements" | "design" | "tasks",
  (context: Record<string, unknown>) => unknown
> = {
  requirements: authorRequirements,
  design: authorDesign,
  tasks: authorTasks,
};
