import type { DesignContent } from "@/lib/specs/artifact-schemas";
import { MarkdownText } from "./markdown-text";
import { MermaidDiagram } from "./mermaid-diagram";

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="grid gap-2">
      <h3 className="font-medium text-sm">{title}</h3>
      {children}
    </section>
  );
}

/** The design as a readable document, with its Mermaid diagrams drawn. */
export function DesignView({ content }: { content: DesignContent }) {
  return (
    <article className="grid max-w-4xl gap-6">
      <Section title="Overview">
        <MarkdownText text={content.overview} />
        {content.requirementIds.length ? (
          <p className="flex flex-wrap gap-1 text-xs">
            <span className="text-muted-foreground">Serves</span>
            {content.requirementIds.map((id) => (
              <span key={id} className="rounded bg-muted px-1 font-mono">
                {id}
              </span>
            ))}
          </p>
        ) : null}
      </Section>
      <Section title="Architecture">
        <MarkdownText text={content.architecture} />
        {content.diagrams.map((diagram) => (
          <figure key={diagram.title} className="grid gap-1 rounded-lg border bg-card p-3">
            <MermaidDiagram source={diagram.mermaid} title={diagram.title} />
            <figcaption className="text-muted-foreground text-xs">{diagram.title}</figcaption>
          </figure>
        ))}
      </Section>
      <Section title="Components and interfaces">
        <ul className="grid gap-2">
          {content.components.map((c) => (
            <li key={c.name} className="rounded-lg border bg-card p-3">
              <div className="mb-1 flex flex-wrap items-center gap-2">
                <span className="font-medium text-sm">{c.name}</span>
                {c.requirementIds.map((id) => (
                  <span key={id} className="rounded bg-muted px-1 font-mono text-xs">
                    {id}
                  </span>
                ))}
              </div>
              <MarkdownText text={c.responsibility} />
            </li>
          ))}
        </ul>
      </Section>
      <Section title="Data models">
        <MarkdownText text={content.dataModels} />
      </Section>
      <Section title="API changes">
        <MarkdownText text={content.apiChanges} />
      </Section>
      <Section title="Error handling">
        <MarkdownText text={content.errorHandling} />
      </Section>
      <Section title="Testing strategy">
        <MarkdownText text={content.testingStrategy} />
      </Section>
      {content.risks.length ? (
        <Section title="Risks">
          <ul className="grid gap-1 text-sm">
            {content.risks.map((r) => (
              <li key={r.risk}>
                <span className="font-medium">{r.risk}</span>
                <span className="text-muted-foreground"> — {r.mitigation}</span>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </article>
  );
}
