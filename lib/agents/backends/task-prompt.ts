import type { AgentTask } from "@/lib/agents/backends/agent-backend";

/** The task as Markdown, the form both a CLI agent's prompt file and the Claude agent read. */
export function taskPrompt(task: AgentTask): string {
  const lines = [
    `# ${task.key}: ${task.title}`,
    "",
    `Spec: ${task.specTitle}`,
    `Attempt: ${task.attempt}`,
    `Requirements: ${task.requirementIds.length ? task.requirementIds.join(", ") : "(none listed)"}`,
    "",
    "## Description",
    "",
    task.description.trim() || "(no description)",
  ];
  if (task.files.length) {
    lines.push("", "## Files likely involved", "", ...task.files.map((file) => `- ${file}`));
  }
  if (task.feedback?.trim()) {
    lines.push(
      "",
      "## Feedback from the previous attempt",
      "",
      "The previous attempt was rejected. Fix these problems:",
      "",
      "```text",
      task.feedback.trim(),
      "```",
    );
  }
  return `${lines.join("\n")}\n`;
}

/** The last `maxChars` of a command's output, cut at a line start when possible. */
export function outputTail(output: string, maxChars = 2000): string {
  const text = output.trimEnd();
  if (text.length <= maxChars) return text;
  const cut = text.slice(-maxChars);
  const newline = cut.indexOf("\n");
  const body = newline >= 0 && newline < maxChars / 2 ? cut.slice(newline + 1) : cut;
  return `…\n${body}`;
}
