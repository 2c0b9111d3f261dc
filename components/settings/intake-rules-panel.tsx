"use client";

import { Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { toast } from "sonner";
import { FormError } from "@/components/forms/form-error";
import { NativeSelect } from "@/components/forms/native-select";
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
import type { IntakeEffect, IntakeField } from "@/lib/generated/prisma/enums";

export interface IntakeRuleRow {
  id: string;
  name: string;
  effect: IntakeEffect;
  field: IntakeField;
  pattern: string;
}

const fields: Record<IntakeField, { label: string; placeholder: string; hint: string }> = {
  TYPE: {
    label: "Task type",
    placeholder: "docs",
    hint: "feature, bugfix, refactor, test, docs or chore",
  },
  REPOSITORY: {
    label: "Target repository",
    placeholder: "acme/*",
    hint: "A glob on target.repository: * within a segment, ** across",
  },
  PATH: { label: "Target path", placeholder: "infra/**", hint: "A glob on target.path" },
  PRIORITY: {
    label: "Priority",
    placeholder: "high",
    hint: "Allow: at most this priority. Deny: this priority and above",
  },
  TAG: { label: "Tag", placeholder: "experimental", hint: "A glob on each tag" },
};

/** The organization's intake policy: allow and deny rules for API intake, editable by admins. */
export function IntakeRulesPanel({
  canManage,
  rules,
}: {
  canManage: boolean;
  rules: IntakeRuleRow[];
}) {
  return (
    <div className="grid gap-4">
      {rules.length === 0 ? (
        <p className="text-muted-foreground text-sm">
          No rules: every intake request that names a project is accepted.
        </p>
      ) : (
        <div className="rounded-lg border">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead scope="col">Rule</TableHead>
                <TableHead scope="col">Effect</TableHead>
                <TableHead scope="col">Looks at</TableHead>
                <TableHead scope="col">Pattern</TableHead>
                {canManage ? (
                  <TableHead scope="col">
                    <span className="sr-only">Actions</span>
                  </TableHead>
                ) : null}
              </TableRow>
            </TableHeader>
            <TableBody>
              {rules.map((rule) => (
                <TableRow key={rule.id}>
                  <TableCell className="font-medium">{rule.name}</TableCell>
                  <TableCell>
                    <Badge variant={rule.effect === "DENY" ? "destructive" : "outline"}>
                      {rule.effect === "DENY" ? "Deny" : "Allow"}
                    </Badge>
                  </TableCell>
                  <TableCell>{fields[rule.field].label}</TableCell>
                  <TableCell className="font-mono text-xs">{rule.pattern}</TableCell>
                  {canManage ? (
                    <TableCell className="text-right">
                      <DeleteRule rule={rule} />
                    </TableCell>
                  ) : null}
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      )}
      {canManage ? <AddRule /> : null}
    </div>
  );
}

function AddRule() {
  const router = useRouter();
  const add = useOrgAction("createIntakeRule");
  const [name, setName] = useState("");
  const [effect, setEffect] = useState<IntakeEffect>("DENY");
  const [field, setField] = useState<IntakeField>("PATH");
  const [pattern, setPattern] = useState("");
  const errors = add.fieldErrors;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    add.run({ name, effect, field, pattern }, () => {
      setName("");
      setPattern("");
      toast.success(`Intake rule “${name}” added`);
      router.refresh();
    });
  }

  return (
    <form onSubmit={onSubmit} className="grid gap-2" aria-label="Add an intake rule" noValidate>
      <div className="flex flex-wrap items-start gap-2">
        <FormField id="rule-name" label="Rule name" error={errors.name} className="w-52">
          <Input
            {...fieldControlProps("rule-name", { error: errors.name })}
            className="h-8"
            value={name}
            placeholder="No infrastructure changes"
            onChange={(e) => setName(e.target.value)}
            required
            disabled={add.pending}
          />
        </FormField>
        <FormField id="rule-effect" label="Effect" error={errors.effect} className="w-28">
          <NativeSelect
            {...fieldControlProps("rule-effect", { error: errors.effect })}
            className="h-8"
            value={effect}
            onChange={(e) => setEffect(e.target.value as IntakeEffect)}
            disabled={add.pending}
          >
            <option value="DENY">Deny</option>
            <option value="ALLOW">Allow</option>
          </NativeSelect>
        </FormField>
        <FormField id="rule-field" label="Looks at" error={errors.field} className="w-44">
          <NativeSelect
            {...fieldControlProps("rule-field", { error: errors.field })}
            className="h-8"
            value={field}
            onChange={(e) => setField(e.target.value as IntakeField)}
            disabled={add.pending}
          >
            {(Object.keys(fields) as IntakeField[]).map((f) => (
              <option key={f} value={f}>
                {fields[f].label}
              </option>
            ))}
          </NativeSelect>
        </FormField>
        <FormField
          id="rule-pattern"
          label="Pattern"
          error={errors.pattern}
          hint={fields[field].hint}
          className="w-64"
        >
          <Input
            {...fieldControlProps("rule-pattern", {
              error: errors.pattern,
              hint: fields[field].hint,
            })}
            className="h-8 font-mono text-xs"
            value={pattern}
            placeholder={fields[field].placeholder}
            onChange={(e) => setPattern(e.target.value)}
            required
            disabled={add.pending}
          />
        </FormField>
        <Button type="submit" disabled={add.pending} className="mt-[1.375rem]">
          <Plus aria-hidden="true" /> {add.pending ? "Adding…" : "Add rule"}
        </Button>
      </div>
      <FormError message={add.formError} />
    </form>
  );
}

function DeleteRule({ rule }: { rule: IntakeRuleRow }) {
  const router = useRouter();
  const remove = useOrgAction("deleteIntakeRule");
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={remove.pending}
      aria-label={`Remove intake rule ${rule.name}`}
      onClick={() =>
        remove.run({ ruleId: rule.id }, () => {
          toast.success(`Intake rule “${rule.name}” removed`);
          router.refresh();
        })
      }
    >
      {remove.pending ? "Removing…" : "Remove"}
    </Button>
  );
}
