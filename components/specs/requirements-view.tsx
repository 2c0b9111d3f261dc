import { AlertTriangle } from "lucide-react";
import type { RequirementsContent } from "@/lib/specs/artifact-schemas";
import { lintRequirements } from "@/lib/specs/ears";
import { earsPatternLabel } from "./ears-pattern-label";
import { EarsSentence } from "./ears-sentence";
import { MarkdownText } from "./markdown-text";
import { AddRequirement, EditableRequirement, RequirementsEditing } from "./requirement-editor";

/**
 * Requirements as blocks: id chip, user story, EARS criteria with their pattern and lint
 * warnings. With `editSpecId` (the requirements in review, a person who may write), each block
 * can be edited in place and requirements added or deleted (./requirement-editor).
 */
export function RequirementsView({
  content,
  editSpecId,
}: {
  content: RequirementsContent;
  editSpecId?: string;
}) {
  const lint = lintRequirements(content);
  const blocks = (
    <div className="grid gap-4">
      {content.introduction ? <MarkdownText text={content.introduction} /> : null}
      {content.requirements.map((req) => (
        <EditableRequirement key={req.id} id={req.id}>
          <section aria-labelledby={`${req.id}-title`} className="rounded-lg border bg-card p-4">
            <header className="mb-2 flex items-center gap-2 pr-16">
              <span className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{req.id}</span>
              <h3 id={`${req.id}-title`} className="font-medium text-sm">
                {req.title}
              </h3>
            </header>
            <p className="mb-3 text-muted-foreground text-sm">
              As a {req.userStory.role}, I want {req.userStory.want}, so that{" "}
              {req.userStory.benefit}.
            </p>
            <ol className="grid gap-2">
              {req.acceptanceCriteria.map((criterion) => {
                const result = lint[criterion.id];
                return (
                  <li key={criterion.id} className="grid gap-1">
                    <div className="flex items-start gap-2 text-sm leading-relaxed">
                      <span className="mt-0.5 shrink-0 font-mono text-muted-foreground text-xs">
                        {criterion.id}
                      </span>
                      <EarsSentence text={criterion.text} />
                      <span className="ml-auto shrink-0 rounded border px-1.5 py-0.5 text-muted-foreground text-xs">
                        {result?.pattern ? earsPatternLabel[result.pattern] : "not EARS"}
                      </span>
                    </div>
                    {result?.issues.length ? (
                      <ul className="ml-14 grid gap-0.5">
                        {result.issues.map((issue) => (
                          <li
                            key={issue}
                            className="flex items-center gap-1 text-status-attention text-xs"
                          >
                            <AlertTriangle className="size-3" aria-hidden="true" /> {issue}
                          </li>
                        ))}
                      </ul>
                    ) : null}
                  </li>
                );
              })}
            </ol>
          </section>
        </EditableRequirement>
      ))}
      {editSpecId ? <AddRequirement /> : null}
    </div>
  );
  return editSpecId ? (
    <RequirementsEditing specId={editSpecId} content={content}>
      {blocks}
    </RequirementsEditing>
  ) : (
    blocks
  );
}
