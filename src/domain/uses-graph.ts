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

/** The reverse of the graph: service name → the services built on it. Built once per pass. */
export function reverseGraph(graph: UsesGraph): Map<string, string[]> {
  const usedBy = new Map<string, string[]>();
  for (const [service, uses] of graph) {
    for (const u of uses) {
      const list = usedBy.get(u);
      if (list) list.push(service);
      else usedBy.set(u, [service]);
    }
  }
  return usedBy;
}

function walkFrom(usedBy: ReadonlyMap<string, readonly string[]>, start: readonly string[], stop: ReadonlySet<string>, visit: (dependent: string) => void): void {
  const seen = new Set<string>();
  const queue = [...start];
  for (let i = 0; i < queue.length; i++) {
    for (const dependent of usedBy.get(queue[i] as string) ?? []) {
      if (seen.has(dependent) || stop.has(dependent)) continue;
      seen.add(dependent);
      visit(dependent);
      queue.push(dependent);
    }
  }
}

/** Every service that uses any of `changed`, directly or through others. */
export function dependentsOf(graph: UsesGraph, changed: readonly string[]): string[] {
  const found: string[] = [];
  walkFrom(reverseGraph(graph), changed, new Set(changed), (d) => found.push(d));
  return found.sort();
}

/**
 * Every service built on any of `changed` (directly or through others), with the changed
 * services it is built on. The reverse graph is built once; each walk is linear.
 */
export function dependentsWithCauses(graph: UsesGraph, changed: readonly string[]): Map<string, string[]> {
  const usedBy = reverseGraph(graph);
  const stop = new Set(changed);
  const causes = new Map<string, string[]>();
  for (const c of [...changed].sort()) {
    walkFrom(usedBy, [c], stop, (d) => {
      const list = causes.get(d);
      if (list) list.push(c);
      else causes.set(d, [c]);
    });
  }
  return new Map([...causes].sort(([a], [b]) => a.localeCompare(b)));
}
