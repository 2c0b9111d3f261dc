"use client";

import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from "recharts";
import { formatDay, formatTokens, formatUsd } from "./format";

// Theme tokens as CSS variables: the charts follow light and dark like the rest of the app.
const axis = { fontSize: 11, fill: "var(--muted-foreground)" };
const grid = "var(--border)";
const tooltip = {
  contentStyle: {
    background: "var(--popover)",
    border: "1px solid var(--border)",
    borderRadius: 6,
    color: "var(--popover-foreground)",
    fontSize: 12,
  },
  labelStyle: { color: "var(--popover-foreground)" },
  cursor: { fill: "var(--muted)" },
};
const style = { width: "100%", height: 220 };
const bar = "var(--muted-foreground)";

/** Axis ticks: cents, not the table's tenths of a cent. */
function usdTick(value: number): string {
  return `$${value.toFixed(value !== 0 && Math.abs(value) < 10 ? 2 : 0)}`;
}

interface DayRow {
  day: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
}

/** Dollars per day (bars). Its data is also in the table beside it. */
export function CostByDayChart({ data, title }: { data: DayRow[]; title: string }) {
  return (
    <BarChart data={data} responsive style={style} title={title} margin={{ left: 8, right: 8 }}>
      <CartesianGrid stroke={grid} vertical={false} />
      <XAxis dataKey="day" tickFormatter={formatDay} tick={axis} minTickGap={16} />
      <YAxis tickFormatter={usdTick} tick={axis} width={64} />
      <Tooltip
        {...tooltip}
        labelFormatter={(day) => formatDay(String(day))}
        formatter={(value) => [formatUsd(Number(value)), "Cost"]}
      />
      <Bar dataKey="costUsd" name="Cost" fill={bar} radius={[2, 2, 0, 0]} />
    </BarChart>
  );
}

/** Input and output tokens per day, stacked. */
export function TokensByDayChart({ data, title }: { data: DayRow[]; title: string }) {
  return (
    <BarChart data={data} responsive style={style} title={title} margin={{ left: 8, right: 8 }}>
      <CartesianGrid stroke={grid} vertical={false} />
      <XAxis dataKey="day" tickFormatter={formatDay} tick={axis} minTickGap={16} />
      <YAxis tickFormatter={(v: number) => formatTokens(v)} tick={axis} width={48} />
      <Tooltip
        {...tooltip}
        labelFormatter={(day) => formatDay(String(day))}
        formatter={(value, name) => [Number(value).toLocaleString("en-US"), name]}
      />
      <Legend wrapperStyle={{ fontSize: 12, color: "var(--muted-foreground)" }} />
      <Bar
        dataKey="inputTokens"
        name="Input tokens"
        stackId="tokens"
        fill="var(--phase-implementation)"
      />
      <Bar
        dataKey="outputTokens"
        name="Output tokens"
        stackId="tokens"
        fill="var(--phase-initial)"
        radius={[2, 2, 0, 0]}
      />
    </BarChart>
  );
}

/** Dollars per model or per spec, as horizontal bars, most expensive on top. */
export function CostBreakdownChart({
  data,
  title,
}: {
  data: { label: string; costUsd: number }[];
  title: string;
}) {
  const height = Math.max(120, data.length * 28 + 40);
  return (
    <BarChart
      data={data}
      layout="vertical"
      responsive
      style={{ width: "100%", height }}
      title={title}
      margin={{ left: 8, right: 16 }}
    >
      <CartesianGrid stroke={grid} horizontal={false} />
      <XAxis type="number" tickFormatter={usdTick} tick={axis} />
      <YAxis
        type="category"
        dataKey="label"
        tick={axis}
        width={150}
        tickFormatter={(label: string) => (label.length > 22 ? `${label.slice(0, 21)}…` : label)}
      />
      <Tooltip {...tooltip} formatter={(value) => [formatUsd(Number(value)), "Cost"]} />
      <Bar dataKey="costUsd" name="Cost" fill={bar} radius={[0, 2, 2, 0]} />
    </BarChart>
  );
}
