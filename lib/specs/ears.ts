import type { RequirementsContent } from "./artifact-schemas";

/*
 * EARS (Easy Approach to Requirements Syntax) for one sentence:
 *   ubiquitous      The <system> shall <response>
 *   event-driven    When <trigger>, the <system> shall <response>
 *   state-driven    While <state>, the <system> shall <response>
 *   unwanted        If <condition>, then the <system> shall <response>
 *   optional        Where <feature>, the <system> shall <response>
 *   complex         a combination, e.g. While <state>, when <trigger>, the <system> shall ...
 * Keywords are case-insensitive; Kiro's "WHEN ... THEN THE SYSTEM SHALL ..." is
 * accepted, so is leaving out the comma before the system name.
 *
 * Text in double quotes or backticks is a literal (a message, a label, a
 * command) and is ignored, so a quoted "etc." or "shall" raises nothing.
 */

export const earsPatterns = [
  "UBIQUITOUS",
  "EVENT_DRIVEN",
  "STATE_DRIVEN",
  "UNWANTED",
  "OPTIONAL",
  "COMPLEX",
] as const;
export type EarsPattern = (typeof earsPatterns)[number];

export interface EarsLintResult {
  /** The EARS pattern, or null when the sentence is not EARS-shaped. */
  pattern: EarsPattern | null;
  /** What to fix, in words a requirement's author can act on; empty when clean. */
  issues: string[];
}

export type EarsKeyword = "WHEN" | "WHILE" | "IF" | "THEN" | "WHERE" | "SHALL";

export interface EarsKeywordSpan {
  keyword: EarsKeyword;
  /** Offsets into the text, `end` exclusive, for `text.slice(start, end)`. */
  start: number;
  end: number;
}

type ClauseKeyword = "WHEN" | "WHILE" | "IF" | "WHERE";

const patternOfClause: Record<ClauseKeyword, EarsPattern> = {
  WHEN: "EVENT_DRIVEN",
  WHILE: "STATE_DRIVEN",
  IF: "UNWANTED",
  WHERE: "OPTIONAL",
};

/** Openers people use instead of an EARS keyword, with the keyword to use. */
const nonEarsOpeners: [RegExp, string][] = [
  [/^(?:whenever|once|after|upon|on|as soon as|before)\b/i, "When"],
  [/^(?:during|as long as|until)\b/i, "While"],
  [/^(?:unless|in case|in the event)\b/i, "If"],
];

const vagueTerms: { pattern: RegExp; term: string; advice: string }[] = [
  ...[
    "quickly",
    "rapidly",
    "fast",
    "slow",
    "timely",
    "soon",
    "user-friendly",
    "user friendly",
    "easy",
    "easily",
    "intuitive",
    "intuitively",
    "simple",
    "seamless",
    "seamlessly",
    "robust",
    "flexible",
    "efficient",
    "efficiently",
    "adequate",
    "adequately",
    "appropriate",
    "appropriately",
    "sufficient",
    "reasonable",
    "reasonably",
    "optimal",
    "optimally",
    "minimal",
    "various",
    "normally",
    "typically",
    "usually",
    "as needed",
    "as necessary",
    "if possible",
    "where possible",
    "when possible",
  ].map((term) => ({
    // "fast-forward" and "slow-motion" are names, not judgements.
    pattern: new RegExp(`\\b${term.replace(" ", "\\s+")}\\b(?!-)`, "i"),
    term,
    advice: "state a measurable value or a concrete behaviour",
  })),
  { pattern: /\betc\b\.?/i, term: "etc.", advice: "list every case" },
  {
    pattern: /\band\s*\/\s*or\b/i,
    term: "and/or",
    advice: 'choose "and" or "or", or split the criterion',
  },
];

const irregularParticiples = new Set([
  "sent",
  "shown",
  "built",
  "kept",
  "made",
  "done",
  "set",
  "put",
  "run",
  "written",
  "given",
  "taken",
  "held",
  "read",
  "found",
  "hidden",
  "known",
  "left",
  "lost",
  "paid",
  "told",
  "thrown",
  "drawn",
  "chosen",
  "sold",
  "seen",
  "split",
  "cut",
  "shut",
  "spent",
  "begun",
  "broken",
  "frozen",
  "driven",
  "forbidden",
  "overridden",
  "rebuilt",
  "reset",
  "rerun",
  "rewritten",
]);

/** Masks quoted and backticked text (same length) so literals never look like keywords. */
function maskLiterals(text: string): string {
  return text.replace(/"[^"\n]*"|“[^”\n]*”|`[^`\n]*`/g, (literal) =>
    literal.length <= 2
      ? literal
      : `${literal[0]}${"_".repeat(literal.length - 2)}${literal[literal.length - 1]}`,
  );
}

interface Clause {
  keyword: ClauseKeyword;
  start: number;
  end: number;
}

interface Analysis {
  masked: string;
  shalls: { start: number; end: number }[];
  /** "then" (or a comma) separating the preconditions from the system name. */
  boundary: { start: number; end: number; isThen: boolean } | null;
  condition: string;
  conditionStart: number;
  clauses: Clause[];
  subject: string;
  response: string;
}

function analyze(text: string): Analysis {
  const masked = maskLiterals(text);
  const shalls = [...masked.matchAll(/\bshall\b/gi)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
  }));
  const prefixEnd = shalls[0]?.start ?? masked.length;
  const prefix = masked.slice(0, prefixEnd);
  const leading = /^\s*/.exec(prefix)![0].length;
  const startsWithClause = /^(when|while|if|where)\b/i.test(prefix.slice(leading));

  // The system name follows the last comma or "then" before "shall".
  let boundary: Analysis["boundary"] = null;
  for (const m of prefix.matchAll(/,|\bthen\b/gi)) {
    boundary = { start: m.index, end: m.index + m[0].length, isThen: m[0] !== "," };
  }
  let subjectStart = leading;
  let conditionEnd = leading;
  if (boundary) {
    subjectStart = boundary.end;
    conditionEnd = boundary.start;
  } else if (startsWithClause) {
    // "WHILE offline THE SYSTEM SHALL ...": no separator, so the system is the last "the ..." phrase.
    const the = [...prefix.matchAll(/\bthe\b/gi)].filter((m) => m.index > leading).pop();
    subjectStart = the?.index ?? prefixEnd;
    conditionEnd = subjectStart;
  }

  let condition = prefix.slice(leading, conditionEnd).replace(/[\s,]+$/, "");
  let conditionStart = leading;
  if (boundary && !boundary.isThen && !startsWithClause && !startsWithNonEarsOpener(condition)) {
    // "The system, on every request, shall log": a comma inside a ubiquitous sentence.
    condition = "";
    conditionStart = leading;
    subjectStart = leading;
  }

  const clauses: Clause[] = [];
  if (condition) {
    for (const m of condition.matchAll(/(^|,\s*|\s)(when|while|if|where)\b/gi)) {
      const word = m[2]!;
      const start = conditionStart + m.index + m[1]!.length;
      const atClauseStart = m.index === 0 || m[1]!.startsWith(",");
      // Mid-sentence keywords count when written in capitals, as Kiro does ("WHILE x WHEN y").
      if (atClauseStart || word === word.toUpperCase()) {
        clauses.push({
          keyword: word.toUpperCase() as ClauseKeyword,
          start,
          end: start + word.length,
        });
      }
    }
  }

  return {
    masked,
    shalls,
    boundary: boundary && subjectStart === boundary.end ? boundary : null,
    condition,
    conditionStart,
    clauses,
    subject: prefix.slice(subjectStart).trim(),
    response: shalls[0] ? masked.slice(shalls[0].end).trim() : "",
  };
}

function startsWithNonEarsOpener(condition: string): boolean {
  return nonEarsOpeners.some(([pattern]) => pattern.test(condition));
}

function isPassiveParticiple(word: string): boolean {
  const lower = word.toLowerCase();
  return (lower.endsWith("ed") && lower.length > 3) || irregularParticiples.has(lower);
}

/** Classifies one sentence as an EARS pattern and lists what keeps it from being a good requirement. */
export function lintEars(sentence: string): EarsLintResult {
  const issues: string[] = [];
  const text = sentence.trim();
  if (!text) return { pattern: null, issues: ["Empty criterion"] };
  const analysis = analyze(text);
  let pattern: EarsPattern | null = null;

  if (analysis.shalls.length === 0) {
    const modal = /\b(should|must|will)\b/i.exec(analysis.masked)?.[1];
    issues.push(
      modal
        ? `Use "shall" instead of "${modal.toLowerCase()}"`
        : 'No "shall": write "… the <system> shall <response>"',
    );
  } else {
    if (analysis.shalls.length > 1) {
      issues.push(
        `Compound requirement: ${analysis.shalls.length} "shall"s; split it into one criterion per "shall"`,
      );
    }
    pattern = classify(analysis, issues);
    checkSubject(analysis.subject, issues);
    checkResponse(analysis.response, issues);
  }

  for (const { pattern: vague, term, advice } of vagueTerms) {
    if (vague.test(analysis.masked)) issues.push(`Vague term "${term}": ${advice}`);
  }
  return { pattern, issues };
}

function classify(analysis: Analysis, issues: string[]): EarsPattern | null {
  const { condition, clauses } = analysis;
  if (!condition) return "UBIQUITOUS";
  if (clauses.length === 0 || clauses[0]!.start !== analysis.conditionStart) {
    const opener = nonEarsOpeners.find(([pattern]) => pattern.test(condition));
    const first = condition.split(/\s+/)[0];
    issues.push(
      opener
        ? `Start the precondition with "${opener[1]}" instead of "${first}"`
        : `Unrecognized precondition "${condition}": start it with When, While, If or Where`,
    );
    return null;
  }
  for (const [i, clause] of clauses.entries()) {
    const next = clauses[i + 1]?.start ?? analysis.conditionStart + condition.length;
    const body = analysis.masked.slice(clause.end, next).replace(/[\s,]+/g, "");
    if (!body) issues.push(`Empty condition after "${clause.keyword}"`);
  }
  const kinds = new Set(clauses.map((clause) => clause.keyword));
  if (kinds.size > 1) return "COMPLEX";
  return patternOfClause[clauses[0]!.keyword];
}

function checkSubject(subject: string, issues: string[]): void {
  const words = subject.split(/\s+/).filter(Boolean);
  const last = words[words.length - 1]?.toLowerCase();
  if (!last) {
    issues.push('Missing system name before "shall" (e.g. "the system shall")');
  } else if (words.length === 1 && /^(it|they|this|we|you|he|she)$/.test(last)) {
    issues.push(`Name the system instead of "${words[0]}"`);
  } else if (/^(users?|customers?|operators?|administrators?|people)$/.test(last)) {
    issues.push(`Make the system the subject, not "${subject}": say what the system does`);
  }
}

function checkResponse(response: string, issues: string[]): void {
  const bare = response.replace(/[.!;:\s]+$/, "");
  if (!bare) {
    issues.push('Empty response after "shall"');
    return;
  }
  const passive = /^(?:not\s+)?be\s+([A-Za-z]+)/i.exec(bare);
  if (passive && isPassiveParticiple(passive[1]!)) {
    issues.push(
      `Passive response "${passive[0]}": say what the system does (e.g. "shall send …" rather than "shall be sent")`,
    );
  }
}

/** Where the EARS keywords are, for emphasis in the UI; literals in quotes are skipped. */
export function earsKeywordSpans(text: string): EarsKeywordSpan[] {
  const analysis = analyze(text);
  const spans: EarsKeywordSpan[] = [
    ...analysis.clauses.map(({ keyword, start, end }) => ({ keyword, start, end })),
    ...analysis.shalls.map(({ start, end }) => ({ keyword: "SHALL" as const, start, end })),
  ];
  if (analysis.boundary?.isThen) {
    spans.push({ keyword: "THEN", start: analysis.boundary.start, end: analysis.boundary.end });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** The linter's verdict on every acceptance criterion, keyed by criterion id. */
export function lintRequirements(
  content: RequirementsContent,
): Record<string, EarsLintResult & { requirementId: string }> {
  const results: Record<string, EarsLintResult & { requirementId: string }> = {};
  for (const requirement of content.requirements) {
    for (const criterion of requirement.acceptanceCriteria) {
      results[criterion.id] = { ...lintEars(criterion.text), requirementId: requirement.id };
    }
  }
  return results;
}
