/** Every task is drawn as a card of this size: the layout spaces them by it, the canvas draws it. */
export const GRAPH_NODE_WIDTH = 240;
export const GRAPH_NODE_HEIGHT = 72;
