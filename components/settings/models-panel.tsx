"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { useOrgAction } from "@/components/forms/use-org-action";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { FormField, fieldControlProps } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import type { RoutingEntry } from "@/lib/agents/get-model-routing";
import { routingLabels } from "@/lib/agents/model-routing-labels";

type KnownModel = { id: string; deprecated?: string };
type Draft = { model: string; fallback: string };

const sourceLabels: Record<RoutingEntry["source"], string> = {
  default: "Default",
  organization: "Custom",
  coder: "Follows Coding",
};

/**
 * Which model each step uses: the effective model and fallback per role. Admins and owners set a
 * model (any id; known ones are suggested) or leave it empty to use the default.
 */
export function ModelsPanel({
  canManage,
  entries,
  knownModels,
}: {
  canManage: boolean;
  entries: RoutingEntry[];
  knownModels: KnownModel[];
}) {
  return canManage ? (
    <ModelsForm entries={entries} knownModels={knownModels} />
  ) : (
    <div className="grid gap-2">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Step</TableHead>
            <TableHead>Model</TableHead>
            <TableHead>Fallback</TableHead>
            <TableHead>Source</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {entries.map((e) => (
            <TableRow key={e.key}>
              <TableCell>{routingLabels[e.key].label}</TableCell>
              <TableCell className="font-mono text-xs">{e.model}</TableCell>
              <TableCell className="font-mono text-xs">{e.fallback ?? "none"}</TableCell>
              <TableCell>
                <Badge variant="outline">{sourceLabels[e.source]}</Badge>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <p className="text-muted-foreground text-sm">Admins and owners can change the models.</p>
    </div>
  );
}

function draftsOf(entries: RoutingEntry[]): Record<string, Draft> {
  return Object.fromEntries(
    entries.map((e) => [
      e.key,
      { model: e.override?.model ?? "", fallback: e.override?.fallback ?? "" },
    ]),
  );
}

// Inputs turn read-only, not disabled, while saving: a disabled input drops the keyboard focus.
function ModelsForm({
  entries,
  knownModels,
}: {
  entries: RoutingEntry[];
  knownModels: KnownModel[];
}) {
  const router = useRouter();
  const save = useOrgAction("updateModelRouting");
  const [drafts, setDrafts] = useState(() => draftsOf(entries));
  const priced = new Set(knownModels.map((m) => m.id));

  const set = (key: string, patch: Partial<Draft>) =>
    setDrafts((all) => ({
      ...all,
      [key]: { ...(all[key] ?? { model: "", fallback: "" }), ...patch },
    }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const models = Object.fromEntries(
      entries.map((e) => {
        const { model, fallback } = drafts[e.key] ?? { model: "", fallback: "" };
        // An empty row uses the default; a fallback without a model is sent so the field says why.
        if (!model.trim() && !fallback.trim()) return [e.key, null];
        return [e.key, fallback.trim() ? { model, fallback } : { model }];
      }),
    );
    save.run({ models }, (result) => {
      setDrafts(draftsOf(result.entries));
      toast.success("Models saved");
      router.refresh();
    });
  }

  const unpricedHint = (id: string) =>
    id.trim() && !priced.has(id.trim())
      ? `No price known for ${id.trim()}: its usage is recorded at cost 0.`
      : undefined;

  return (
    <form onSubmit={onSubmit} className="grid gap-3" aria-label="Model routing" noValidate>
      <datalist id="known-models">
        {knownModels.map((m) => (
          <option
            key={m.id}
            value={m.id}
            label={m.deprecated ? `deprecated, ends ${m.deprecated}` : undefined}
          />
        ))}
      </datalist>
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>Step</TableHead>
            <TableHead>Model</TableHead>
            <TableHead>Fallback</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {entries.map((e) => {
            const { label, hint } = routingLabels[e.key];
            const draft = drafts[e.key] ?? { model: "", fallback: "" };
            // With no model of its own, the row shows what it uses: the default or Coding's choice.
            const inherited = e.source === "organization" ? e.defaults : e;
            const prefix = e.source === "coder" ? "As Coding" : "Default";
            return (
              <TableRow key={e.key} className="align-top">
                <TableCell className="max-w-56 whitespace-normal">
                  <div className="font-medium">{label}</div>
                  <div className="text-muted-foreground text-xs">{hint}</div>
                </TableCell>
                <ModelIdCell
                  id={`model-${e.key}`}
                  label={`${label} model`}
                  value={draft.model}
                  onChange={(model) => set(e.key, { model })}
                  placeholder={`${prefix}: ${inherited.model}`}
                  hint={unpricedHint(draft.model)}
                  error={save.fieldErrors[`models.${e.key}.model`]}
                  readOnly={save.pending}
                />
                <ModelIdCell
                  id={`fallback-${e.key}`}
                  label={`${label} fallback`}
                  value={draft.fallback}
                  onChange={(fallback) => set(e.key, { fallback })}
                  placeholder={`${prefix}: ${inherited.fallback ?? "none"}`}
                  hint={unpricedHint(draft.fallback)}
                  error={save.fieldErrors[`models.${e.key}.fallback`]}
                  readOnly={save.pending}
                />
                <TableCell className="text-right">
                  <Button
                    type="button"
                    size="sm"
                    variant="ghost"
                    aria-label={`Use the default for ${label}`}
                    disabled={save.pending || (!draft.model && !draft.fallback)}
                    onClick={() => set(e.key, { model: "", fallback: "" })}
                  >
                    Use default
                  </Button>
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <p className="text-muted-foreground text-xs">
        Leave a model empty to use the default. The fallback is tried once when the model stays
        unavailable; left empty, the default fallback applies.
      </p>
      <FormError message={save.formError} />
      <div>
        <Button type="submit" variant="outline" disabled={save.pending}>
          {save.pending ? "Saving…" : "Save models"}
        </Button>
      </div>
    </form>
  );
}

/** One model id field of the routing table: a known id suggested, any newer one accepted. */
function ModelIdCell({
  id,
  label,
  value,
  onChange,
  placeholder,
  hint,
  error,
  readOnly,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder: string;
  hint: string | undefined;
  error: string | undefined;
  readOnly: boolean;
}) {
  return (
    <TableCell className="min-w-64">
      <FormField id={id} label={<span className="sr-only">{label}</span>} hint={hint} error={error}>
        <Input
          {...fieldControlProps(id, { error, hint })}
          list="known-models"
          value={value}
          onChange={(ev) => onChange(ev.target.value)}
          placeholder={placeholder}
          className="font-mono text-xs"
          spellCheck={false}
          autoComplete="off"
          // Read-only, not disabled, while saving: a disabled input drops the keyboard focus.
          readOnly={readOnly}
        />
      </FormField>
    </TableCell>
  );
}
