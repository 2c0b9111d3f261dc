"use client";

import { Pencil, Plus, Trash2, X } from "lucide-react";
import { useRouter } from "next/navigation";
import {
  type ChangeEvent,
  createContext,
  type ReactNode,
  useContext,
  useEffect,
  useRef,
  useState,
} from "react";
import { toast } from "sonner";
import { useOrgAction } from "@/components/forms/use-org-action";
import { Button } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import type { Requirement, RequirementsContent } from "@/lib/specs/artifact-schemas";
import { lintEars } from "@/lib/specs/ears";
import { criterionIdFor, requirementIdFromNumber } from "@/lib/specs/requirement-refs";
import { cn } from "@/lib/utils/cn";
import { earsPatternLabel } from "./ears-pattern-label";

/*
 * Inline editing of the requirements in review, one block at a time: a block's Edit button
 * turns it into a form (title, user story, EARS criteria linted as you type); Save stores the
 * whole document as a new version (editArtifact, source HUMAN), as the Markdown editor does.
 * Requirement ids never change: a new requirement takes the next free number, and a deleted
 * one's number is not reused, so references in feedback and history stay right.
 */

const NEW = "new";

interface Editing {
  specId: string;
  content: RequirementsContent;
  editingId: string | null;
  setEditingId: (id: string | null) => void;
}

const EditingContext = createContext<Editing | null>(null);

/** Makes the requirement blocks inside editable (for a person who may write, in review). */
export function RequirementsEditing({
  specId,
  content,
  children,
}: {
  specId: string;
  content: RequirementsContent;
  children: ReactNode;
}) {
  const [editingId, setEditingId] = useState<string | null>(null);
  return (
    <EditingContext value={{ specId, content, editingId, setEditingId }}>{children}</EditingContext>
  );
}

function editButtonId(requirementId: string) {
  return `edit-${requirementId}`;
}

/** A requirement block with its Edit button, or its form while being edited. */
export function EditableRequirement({ id, children }: { id: string; children: ReactNode }) {
  const editing = useContext(EditingContext);
  if (!editing) return children;
  const requirement = editing.content.requirements.find((r) => r.id === id);
  if (requirement && editing.editingId === id) {
    return <RequirementForm editing={editing} requirement={requirement} />;
  }
  return (
    <div className="relative">
      {children}
      <Button
        id={editButtonId(id)}
        size="sm"
        variant="ghost"
        className="absolute top-2.5 right-2.5"
        // The visible "Edit" and which block: "Edit REQ-001" (no extra text in the block).
        aria-label={`Edit ${id}`}
        disabled={editing.editingId !== null}
        onClick={() => editing.setEditingId(id)}
      >
        <Pencil aria-hidden="true" /> Edit
      </Button>
    </div>
  );
}

/** "Add a requirement" under the last block; the new one takes the next free id. */
export function AddRequirement() {
  const editing = useContext(EditingContext);
  if (!editing) return null;
  const numbers = editing.content.requirements.map((r) => Number(r.id.slice("REQ-".length)));
  const id = requirementIdFromNumber(Math.max(0, ...numbers) + 1);
  if (editing.editingId === NEW) {
    const blank: Requirement = {
      id,
      title: "",
      userStory: { role: "", want: "", benefit: "" },
      acceptanceCriteria: [{ id: criterionIdFor(id, 1), text: "" }],
    };
    return <RequirementForm editing={editing} requirement={blank} isNew />;
  }
  return (
    <Button
      id={editButtonId(NEW)}
      size="sm"
      variant="outline"
      className="w-fit"
      disabled={editing.editingId !== null}
      onClick={() => editing.setEditingId(NEW)}
    >
      <Plus aria-hidden="true" /> Add a requirement
    </Button>
  );
}

interface Draft {
  title: string;
  role: string;
  want: string;
  benefit: string;
  /** `key` keeps each textarea's identity while criteria are added and removed. */
  criteria: { key: number; text: string }[];
}

function RequirementForm({
  editing,
  requirement,
  isNew = false,
}: {
  editing: Editing;
  requirement: Requirement;
  isNew?: boolean;
}) {
  const router = useRouter();
  const save = useOrgAction("editArtifact");
  const { id } = requirement;
  const [draft, setDraft] = useState<Draft>(() => ({
    title: requirement.title,
    ...requirement.userStory,
    criteria: requirement.acceptanceCriteria.map((c, key) => ({ key, text: c.text })),
  }));
  const nextKey = useRef(draft.criteria.length);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [confirmDelete, setConfirmDelete] = useState(false);
  const others = editing.content.requirements.filter((r) => r.id !== id);

  // Back to the block's Edit button (or "Add a requirement") once the form closes.
  const returnTo = isNew ? NEW : id;
  useEffect(() => () => restoreFocus(returnTo), [returnTo]);

  function close() {
    editing.setEditingId(null);
  }

  function store(requirements: Requirement[], done: string) {
    save.run(
      {
        specId: editing.specId,
        phase: "REQUIREMENTS",
        content: { ...editing.content, requirements },
      },
      () => {
        toast.success(done);
        close();
        router.refresh();
      },
    );
  }

  function onSave() {
    const errors: Record<string, string> = {};
    if (!draft.title.trim()) errors.title = "Give the requirement a short title.";
    if (!draft.role.trim()) errors.role = "Say who benefits.";
    if (!draft.want.trim()) errors.want = "Say what they want.";
    if (!draft.benefit.trim()) errors.benefit = "Say why.";
    draft.criteria.forEach((c, i) => {
      if (!c.text.trim()) errors[`criterion-${i}`] = "Write the criterion, or remove it.";
    });
    setMissing(errors);
    if (Object.keys(errors).length) return;
    const updated: Requirement = {
      id,
      title: draft.title.trim(),
      userStory: {
        role: draft.role.trim(),
        want: draft.want.trim(),
        benefit: draft.benefit.trim(),
      },
      acceptanceCriteria: draft.criteria.map((c, i) => ({
        id: criterionIdFor(id, i + 1),
        text: c.text.trim(),
      })),
    };
    const requirements = isNew
      ? [...editing.content.requirements, updated]
      : editing.content.requirements.map((r) => (r.id === id ? updated : r));
    store(requirements, isNew ? `Added ${id}` : `Saved ${id}`);
  }

  // The server's refusal, field by field: paths look like requirements.2.acceptanceCriteria.0.text.
  const index = isNew
    ? editing.content.requirements.length
    : editing.content.requirements.indexOf(requirement);
  const prefix = `requirements.${index}.`;
  const serverError = (path: string) => save.fieldErrors[`${prefix}${path}`];
  const elsewhere = Object.entries(save.fieldErrors).filter(([path]) => !path.startsWith(prefix));
  const errorOf = (key: string, path: string) => missing[key] ?? serverError(path);
  const field = (key: keyof Omit<Draft, "criteria">) => ({
    value: draft[key],
    onChange: (e: ChangeEvent<HTMLInputElement>) =>
      setDraft((d) => ({ ...d, [key]: e.target.value })),
  });
  const storyError = (key: "role" | "want" | "benefit") => errorOf(key, `userStory.${key}`);
  const fid = (name: string) => `${id}-${name}`;

  return (
    <form
      aria-label={isNew ? `New requirement ${id}` : `Edit ${id}`}
      className="grid gap-4 rounded-lg border border-ring bg-card p-4"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
      onKeyDown={(e) => {
        if (e.key === "Escape") {
          e.preventDefault();
          close();
        } else if (e.key === "Enter" && (e.metaKey || e.ctrlKey)) {
          e.preventDefault();
          onSave();
        }
      }}
    >
      <FormField id={fid("title")} label={`${id} title`} error={errorOf("title", "title")}>
        <Input
          {...fieldControlProps(fid("title"), { error: errorOf("title", "title") })}
          autoFocus
          {...field("title")}
        />
      </FormField>
      <fieldset className="grid gap-2">
        <legend className="mb-1 font-medium text-sm">User story</legend>
        <div className="grid gap-2 sm:grid-cols-3">
          <FormField id={fid("role")} label="As a" error={storyError("role")}>
            <Input
              {...fieldControlProps(fid("role"), { error: storyError("role") })}
              {...field("role")}
            />
          </FormField>
          <FormField id={fid("want")} label="I want" error={storyError("want")}>
            <Input
              {...fieldControlProps(fid("want"), { error: storyError("want") })}
              {...field("want")}
            />
          </FormField>
          <FormField id={fid("benefit")} label="so that" error={storyError("benefit")}>
            <Input
              {...fieldControlProps(fid("benefit"), { error: storyError("benefit") })}
              {...field("benefit")}
            />
          </FormField>
        </div>
      </fieldset>
      <fieldset className="grid gap-3">
        <legend className="mb-1 font-medium text-sm">Acceptance criteria (EARS)</legend>
        {draft.criteria.map((criterion, i) => {
          const criterionId = criterionIdFor(id, i + 1);
          const error = errorOf(`criterion-${i}`, `acceptanceCriteria.${i}.text`);
          const lint = criterion.text.trim() ? lintEars(criterion.text) : null;
          const hint = lint ? (
            <span className={cn(lint.issues.length && "text-status-attention")}>
              {lint.pattern ? earsPatternLabel[lint.pattern] : "not EARS"}
              {lint.issues.length ? ` · ${lint.issues.join(" · ")}` : ""}
            </span>
          ) : (
            "WHEN … THE SYSTEM SHALL …, WHILE …, IF … THEN …, WHERE …, or THE SYSTEM SHALL …"
          );
          return (
            <div key={criterion.key} className="flex items-start gap-2">
              <FormField
                id={fid(`c${criterion.key}`)}
                label={criterionId}
                error={error}
                hint={hint}
                className="flex-1"
              >
                <Textarea
                  {...fieldControlProps(fid(`c${criterion.key}`), { error, hint })}
                  rows={2}
                  value={criterion.text}
                  onChange={(e) =>
                    setDraft((d) => ({
                      ...d,
                      criteria: d.criteria.map((c) =>
                        c.key === criterion.key ? { ...c, text: e.target.value } : c,
                      ),
                    }))
                  }
                />
              </FormField>
              <Button
                type="button"
                size="icon"
                variant="ghost"
                className="mt-6"
                disabled={draft.criteria.length === 1}
                title={
                  draft.criteria.length === 1
                    ? "A requirement needs at least one criterion"
                    : undefined
                }
                onClick={() =>
                  setDraft((d) => ({
                    ...d,
                    criteria: d.criteria.filter((c) => c.key !== criterion.key),
                  }))
                }
              >
                <X aria-hidden="true" />
                <span className="sr-only">Remove criterion {criterionId}</span>
              </Button>
            </div>
          );
        })}
        <Button
          type="button"
          size="sm"
          variant="outline"
          className="w-fit"
          onClick={() =>
            setDraft((d) => ({
              ...d,
              criteria: [...d.criteria, { key: nextKey.current++, text: "" }],
            }))
          }
        >
          <Plus aria-hidden="true" /> Add a criterion
        </Button>
      </fieldset>
      {elsewhere.length || (save.formError && !Object.keys(save.fieldErrors).length) ? (
        <div role="alert" className="grid gap-0.5 text-destructive text-xs">
          {save.formError ? <p>{save.formError}</p> : null}
          {elsewhere.map(([path, message]) => (
            <p key={path}>
              {path}: {message}
            </p>
          ))}
        </div>
      ) : null}
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" size="sm" disabled={save.pending}>
          {isNew ? "Add" : "Save"} {id}
        </Button>
        <Button type="button" size="sm" variant="ghost" onClick={close}>
          Cancel
        </Button>
        <span className="text-muted-foreground text-xs">Ctrl+Enter saves · Esc cancels</span>
        {!isNew && others.length ? (
          confirmDelete ? (
            <span className="ml-auto flex items-center gap-2 text-sm">
              Delete {id}?
              <Button
                type="button"
                size="sm"
                variant="destructive"
                disabled={save.pending}
                onClick={() => store(others, `Deleted ${id}`)}
              >
                Delete
              </Button>
              <Button
                type="button"
                size="sm"
                variant="ghost"
                onClick={() => setConfirmDelete(false)}
              >
                Keep
              </Button>
            </span>
          ) : (
            <Button
              type="button"
              size="sm"
              variant="ghost"
              className="ml-auto text-destructive"
              onClick={() => setConfirmDelete(true)}
            >
              <Trash2 aria-hidden="true" /> Delete requirement
            </Button>
          )
        ) : null}
      </div>
    </form>
  );
}

function restoreFocus(returnTo: string) {
  // After the block re-renders (and after a refresh brings the saved version).
  requestAnimationFrame(() => document.getElementById(editButtonId(returnTo))?.focus());
}
