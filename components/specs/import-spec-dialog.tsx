"use client";

import { Upload } from "lucide-react";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { useOrgAction } from "@/components/forms/use-org-action";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import type { SpecPhase } from "@/lib/generated/prisma/enums";
import { importSpecSchema, specFileNames } from "@/lib/specs/import-spec-schema";
import type { SpecMarkdownFiles } from "@/lib/specs/markdown/export-spec-markdown";
import { readSpecUpload } from "@/lib/specs/markdown/read-spec-upload";
import { phaseFile } from "@/lib/specs/phase-file";

const inReview: Record<SpecPhase, string> = {
  REQUIREMENTS: "The requirements are in review",
  DESIGN: "The design is in review",
  TASKS: "The tasks are in review",
};

interface Problem {
  key: string;
  file?: string;
  line?: string;
  message: string;
}

/** "tasks.md:4" -> file and line, as importSpec keys its field errors; other keys carry their own wording. */
function problemsOf(fields: Record<string, string>): Omit<Problem, "key">[] {
  return Object.entries(fields).flatMap(([key, messages]) => {
    const match = /^(requirements\.md|design\.md|tasks\.md)(?::(\d+))?$/.exec(key);
    return messages.split("\n").map((message) => ({ file: match?.[1], line: match?.[2], message }));
  });
}

/**
 * "Import Markdown": the person picks requirements.md / design.md / tasks.md or
 * a zip of the spec folder; the browser reads (and unzips) them and sends the
 * text to importSpec. Every refusal is listed with its file and line.
 */
export function ImportSpecDialog(props: { specId: string; startPhase: SpecPhase; draft: boolean }) {
  const { specId, startPhase, draft } = props;
  const router = useRouter();
  const action = useOrgAction("importSpec");
  const [open, setOpen] = useState(false);
  const [files, setFiles] = useState<SpecMarkdownFiles | null>(null);
  const [localErrors, setLocalErrors] = useState<string[]>([]);
  const [showServerErrors, setShowServerErrors] = useState(false);

  const startFile = phaseFile[startPhase];
  const later = specFileNames.slice(specFileNames.indexOf(startFile) + 1);
  const rule = `${draft ? "This spec is a draft" : inReview[startPhase]}, so an import starts with ${startFile}${
    later.length ? ` and may add ${later.join(" and ")}` : ""
  }. Each file becomes a new version; the last phase imported waits for review, and the ones before it count as approved by you.`;

  function reset() {
    setFiles(null);
    setLocalErrors([]);
    setShowServerErrors(false);
  }

  async function choose(list: FileList | null) {
    reset();
    if (!list || list.length === 0) return;
    const uploads = await Promise.all(
      Array.from(list, async (file) => ({
        name: file.name,
        bytes: new Uint8Array(await file.arrayBuffer()),
      })),
    );
    const read = readSpecUpload(uploads);
    if (read.ok) setFiles(read.files);
    else setLocalErrors(read.errors);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = importSpecSchema.safeParse({ specId, files: files ?? {} });
    if (!parsed.success) {
      setLocalErrors(parsed.error.issues.map((issue) => issue.message));
      return;
    }
    setShowServerErrors(true);
    action.run(parsed.data, (data) => {
      setOpen(false);
      reset();
      toast.success(
        `Imported ${chosen.join(", ")}: the spec is now ${data.state.toLowerCase().replace(/_/g, " ")}`,
      );
      router.refresh();
    });
  }

  // Messages can repeat (the same reason on two lines); the position keeps keys unique.
  const problems: Problem[] = [
    ...localErrors.map((message) => ({ message })),
    ...(showServerErrors ? problemsOf(action.fieldErrors) : []),
  ].map((problem, n) => ({ ...problem, key: String(n) }));
  const chosen = files ? specFileNames.filter((name) => files[name] !== undefined) : [];

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" variant="outline">
          <Upload aria-hidden="true" /> Import Markdown
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Import Markdown</DialogTitle>
          <DialogDescription>
            Spec files in the layout Kiro and other spec tools use. {rule}
          </DialogDescription>
        </DialogHeader>
        <form className="grid gap-4" onSubmit={submit}>
          <FormField
            id="spec-files"
            label="Files"
            hint="requirements.md, design.md, tasks.md, or a .zip of the spec folder (as Download Markdown gives, or .kiro/specs/<name>/). 200 KB per file at most."
          >
            <Input
              id="spec-files"
              aria-invalid={problems.length ? true : undefined}
              aria-describedby={
                problems.length ? "spec-files-hint import-problems" : "spec-files-hint"
              }
              type="file"
              multiple
              accept=".md,.zip,text/markdown,application/zip"
              onChange={(e) => void choose(e.target.files)}
            />
          </FormField>
          {chosen.length > 0 && problems.length === 0 ? (
            <p aria-live="polite" className="text-muted-foreground text-sm">
              Ready to import {chosen.join(", ")}.
            </p>
          ) : null}
          {problems.length > 0 ? (
            <div
              id="import-problems"
              role="alert"
              className="grid gap-1 rounded-md border border-destructive/40 bg-destructive/10 px-3 py-2 text-sm"
            >
              <p className="font-medium text-destructive">
                {problems.length === 1
                  ? "The import was refused:"
                  : `The import was refused (${problems.length} problems):`}
              </p>
              <ul className="grid max-h-64 gap-1 overflow-y-auto">
                {problems.map((problem) => (
                  <li key={problem.key}>
                    {problem.file ? (
                      <span className="font-mono text-xs">
                        {problem.file}
                        {problem.line ? `, line ${problem.line}` : ""}:{" "}
                      </span>
                    ) : null}
                    {problem.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          <FormError message={showServerErrors ? action.formError : null} />
          <DialogFooter>
            <Button type="submit" disabled={action.pending || chosen.length === 0}>
              {action.pending ? "Importing…" : "Import"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
