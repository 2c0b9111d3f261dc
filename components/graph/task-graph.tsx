"use client";

import "@xyflow/react/dist/style.css";
import "./task-graph.css";
import {
  Background,
  BackgroundVariant,
  Controls,
  type Edge,
  MiniMap,
  type Node,
  ReactFlow,
  type ReactFlowInstance,
} from "@xyflow/react";
import { useCallback, useMemo, useRef, useSyncExternalStore } from "react";
import { type TaskGraphNode, taskGraphEdges } from "@/lib/tasks/build-task-graph";
import { GRAPH_NODE_HEIGHT, GRAPH_NODE_WIDTH } from "@/lib/tasks/graph-node-size";
import { cn } from "@/lib/utils/cn";
import { type TaskFlowNode, TaskNode, taskNodeLabel } from "./task-node";

// Outside the component: React Flow re-registers node types when this object changes.
const nodeTypes = { task: TaskNode };

const ariaLabelConfig = {
  "node.a11yDescription.default": "Press Enter to open the task in a side panel.",
  "node.a11yDescription.keyboardDisabled": "Press Enter to open the task in a side panel.",
  "edge.a11yDescription.default": "A dependency between two tasks.",
  "controls.ariaLabel": "Zoom controls",
  "controls.zoomIn.ariaLabel": "Zoom in",
  "controls.zoomOut.ariaLabel": "Zoom out",
  "controls.fitView.ariaLabel": "Fit the whole graph in view",
  "minimap.ariaLabel": "Minimap of the task graph",
};

const readOnlyLabels = {
  ...ariaLabelConfig,
  "node.a11yDescription.default": "A planned task.",
  "node.a11yDescription.keyboardDisabled": "A planned task.",
};

const noSubscription = () => () => {};

/** Below this zoom a whole graph is unreadable: start at its beginning instead. */
const READABLE_ZOOM = 0.35;

export interface TaskGraphProps {
  nodes: TaskGraphNode[];
  /** Keys of the critical path, in order (the edges are derived here, not sent). */
  criticalPath: string[];
  /** Top-left of each card, by task key. */
  positions: Record<string, { x: number; y: number }>;
  /** Called with the task when its node is clicked or Enter is pressed on it. */
  onOpenTask?: (task: TaskGraphNode) => void;
  /** The canvas's accessible name, e.g. "Dependency graph of Search". */
  label: string;
  className?: string;
}

/**
 * The dependency graph, left to right, from a layout computed on the server. Node
 * objects keep their identity while a task's data is unchanged, so a live refresh
 * re-renders only the cards whose status moved.
 */
export function TaskGraph({
  nodes,
  criticalPath,
  positions,
  onOpenTask,
  label,
  className,
}: TaskGraphProps) {
  // Without a drawer to open (a plan in review), nodes are read, not pressed.
  const interactive = onOpenTask !== undefined;
  const previous = useRef(new Map<string, { signature: string; node: TaskFlowNode }>());
  const flowNodes = useMemo(() => {
    const next = new Map<string, { signature: string; node: TaskFlowNode }>();
    const list = nodes.map((task) => {
      const position = positions[task.key] ?? { x: 0, y: 0 };
      const signature = `${JSON.stringify(task)}@${position.x},${position.y}:${interactive}`;
      const kept = previous.current.get(task.key);
      const node: TaskFlowNode =
        kept && kept.signature === signature
          ? kept.node
          : {
              // Keys are unique in a spec and short: ids, edges and test ids stay readable.
              id: task.key,
              type: "task",
              position,
              data: task,
              // Known size: React Flow shows and fits nodes without measuring them first.
              width: GRAPH_NODE_WIDTH,
              height: GRAPH_NODE_HEIGHT,
              draggable: false,
              selectable: false,
              connectable: false,
              ariaRole: interactive ? "button" : "group",
              ariaLabel: taskNodeLabel(task),
              className: `status-${task.status}`,
            };
      next.set(task.key, { signature, node });
      return node;
    });
    previous.current = next;
    return list;
  }, [nodes, positions, interactive]);

  const flowEdges = useMemo(
    (): Edge[] =>
      taskGraphEdges(nodes, criticalPath).map((edge) => ({
        id: edge.id,
        source: edge.source,
        target: edge.target,
        animated: edge.running,
        selectable: false,
        focusable: false,
        className: cn(edge.critical && "is-critical", edge.blocked && "is-blocked"),
        ariaLabel: `Task ${edge.target} depends on task ${edge.source}`,
      })),
    [nodes, criticalPath],
  );

  const byKey = useMemo(() => new Map(nodes.map((task) => [task.key, task])), [nodes]);
  const open = useCallback(
    (key: string | undefined) => {
      const task = key ? byKey.get(key) : undefined;
      if (task) onOpenTask?.(task);
    },
    [byKey, onOpenTask],
  );
  const container = useRef<HTMLDivElement>(null);

  const onInit = useCallback(
    (flow: ReactFlowInstance<TaskFlowNode>) => {
      const box = container.current?.getBoundingClientRect();
      const xs = Object.values(positions);
      if (!box || xs.length === 0) return;
      const minX = Math.min(...xs.map((p) => p.x));
      const maxX = Math.max(...xs.map((p) => p.x)) + GRAPH_NODE_WIDTH;
      const minY = Math.min(...xs.map((p) => p.y));
      const maxY = Math.max(...xs.map((p) => p.y)) + GRAPH_NODE_HEIGHT;
      const fits = Math.min(box.width / (maxX - minX + 64), box.height / (maxY - minY + 64));
      if (fits >= READABLE_ZOOM) {
        void flow.fitView({ padding: 0.08, maxZoom: 1 });
        return;
      }
      // Too big to read whole: show the first tasks (the left edge), centred vertically.
      const zoom = 0.6;
      void flow.setViewport({
        x: 24 - minX * zoom,
        y: box.height / 2 - ((minY + maxY) / 2) * zoom,
        zoom,
      });
    },
    [positions],
  );

  // Drawn in the browser only: on the server React Flow knows no viewport and would render
  // every node (a megabyte of HTML for 500 tasks) only for hydration to throw most away.
  const mounted = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  if (!mounted) {
    return (
      <div
        ref={container}
        className={cn(
          "task-graph relative flex h-full min-h-80 w-full items-center justify-center",
          className,
        )}
      >
        <p role="status" className="text-muted-foreground text-sm">
          Drawing {nodes.length} tasks…
        </p>
      </div>
    );
  }
  return (
    <div ref={container} className={cn("task-graph relative h-full min-h-80 w-full", className)}>
      <ReactFlow<TaskFlowNode, Edge>
        nodes={flowNodes}
        edges={flowEdges}
        nodeTypes={nodeTypes}
        onInit={onInit}
        onNodeClick={(_, node) => open(node.id)}
        // A focused node opens with Enter or Space (React Flow would only select it).
        onKeyDown={(event) => {
          if (event.key !== "Enter" && event.key !== " ") return;
          const node = (event.target as HTMLElement).closest<HTMLElement>(".react-flow__node");
          if (!node) return;
          event.preventDefault();
          open(node.dataset.id);
        }}
        onlyRenderVisibleElements
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable={false}
        edgesFocusable={false}
        nodesFocusable
        zoomOnDoubleClick={false}
        minZoom={0.05}
        maxZoom={1.5}
        ariaLabelConfig={interactive ? ariaLabelConfig : readOnlyLabels}
        aria-label={label}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1} />
        <Controls showInteractive={false} fitViewOptions={{ padding: 0.08, maxZoom: 1 }} />
        <MiniMap<TaskFlowNode>
          pannable
          zoomable
          nodeClassName={(node: Node) => node.className ?? ""}
          nodeBorderRadius={4}
        />
      </ReactFlow>
    </div>
  );
}
