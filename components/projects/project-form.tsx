"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { NativeSelect } from "@/components/forms/native-select";
import { useOrgAction } from "@/components/forms/use-org-action";
import { Button } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { parseLabelList } from "@/lib/runners/runner-label";

export interface ProjectFormValues {
  name: string;
  description: string;
  repoKind: "LOCAL" | "GITHUB";
  localPath: string;
  githubRepository: string;
  githubLabel: string;
  setupCommand: string;
  testCommand: string;
  lintCommand: string;
  agentCommand: string;
  /** Comma-separated runner labels; empty: the built-in runner. */
  runnerLabels: string;
  approvalRequirements: "MANUAL" | "AUTO";
  approvalDesign: "MANUAL" | "AUTO";
  approvalTasks: "MANUAL" | "AUTO";
}

const empty: ProjectFormValues = {
  name: "",
  description: "",
  repoKind: "LOCAL",
  localPath: "",
  githubRepository: "",
  githubLabel: "trellis",
  setupCommand: "",
  testCommand: "",
  lintCommand: "",
  agentCommand: "",
  runnerLabels: "",
  approvalRequirements: "MANUAL",
  approvalDesign: "MANUAL",
  approvalTasks: "MANUAL",
};

const approvalFields = [
  { key: "approvalRequirements", label: "Requirements" },
  { key: "approvalDesign", label: "Design" },
  { key: "approvalTasks", label: "Tasks" },
] as const;

const commandFields = [
  // Examples, not defaults: an empty field runs nothing.
  { key: "setupCommand", label: "Setup command", placeholder: "e.g. npm ci" },
  { key: "testCommand", label: "Test command", placeholder: "e.g. npm test" },
  { key: "lintCommand", label: "Lint command", placeholder: "e.g. npm run lint" },
] as const;

/** A repository the organization's GitHub installations grant, for the repository picker. */
export interface GithubRepositoryOption {
  fullName: string;
  account: string;
}

/** Create a project, or edit one when `projectId` is given. */
export function ProjectForm({
  orgSlug,
  projectId,
  initial,
  readOnly = false,
  githubRepositories = [],
}: {
  orgSlug: string;
  projectId?: string;
  initial?: ProjectFormValues;
  readOnly?: boolean;
  /** Empty when GitHub is not connected: the GitHub choice is then explained and disabled. */
  githubRepositories?: GithubRepositoryOption[];
}) {
  const router = useRouter();
  const [values, setValues] = useState<ProjectFormValues>(initial ?? empty);
  const create = useOrgAction("createProject");
  const update = useOrgAction("updateProject");
  const action = projectId ? update : create;
  const errors = action.fieldErrors;

  const set = (key: keyof ProjectFormValues) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    // Only the chosen kind's fields go out: the other one's leftovers are not a second repository.
    const { localPath, githubRepository, githubLabel, ...common } = values;
    const repository =
      values.repoKind === "GITHUB" ? { githubRepository, githubLabel } : { localPath };
    const input = { ...common, ...repository, runnerLabels: parseLabelList(values.runnerLabels) };
    if (projectId) {
      update.run({ projectId, ...input }, () => {
        toast.success("Project saved");
        router.refresh();
      });
    } else {
      create.run(input, (project) => {
        toast.success("Project created");
        router.push(`/${orgSlug}/projects/${project.id}`);
      });
    }
  }

  return (
    <form
      onSubmit={onSubmit}
      className="grid max-w-2xl gap-5"
      noValidate
      aria-label={projectId ? "Project settings" : "New project"}
    >
      <fieldset disabled={readOnly || action.pending} className="grid gap-5">
        <FormField id="name" label="Name" error={errors.name} required>
          <Input
            {...fieldControlProps("name", { error: errors.name })}
            value={values.name}
            onChange={set("name")}
            required
            autoFocus={!projectId}
          />
        </FormField>
        <RepositoryFields
          values={values}
          errors={errors}
          set={set}
          githubRepositories={githubRepositories}
          onKindChange={(repoKind) => setValues((v) => ({ ...v, repoKind }))}
        />
        <FormField id="description" label="Description" error={errors.description}>
          <Textarea
            {...fieldControlProps("description", { error: errors.description })}
            value={values.description}
            onChange={set("description")}
            rows={3}
          />
        </FormField>
        <fieldset className="grid gap-3 sm:grid-cols-3" aria-describedby="commands-help">
          <legend className="mb-1 font-medium text-sm">Commands run in each task's worktree</legend>
          <p id="commands-help" className="text-muted-foreground text-xs sm:col-span-3">
            Verification: after the agent, the test and lint commands must pass before a task is
            done. Leave them empty and nothing is verified: tasks are done when the agent finishes.
          </p>
          {commandFields.map((f) => (
            <FormField key={f.key} id={f.key} label={f.label} error={errors[f.key]}>
              <Input
                {...fieldControlProps(f.key, { error: errors[f.key] })}
                value={values[f.key]}
                onChange={set(f.key)}
                placeholder={f.placeholder}
                className="font-mono"
                spellCheck={false}
              />
            </FormField>
          ))}
        </fieldset>
        <FormField
          id="agentCommand"
          label="Agent command"
          error={errors.agentCommand}
          hint="Optional: a command-line coding agent run in each task's worktree, with the task in TRELLIS_TASK_* variables. Empty: Claude when an API key is set, else the offline agent."
        >
          <Input
            {...fieldControlProps("agentCommand", { error: errors.agentCommand, hint: "x" })}
            value={values.agentCommand}
            onChange={set("agentCommand")}
            className="font-mono"
            spellCheck={false}
          />
        </FormField>
        <FormField
          id="runnerLabels"
          label="Runner labels"
          error={errors.runnerLabels ?? errors["runnerLabels.0"]}
          hint="Optional, comma-separated: run this project's tasks only on self-hosted runners with all these labels (Settings → Self-hosted runners). Empty: the built-in runner."
        >
          <Input
            {...fieldControlProps("runnerLabels", { error: errors.runnerLabels, hint: "x" })}
            value={values.runnerLabels}
            onChange={set("runnerLabels")}
            placeholder="linux, gpu"
            spellCheck={false}
          />
        </FormField>
        <fieldset className="grid gap-3 sm:grid-cols-3">
          <legend className="mb-2 font-medium text-sm">Approval gates</legend>
          {approvalFields.map((f) => (
            <FormField key={f.key} id={f.key} label={f.label} error={errors[f.key]}>
              <NativeSelect
                {...fieldControlProps(f.key, { error: errors[f.key] })}
                value={values[f.key]}
                onChange={set(f.key)}
              >
                <option value="MANUAL">Manual approval</option>
                <option value="AUTO">Auto-approve</option>
              </NativeSelect>
            </FormField>
          ))}
        </fieldset>
        <FormError message={action.formError} />
        {readOnly ? (
          <p className="text-muted-foreground text-sm">
            Viewers can read project settings but not change them.
          </p>
        ) : (
          <div>
            <Button type="submit" disabled={action.pending}>
              {action.pending ? "Saving…" : projectId ? "Save changes" : "Create project"}
            </Button>
          </div>
        )}
      </fieldset>
    </form>
  );
}

/** Where the project's code is: a path on this server, or a repository of a GitHub installation. */
function RepositoryFields({
  values,
  errors,
  set,
  githubRepositories,
  onKindChange,
}: {
  values: ProjectFormValues;
  errors: Record<string, string>;
  set: (key: keyof ProjectFormValues) => (e: { target: { value: string } }) => void;
  githubRepositories: GithubRepositoryOption[];
  onKindChange: (kind: "LOCAL" | "GITHUB") => void;
}) {
  const githubAvailable = githubRepositories.length > 0 || values.repoKind === "GITHUB";
  const accounts = [...new Set(githubRepositories.map((r) => r.account))];
  const kinds = [
    { value: "LOCAL", label: "A git repository on this server" },
    { value: "GITHUB", label: "A GitHub repository" },
  ] as const;
  return (
    <fieldset className="grid gap-3">
      <legend className="mb-2 font-medium text-sm">Repository</legend>
      <div
        className="flex flex-wrap gap-x-6 gap-y-2"
        role="radiogroup"
        aria-label="Repository kind"
      >
        {kinds.map((kind) => (
          <label key={kind.value} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="repoKind"
              value={kind.value}
              checked={values.repoKind === kind.value}
              disabled={kind.value === "GITHUB" && !githubAvailable}
              onChange={() => onKindChange(kind.value)}
              className="size-4 accent-primary"
            />
            {kind.label}
          </label>
        ))}
      </div>
      {!githubAvailable ? (
        <p className="text-muted-foreground text-xs">
          To use a GitHub repository, connect GitHub in the organization's settings first.
        </p>
      ) : null}
      {values.repoKind === "GITHUB" ? (
        <div className="grid gap-3 sm:grid-cols-[2fr_1fr]">
          <FormField
            id="githubRepository"
            label="GitHub repository"
            error={errors.githubRepository}
            hint="Repositories your GitHub installations grant. Agents work on a copy; the result comes back as a pull request."
            required
          >
            <NativeSelect
              {...fieldControlProps("githubRepository", {
                error: errors.githubRepository,
                hint: "x",
              })}
              value={values.githubRepository}
              onChange={set("githubRepository")}
              className="font-mono"
              required
            >
              <option value="">Choose a repository…</option>
              {values.githubRepository &&
              !githubRepositories.some((r) => r.fullName === values.githubRepository) ? (
                <option value={values.githubRepository}>{values.githubRepository}</option>
              ) : null}
              {accounts.map((account) => (
                <optgroup key={account} label={account}>
                  {githubRepositories
                    .filter((r) => r.account === account)
                    .map((r) => (
                      <option key={r.fullName} value={r.fullName}>
                        {r.fullName}
                      </option>
                    ))}
                </optgroup>
              ))}
            </NativeSelect>
          </FormField>
          <FormField
            id="githubLabel"
            label="Issue label"
            error={errors.githubLabel}
            hint="Labelling an issue with this files it as a ticket."
          >
            <Input
              {...fieldControlProps("githubLabel", { error: errors.githubLabel, hint: "x" })}
              value={values.githubLabel}
              onChange={set("githubLabel")}
              spellCheck={false}
            />
          </FormField>
        </div>
      ) : (
        <FormField
          id="localPath"
          label="Local git repository"
          error={errors.localPath}
          hint="The absolute path of a git work tree on the Trellis server, e.g. /srv/code/my-app. For a project pinned to runners: the repository URL or path the runners clone and push to."
          required
        >
          <Input
            {...fieldControlProps("localPath", { error: errors.localPath, hint: "x" })}
            value={values.localPath}
            onChange={set("localPath")}
            className="font-mono"
            spellCheck={false}
            required
          />
        </FormField>
      )}
    </fieldset>
  );
}
