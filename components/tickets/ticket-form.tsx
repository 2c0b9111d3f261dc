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
import {
  maxDescriptionLength,
  parseLabelList,
  ticketPriorities,
  ticketTypes,
} from "@/lib/tickets/ticket-schema";

type Priority = (typeof ticketPriorities)[number];
type TicketType = (typeof ticketTypes)[number];

export interface TicketFormValues {
  projectId: string;
  title: string;
  description: string;
  priority: Priority;
  type: TicketType;
  labels: string;
}

const titleCase = (s: string) => s.charAt(0) + s.slice(1).toLowerCase();

/** New ticket, or edit one when `ticketId` is given (the project is fixed then). */
export function TicketForm({
  orgSlug,
  projects,
  initial,
  ticketId,
  onDone,
}: {
  orgSlug: string;
  projects: { id: string; name: string }[];
  initial: TicketFormValues;
  ticketId?: string;
  onDone?: () => void;
}) {
  const router = useRouter();
  const [values, setValues] = useState(initial);
  const create = useOrgAction("createTicket");
  const update = useOrgAction("updateTicket");
  const action = ticketId ? update : create;
  const errors = action.fieldErrors;
  const set = (key: keyof TicketFormValues) => (e: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [key]: e.target.value }));

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const { projectId, labels, ...fields } = values;
    if (ticketId) {
      update.run({ ticketId, ...fields, labels: parseLabelList(labels) }, () => {
        toast.success("Ticket saved");
        onDone?.();
        router.refresh();
      });
    } else {
      create.run({ projectId, ...fields, labels: parseLabelList(labels) }, (ticket) => {
        toast.success(`Ticket #${ticket.number} created`);
        router.push(`/${orgSlug}/tickets/${ticket.id}`);
      });
    }
  }

  const remaining = maxDescriptionLength - values.description.length;
  return (
    <form
      onSubmit={onSubmit}
      className="grid max-w-2xl gap-5"
      noValidate
      aria-label={ticketId ? "Edit ticket" : "New ticket"}
    >
      <fieldset disabled={action.pending} className="grid gap-5">
        {ticketId ? null : (
          <FormField id="projectId" label="Project" error={errors.projectId} required>
            <NativeSelect
              {...fieldControlProps("projectId", { error: errors.projectId })}
              value={values.projectId}
              onChange={set("projectId")}
              required
            >
              <option value="">Choose a project…</option>
              {projects.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </NativeSelect>
          </FormField>
        )}
        <FormField id="title" label="Title" error={errors.title} required>
          <Input
            {...fieldControlProps("title", { error: errors.title })}
            value={values.title}
            onChange={set("title")}
            autoFocus
            required
          />
        </FormField>
        <FormField
          id="description"
          label="Description"
          error={errors.description}
          hint={
            remaining < 1000
              ? `${remaining.toLocaleString("en-US")} characters left`
              : "What should change, and why. Markdown is fine."
          }
        >
          <Textarea
            {...fieldControlProps("description", { error: errors.description, hint: "x" })}
            value={values.description}
            onChange={set("description")}
            rows={8}
          />
        </FormField>
        <div className="grid items-start gap-4 sm:grid-cols-3">
          <FormField id="priority" label="Priority" error={errors.priority}>
            <NativeSelect
              {...fieldControlProps("priority", { error: errors.priority })}
              value={values.priority}
              onChange={set("priority")}
            >
              {ticketPriorities.map((p) => (
                <option key={p} value={p}>
                  {titleCase(p)}
                </option>
              ))}
            </NativeSelect>
          </FormField>
          <FormField id="type" label="Type" error={errors.type}>
            <NativeSelect
              {...fieldControlProps("type", { error: errors.type })}
              value={values.type}
              onChange={set("type")}
            >
              {ticketTypes.map((t) => (
                <option key={t} value={t}>
                  {titleCase(t)}
                </option>
              ))}
            </NativeSelect>
          </FormField>
          <FormField
            id="labels"
            label="Labels"
            error={
              errors.labels ?? Object.entries(errors).find(([k]) => k.startsWith("labels."))?.[1]
            }
            hint="Comma-separated"
          >
            <Input
              {...fieldControlProps("labels", { error: errors.labels, hint: "x" })}
              value={values.labels}
              onChange={set("labels")}
              placeholder="ui, api"
              // As tall as the Priority and Type selects beside it.
              className="h-9"
            />
          </FormField>
        </div>
        <FormError message={action.formError} />
        <div className="flex gap-2">
          <Button type="submit" disabled={action.pending}>
            {action.pending ? "Saving…" : ticketId ? "Save ticket" : "Create ticket"}
          </Button>
          {onDone ? (
            <Button type="button" variant="ghost" onClick={onDone}>
              Cancel
            </Button>
          ) : null}
        </div>
      </fieldset>
    </form>
  );
}
