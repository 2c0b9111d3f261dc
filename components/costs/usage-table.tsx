import Link from "next/link";
import {
  Table,
  TableBody,
  TableCaption,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { cn } from "@/lib/utils/cn";
import { formatUsd } from "./format";

export interface UsageRow {
  key: string;
  label: string;
  href?: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  calls: number;
}

/** Usage per group (day, model, spec) as a table: the text alternative to each chart. */
export function UsageTable({
  caption,
  first,
  rows,
  mono = false,
}: {
  caption: string;
  /** Heading of the first column ("Model"). */
  first: string;
  rows: UsageRow[];
  mono?: boolean;
}) {
  return (
    <Table>
      <TableCaption className="sr-only">{caption}</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>{first}</TableHead>
          <TableHead className="text-right">Calls</TableHead>
          <TableHead className="text-right">Input tokens</TableHead>
          <TableHead className="text-right">Output tokens</TableHead>
          <TableHead className="text-right">Cost</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.key}>
            <TableCell className={cn("max-w-56 truncate", mono && "font-mono text-xs")}>
              {row.href ? (
                <Link href={row.href} className="hover:underline">
                  {row.label}
                </Link>
              ) : (
                row.label
              )}
            </TableCell>
            <TableCell className="text-right font-mono tabular-nums">{row.calls}</TableCell>
            <TableCell className="text-right font-mono tabular-nums">
              {row.inputTokens.toLocaleString("en-US")}
            </TableCell>
            <TableCell className="text-right font-mono tabular-nums">
              {row.outputTokens.toLocaleString("en-US")}
            </TableCell>
            <TableCell className="text-right font-mono tabular-nums">
              {formatUsd(row.costUsd)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
