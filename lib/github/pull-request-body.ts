// The description of the pull request a finished spec opens: what was asked (the approved
// requirements), what was done (the tasks) and how it was checked (each task's verification),
// linked back to the issue so that merging closes it.

export interface PullRequestTask {
  key: string;
  title: string;
  status: string;
  verifications: Array<{ kind: string; command: string; passed: boolean; exitCode: number | null }>;
}

export interface PullRequestBodyInput {
  specTitle: string;
  specUrl: string;
  ticket: { number: number; title: string } | null;
  issueNumber: number | null;
  requirements: Array<{ id: string; title: string; criteria: Array<{ id: string; text: string }> }>;
  tasks: PullRequestTask[];
}

// Keep table cells on one line and free of pipes.
const cell = (text: string) => text.replace(/\s+/g, " ").replace(/\|/g, "\\|").trim();

function verificationCell(task: PullRequestTask): string {
  if (task.verifications.length === 0) return "no checks configured";
  return task.verifications
    .map((v) => {
      const verdict = v.passed ? "✅ passed" : `❌ failed (exit ${v.exitCode ?? "?"})`;
      return `${verdict}: ${v.kind} \`${cell(v.command).replace(/`/g, "'")}\``;
    })
    .join("<br>");
}

/** The Markdown body of the pull request. */
export function pullRequestBody(input: PullRequestBodyInput): string {
  const lines: string[] = [];
  const ticket = input.ticket ? ` for ticket #${input.ticket.number}` : "";
  lines.push(`Trellis spec [${input.specTitle}](${input.specUrl})${ticket}.`, "");
  if (input.issueNumber !== null) lines.push(`Closes #${input.issueNumber}`, "");

  lines.push("## Requirements", "");
  if (input.requirements.length === 0) lines.push("_No approved requirements._");
  for (const r of input.requirements) {
    lines.push(`- **${r.id}** ${r.title}`);
    for (const c of r.criteria) lines.push(`  - ${c.id}: ${c.text}`);
  }
  lines.push("");

  lines.push("## Tasks", "");
  lines.push("| Task | Status | Verification |", "| --- | --- | --- |");
  for (const t of input.tasks) {
    lines.push(
      `| ${cell(`${t.key}. ${t.title}`)} | ${t.status.toLowerCase()} | ${verificationCell(t)} |`,
    );
  }
  const passed = input.tasks.filter(
    (t) => t.verifications.length > 0 && t.verifications.every((v) => v.passed),
  ).length;
  lines.push("", `${input.tasks.length} tasks; ${passed} with every check passing.`);
  return lines.join("\n");
}
