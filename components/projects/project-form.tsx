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
  localPath: string;
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
  localPath: "",
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
  { key: "setupCommand", label: "Setup command", placeholder: "npm install" },
  { key: "testCommand", label: "Test command", placeholder: "npm test" },
  { key: "lintCommand", label: "Lint command", placeholder: "npm run lint" },
] as const;

/** Create a project, or edit one when `projectId` is given. */
export function ProjectForm({
  orgSlug,
  projectId,
  initial,
  readOnly = false,
}: {
  orgSlug: string;
  projectId?: string;
  initial?: ProjectFormValues;
  readOnly?: boolean;
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
    const input = { ...values, runnerLabels: parseLabelList(values.runnerLabels) };
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
        <FormField id="description" label="Description" error={errors.description}>
          <Textarea
            {...fieldControlProps("description", { error: errors.description })}
            value={values.description}
            onChange={set("description")}
            rows={3}
          />
        </FormField>
        <fieldset className="grid gap-3 sm:grid-cols-3">
          <legend className="mb-2 font-medium text-sm">Commands run in each task's worktree</legend>
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
