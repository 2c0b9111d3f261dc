// Renders a JSON Schema of the OpenAPI document as a readable field list (server component).

type Schema = Record<string, unknown>;

const refName = (ref: string) => ref.replace("#/components/schemas/", "");

function resolve(schema: Schema, schemas: Record<string, Schema>): Schema {
  const ref = schema.$ref;
  return typeof ref === "string" ? (schemas[refName(ref)] ?? {}) : schema;
}

/** A short type for a schema: "string", "integer | null", "Ticket[]", "one of: low, high". */
export function typeLabel(schema: Schema): string {
  if (typeof schema.$ref === "string") return refName(schema.$ref);
  if (Array.isArray(schema.enum)) return schema.enum.map(String).join(" | ");
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).map(typeLabel).join(" | ");
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  if (schema.type === "array") return `${typeLabel((schema.items as Schema) ?? {})}[]`;
  if (schema.type === "string" && typeof schema.format === "string")
    return `string (${schema.format})`;
  if (typeof schema.type === "string") return schema.type;
  return "any";
}

/** The object schema a field's schema leads to (through a ref, an array or a nullable union), if any. */
function nestedObject(schema: Schema, schemas: Record<string, Schema>): Schema | null {
  const s = resolve(schema, schemas);
  if (s.type === "object" && s.properties) return s;
  if (s.type === "array" && s.items) return nestedObject(s.items as Schema, schemas);
  if (Array.isArray(s.anyOf)) {
    for (const option of s.anyOf as Schema[]) {
      const found = nestedObject(option, schemas);
      if (found) return found;
    }
  }
  return null;
}

function constraints(schema: Schema): string[] {
  const notes: string[] = [];
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  if (typeof schema.minimum === "number") notes.push(`≥ ${schema.minimum}`);
  if (typeof schema.maximum === "number") notes.push(`≤ ${schema.maximum}`);
  if (typeof schema.maxLength === "number") notes.push(`at most ${schema.maxLength} characters`);
  if (typeof schema.maxItems === "number") notes.push(`at most ${schema.maxItems} items`);
  return notes;
}

export function SchemaFields({
  schema,
  schemas,
  depth = 0,
}: {
  schema: Schema;
  schemas: Record<string, Schema>;
  depth?: number;
}) {
  const object = nestedObject(schema, schemas);
  if (!object) {
    return <p className="font-mono text-muted-foreground text-xs">{typeLabel(schema)}</p>;
  }
  const properties = object.properties as Record<string, Schema>;
  const required = new Set((object.required as string[] | undefined) ?? []);
  return (
    <ul className={depth > 0 ? "mt-1 grid gap-1.5 border-l pl-3" : "grid gap-1.5"}>
      {Object.entries(properties).map(([name, field]) => {
        const nested = depth < 3 ? nestedObject(field, schemas) : null;
        const notes = constraints(resolve(field, schemas));
        const description =
          typeof field.description === "string"
            ? field.description
            : typeof resolve(field, schemas).description === "string"
              ? (resolve(field, schemas).description as string)
              : null;
        return (
          <li key={name} className="text-xs leading-5">
            <code className="font-mono font-semibold">{name}</code>{" "}
            <span className="font-mono text-muted-foreground">{typeLabel(field)}</span>
            {required.has(name) ? (
              <span className="ml-1.5 text-[11px] text-amber-700 uppercase tracking-wide dark:text-amber-300">
                required
              </span>
            ) : null}
            {description ? (
              <span className="ml-1.5 text-muted-foreground">— {description}</span>
            ) : null}
            {notes.length > 0 ? (
              <span className="ml-1.5 text-muted-foreground">({notes.join(", ")})</span>
            ) : null}
            {nested ? <SchemaFields schema={nested} schemas={schemas} depth={depth + 1} /> : null}
          </li>
        );
      })}
    </ul>
  );
}
