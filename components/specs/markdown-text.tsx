import ReactMarkdown from "react-markdown";
import remarkGfm from "remark-gfm";

/** Model- or user-written Markdown, rendered (no raw HTML: react-markdown escapes it). */
export function MarkdownText({ text }: { text: string }) {
  return (
    <div className="prose-trellis max-w-3xl text-sm leading-relaxed [&_code]:rounded [&_code]:bg-muted [&_code]:px-1 [&_code]:font-mono [&_code]:text-xs [&_li]:ml-4 [&_ol]:list-decimal [&_p]:my-1.5 [&_pre]:overflow-x-auto [&_pre]:rounded [&_pre]:bg-muted [&_pre]:p-2 [&_table]:text-xs [&_td]:border [&_td]:px-2 [&_th]:border [&_th]:px-2 [&_ul]:list-disc">
      <ReactMarkdown remarkPlugins={[remarkGfm]}>{text}</ReactMarkdown>
    </div>
  );
}
