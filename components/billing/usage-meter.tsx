const numberFormat = new Intl.NumberFormat("en");

/**
 * One usage line (an <li>): "Runs  3 of 20" with a bar, amber from 80 % of the limit; a plan
 * without that limit (allowed null) shows "3 · no limit" and no bar.
 */
export function UsageMeter({
  label,
  used,
  allowed,
}: {
  label: string;
  used: number;
  allowed: number | null;
}) {
  const share = allowed === null ? 0 : allowed > 0 ? Math.min(used / allowed, 1) : 1;
  // Colour only when it needs attention (DESIGN.md): near or at the limit.
  const tone = share >= 0.8 ? "bg-status-attention" : "bg-foreground/50";
  return (
    <li className="grid gap-1.5">
      <div className="flex items-baseline justify-between gap-4">
        <span className="text-muted-foreground">{label}</span>
        <span className="font-mono text-xs tabular-nums">
          {numberFormat.format(used)}{" "}
          {allowed === null ? "· no limit" : `of ${numberFormat.format(allowed)}`}
        </span>
      </div>
      {allowed === null ? null : (
        <div aria-hidden="true" className="h-1.5 overflow-hidden rounded-full bg-muted">
          <div className={`h-full rounded-full ${tone}`} style={{ width: `${share * 100}%` }} />
        </div>
      )}
    </li>
  );
}
