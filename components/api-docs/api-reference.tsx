// The API reference, rendered from the OpenAPI document (server component): every operation with
// its scope, parameters, request and response schemas, an example and a curl line.
import { MarkdownText } from "@/components/specs/markdown-text";
import { Badge } from "@/components/ui/badge";
import type { OpenApiDocument, OpenApiOperation } from "@/lib/api/v1/openapi";
import { SchemaFields, typeLabel } from "./schema-fields";

type Schema = Record<string, unknown>;

const anchorOf = (op: OpenApiOperation) => `op-${op.operationId}`;
const keysWith: Record<OpenApiOperation["x-required-scope"], string> = {
  read: "any key",
  write: "write or admin keys",
  admin: "admin keys",
};

function curlOf(base: string, method: string, path: string, op: OpenApiOperation): string {
  const url = `${base}${path.replace(/\{(\w+)\}/g, (_, name: string) => `<${name}>`)}`;
  const lines = [
    `curl${method === "get" ? "" : ` -X ${method.toUpperCase()}`} ${url} \\`,
    `  -H "Authorization: Bearer $TRELLIS_API_KEY"`,
  ];
  const example = op.requestBody?.content["application/json"].example;
  if (example !== undefined) {
    lines[lines.length - 1] += " \\";
    lines.push(`  -H "Content-Type: application/json" \\`, `  -d '${JSON.stringify(example)}'`);
  }
  return lines.join("\n");
}

function OperationView({
  doc,
  method,
  path,
  op,
}: {
  doc: OpenApiDocument;
  method: string;
  path: string;
  op: OpenApiOperation;
}) {
  const schemas = doc.components.schemas as Record<string, Schema>;
  const base = doc.servers[0]?.url ?? "/api/v1";
  const body = op.requestBody?.content["application/json"];
  const successes = Object.entries(op.responses).filter(([status]) => status.startsWith("2"));
  const failures = Object.entries(op.responses).filter(([status]) => !status.startsWith("2"));
  return (
    <section aria-labelledby={anchorOf(op)} className="grid gap-3 rounded-lg border p-4">
      <div className="grid gap-1">
        <h3 id={anchorOf(op)} className="flex flex-wrap items-center gap-2 font-medium text-sm">
          <Badge
            variant={method === "get" ? "outline" : "secondary"}
            className="font-mono uppercase"
          >
            {method.toUpperCase()}
          </Badge>
          <code className="font-mono">/api/v1{path}</code>
          <span className="text-muted-foreground">{op.summary}</span>
        </h3>
        <p className="text-muted-foreground text-xs">
          Needs a key with the{" "}
          <strong className="font-medium text-foreground">{op["x-required-scope"]}</strong> scope
          {` (${keysWith[op["x-required-scope"]]}).`}
        </p>
      </div>
      {op.description ? <MarkdownText text={op.description} /> : null}

      {op.parameters.length > 0 ? (
        <div className="grid gap-1.5">
          <h4 className="font-medium text-xs">Parameters</h4>
          <ul className="grid gap-1">
            {op.parameters.map((p) => (
              <li key={`${p.in}-${p.name}`} className="text-xs leading-5">
                <code className="font-mono font-semibold">{p.name}</code>{" "}
                <span className="text-muted-foreground">
                  in {p.in}, <span className="font-mono">{typeLabel(p.schema)}</span>
                  {p.required ? ", required" : ""}
                  {p.description ? ` — ${p.description}` : ""}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {body ? (
        <div className="grid gap-1.5">
          <h4 className="font-medium text-xs">
            Request body{" "}
            <span className="font-mono font-normal text-muted-foreground">
              {typeLabel(body.schema)}
            </span>
          </h4>
          <SchemaFields schema={body.schema} schemas={schemas} />
        </div>
      ) : null}

      {successes.map(([status, response]) => {
        const schema = (response.content as Record<string, { schema: Schema }> | undefined)?.[
          "application/json"
        ]?.schema;
        return (
          <details key={status} className="group grid gap-1.5">
            <summary className="cursor-pointer font-medium text-xs">
              Response {status}{" "}
              <span className="font-mono font-normal text-muted-foreground">
                {schema ? typeLabel(schema) : ""}
              </span>{" "}
              <span className="font-normal text-muted-foreground">— {response.description}</span>
            </summary>
            {schema ? <SchemaFields schema={schema} schemas={schemas} /> : null}
          </details>
        );
      })}

      <div className="grid gap-1">
        <h4 className="font-medium text-xs">Errors</h4>
        <ul className="grid gap-0.5">
          {failures.map(([status, response]) => (
            <li key={status} className="text-muted-foreground text-xs">
              <span className="font-mono text-foreground">{status}</span> {response.description}
            </li>
          ))}
        </ul>
      </div>

      <div className="grid gap-1.5">
        <h4 className="font-medium text-xs">Example</h4>
        <pre
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard (WCAG 2.1.1)
          tabIndex={0}
          className="overflow-x-auto rounded-md bg-muted p-3 font-mono text-xs leading-5 outline-none focus-visible:ring-[3px] focus-visible:ring-ring/50"
        >
          {curlOf(base, method, path, op)}
        </pre>
      </div>
    </section>
  );
}

export function ApiReference({ doc }: { doc: OpenApiDocument }) {
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, op })),
  );
  return (
    <div className="grid gap-8">
      <section aria-labelledby="api-overview" className="grid gap-2">
        <h2 id="api-overview" className="font-medium text-sm">
          Overview
        </h2>
        <p className="text-sm">
          Base URL{" "}
          <code className="rounded bg-muted px-1 font-mono text-xs">{doc.servers[0]?.url}</code>
          {" · "}
          <a href="/api/v1/openapi.json" className="underline underline-offset-2">
            OpenAPI 3.1 document
          </a>
        </p>
        <MarkdownText text={doc.info.description} />
      </section>

      <nav aria-label="Operations" className="grid gap-2">
        <h2 className="font-medium text-sm">Operations</h2>
        <ul className="grid gap-3 sm:grid-cols-2">
          {doc.tags.map((tag) => (
            <li key={tag.name} className="grid gap-1">
              <span className="font-medium text-xs">{tag.name}</span>
              <ul className="grid gap-0.5">
                {operations
                  .filter(({ op }) => op.tags.includes(tag.name))
                  .map(({ path, method, op }) => (
                    <li key={op.operationId} className="text-xs">
                      <a href={`#${anchorOf(op)}`} className="hover:underline">
                        <span className="inline-block w-10 font-mono text-muted-foreground uppercase">
                          {method.toUpperCase()}
                        </span>
                        <span className="font-mono">{path}</span>
                      </a>
                    </li>
                  ))}
              </ul>
            </li>
          ))}
        </ul>
      </nav>

      {doc.tags.map((tag) => (
        <section key={tag.name} aria-labelledby={`tag-${tag.name}`} className="grid gap-3">
          <div className="grid gap-0.5">
            <h2 id={`tag-${tag.name}`} className="font-medium text-sm">
              {tag.name}
            </h2>
            <p className="text-muted-foreground text-sm">{tag.description}</p>
          </div>
          {operations
            .filter(({ op }) => op.tags.includes(tag.name))
            .map(({ path, method, op }) => (
              <OperationView key={op.operationId} doc={doc} method={method} path={path} op={op} />
            ))}
        </section>
      ))}
    </div>
  );
}
