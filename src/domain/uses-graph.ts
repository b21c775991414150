// What a service is built on (R1) and who is affected when one descends (R10).

/** Edges: service name → the names it uses. */
export type UsesGraph = ReadonlyMap<string, readonly string[]>;

/**
 * If `service` were to use `uses`, would there be a cycle? Returns the cycle as a
 * path (`a → b → a`) or null.
 */
export function findCycle(graph: UsesGraph, service: string, uses: readonly string[]): string[] | null {
  const edges = new Map(graph);
  edges.set(service, uses);
  // Depth-first search from each new edge back to `service`.
  const path: string[] = [service];
  const seen = new Set<string>();
  const visit = (node: string): boolean => {
    for (const next of edges.get(node) ?? []) {
      path.push(next);
      if (next === service) return true;
      if (!seen.has(next)) {
        seen.add(next);
        if (visit(next)) return true;
      }
      path.pop();
    }
    return false;
  };
  return visit(service) ? path : null;
}

/** Every service that uses any of `changed`, directly or through others. */
export function dependentsOf(graph: UsesGraph, changed: readonly string[]): string[] {
  const usedBy = new Map<string, string[]>();
  for (const [service, uses] of graph) {
    for (const u of uses) usedBy.set(u, [...(usedBy.get(u) ?? []), service]);
  }
  const found = new Set<string>();
  const queue = [...changed];
  while (queue.length > 0) {
    const next = queue.shift() as string;
    for (const dependent of usedBy.get(next) ?? []) {
      if (!found.has(dependent) && !changed.includes(dependent)) {
        found.add(dependent);
        queue.push(dependent);
      }
    }
  }
  return [...found].sort();
}
