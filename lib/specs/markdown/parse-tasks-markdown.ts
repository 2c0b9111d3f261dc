import { findCycle } from "@/lib/tasks/graph";
import { type SpecTask, type TasksContent, taskPhases } from "../artifact-schemas";
import { implicitDependencies } from "./export-spec-markdown";
import {
  bodyText,
  headingAt,
  isBlank,
  type LineError,
  splitSections,
  toLines,
} from "./markdown-blocks";
import type { ParseResult } from "./parse-requirements-markdown";
import {
  labelledLine,
  parseRequirementRefs,
  parseTaskKeys,
  type RequirementScope,
  referenceProblem,
} from "./reference-lines";

/** Kiro's tasks carry no phase or estimate; these stand in until someone edits them. */
export const importedTaskDefaults = { phase: "IMPLEMENTATION", estimateMinutes: 30 } as const;

// "- [ ] 1. Title", "- [x] 2.1 Title", and Kiro's optional "- [ ]* 3.2 Title".
const taskLine = /^(\s*)[-*+]\s+\[([ xX])\]\*?\s+(\d+(?:\.\d+)*)\.?\s+(\S.*?)\s*$/;
const detailLine = /^(\s+)(?:[-*+]\s+)?(.*?)\s*$/;

interface ParsedTask {
  task: SpecTask;
  line: number;
  indent: number;
  dependsOnLine: number | null;
}

/**
 * Reads tasks.md: a checkbox list before any "##" section (later "##" sections
 * are kept as extra sections). Dependencies follow the rule described in
 * export-spec-markdown.ts: no "_Depends on:_" line means "the task above".
 */
export function parseTasksMarkdown(
  source: string,
  scope: RequirementScope,
): ParseResult<TasksContent> {
  const errors: LineError[] = [];
  const { preamble, sections } = splitSections(toLines(source), 2);
  const parsed: ParsedTask[] = [];
  const keyLines = new Map<string, number>();

  for (const line of preamble) {
    if (isBlank(line) || headingAt(line, 1) !== null) continue;
    const current = parsed[parsed.length - 1];
    const task = taskLine.exec(line.text);
    if (task) {
      const key = task[3]!;
      const earlier = keyLines.get(key);
      if (earlier !== undefined) {
        errors.push({
          line: line.number,
          message: `Task ${key} appears twice (also on line ${earlier})`,
        });
      }
      keyLines.set(key, line.number);
      parsed.push({
        task: {
          key,
          title: task[4]!,
          description: "",
          phase: importedTaskDefaults.phase,
          estimateMinutes: importedTaskDefaults.estimateMinutes,
          files: [],
          dependsOn: [],
          requirementIds: [],
          ...(task[2] === " " ? {} : { done: true }),
        },
        line: line.number,
        indent: task[1]!.length,
        dependsOnLine: null,
      });
      continue;
    }
    const detail = detailLine.exec(line.text);
    const indent = detail?.[1]?.length ?? 0;
    if (!current || !detail || indent <= current.indent) {
      errors.push({
        line: line.number,
        message: /^\s*[-*+]\s+\[/.test(line.text)
          ? 'A task line reads "- [ ] N. Title" (a number, then the title)'
          : current
            ? 'Expected a task line "- [ ] N. Title" or a detail bullet indented under a task'
            : 'Expected a task line "- [ ] N. Title" before anything else',
      });
      continue;
    }
    readDetail(current, detail[2]!, line.number, scope, errors);
  }

  if (parsed.length === 0 && errors.length === 0) {
    errors.push({ line: 1, message: 'No tasks: tasks.md lists tasks as "- [ ] 1. Title"' });
  }

  const tasks = parsed.map((p) => p.task);
  if (errors.length === 0) checkGraph(parsed, errors);
  if (errors.length > 0) return { ok: false, errors };
  const extraSections = sections.map((s) => ({ heading: s.heading, body: bodyText(s.body) }));
  return { ok: true, content: { tasks, ...(extraSections.length > 0 ? { extraSections } : {}) } };
}

function readDetail(
  current: ParsedTask,
  text: string,
  lineNumber: number,
  scope: RequirementScope,
  errors: LineError[],
): void {
  const { task } = current;
  const requirements = labelledLine(text, ["Requirements", "Requirement"]);
  if (requirements) {
    const { ids, invalid } = parseRequirementRefs(requirements.value);
    // Without the underscores it may just be prose ("Requirements: gather them"); keep it as such.
    if (requirements.emphasized || (invalid.length === 0 && ids.length > 0)) {
      if (invalid.length > 0) {
        errors.push({
          line: lineNumber,
          message: `Not a requirement number: ${invalid.map((t) => `"${t}"`).join(", ")} (write "1" or "1.2")`,
        });
      }
      const problem = referenceProblem(ids, scope);
      if (problem) errors.push({ line: lineNumber, message: `Task ${task.key} ${problem}` });
      task.requirementIds.push(...ids);
      return;
    }
  }
  const depends = labelledLine(text, ["Depends on", "Dependencies"]);
  if (depends?.emphasized) {
    task.dependsOn.push(...parseTaskKeys(depends.value));
    current.dependsOnLine = lineNumber;
    return;
  }
  const files = labelledLine(text, ["Files"]);
  if (files) {
    task.files.push(
      ...files.value
        .split(",")
        .map((file) => file.trim().replace(/^`(.*)`$/, "$1"))
        .filter(Boolean),
    );
    return;
  }
  const phase = labelledLine(text, ["Phase"]);
  if (phase) {
    const value = phase.value.toUpperCase();
    const known = taskPhases.find((p) => p === value);
    if (known) task.phase = known;
    else {
      errors.push({
        line: lineNumber,
        message: `Unknown phase "${phase.value}" (use ${taskPhases.join(", ")})`,
      });
    }
    return;
  }
  const estimate = labelledLine(text, ["Estimate"]);
  if (estimate) {
    const minutes = parseEstimate(estimate.value);
    if (minutes === null) {
      errors.push({
        line: lineNumber,
        message: `Unreadable estimate "${estimate.value}" (write 30m, 2h or 1h 30m)`,
      });
    } else task.estimateMinutes = minutes;
    return;
  }
  task.description = task.description ? `${task.description}\n${text}` : text;
}

/** "45m", "2h", "1h 30m", "90 min", "1.5 hours", "30" -> minutes; null when unreadable or zero. */
export function parseEstimate(text: string): number | null {
  const value = text.trim().toLowerCase();
  let minutes: number;
  if (/^\d+$/.test(value)) minutes = Number(value);
  else {
    const match = /^(?:(\d+(?:\.\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:ute)?s?)?)?$/.exec(
      value,
    );
    if (!match || (match[1] === undefined && match[2] === undefined)) return null;
    minutes = Math.round(Number(match[1] ?? 0) * 60) + Number(match[2] ?? 0);
  }
  return Number.isInteger(minutes) && minutes >= 1 ? minutes : null;
}

function checkGraph(parsed: ParsedTask[], errors: LineError[]): void {
  const tasks = parsed.map((p) => p.task);
  const byKey = new Map(parsed.map((p, index) => [p.task.key, { ...p, index }]));
  parsed.forEach((p, index) => {
    if (p.dependsOnLine === null) {
      p.task.dependsOn = implicitDependencies(tasks, index);
      return;
    }
    for (const dep of p.task.dependsOn) {
      if (dep === p.task.key) {
        errors.push({ line: p.dependsOnLine, message: `Task ${dep} depends on itself` });
      } else if (!byKey.has(dep)) {
        errors.push({
          line: p.dependsOnLine,
          message: `Task ${p.task.key} depends on unknown task ${dep}`,
        });
      }
    }
  });
  if (errors.length > 0) return;

  const cycle = findCycle(tasks);
  if (!cycle) return;
  // Dependencies on earlier tasks cannot close a cycle alone, so blame the
  // explicit line that points forward.
  let line = byKey.get(cycle[0]!)!.line;
  for (let i = 0; i + 1 < cycle.length; i++) {
    const from = byKey.get(cycle[i]!)!;
    const to = byKey.get(cycle[i + 1]!)!;
    if (to.index > from.index && from.dependsOnLine !== null) {
      line = from.dependsOnLine;
      break;
    }
  }
  errors.push({ line, message: `Dependency cycle: ${cycle.join(" -> ")}` });
}
