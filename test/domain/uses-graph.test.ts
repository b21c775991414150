import { describe, expect, it } from 'vitest';
import { dependentsOf, findCycle } from '../../src/domain/uses-graph.js';

const graph = new Map<string, string[]>([
  ['wiki', ['postgres', 'backups']],
  ['postgres', ['vm']],
  ['backups', ['vm']],
  ['vm', []],
  ['chat', ['wiki']],
]);

describe('uses graph', () => {
  it('finds a cycle through other services and shows its path', () => {
    expect(findCycle(graph, 'vm', ['chat'])).toEqual(['vm', 'chat', 'wiki', 'postgres', 'vm']);
  });
  it('finds a direct cycle', () => {
    expect(findCycle(graph, 'postgres', ['wiki'])).toEqual(['postgres', 'wiki', 'postgres']);
  });
  it('allows shared foundations (a diamond is not a cycle)', () => {
    expect(findCycle(graph, 'chat', ['wiki', 'vm'])).toBeNull();
  });
  it('lists dependents directly and transitively', () => {
    expect(dependentsOf(graph, ['vm'])).toEqual(['backups', 'chat', 'postgres', 'wiki']);
    expect(dependentsOf(graph, ['wiki'])).toEqual(['chat']);
    expect(dependentsOf(graph, ['chat'])).toEqual([]);
  });
});
