import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildCommandTable } from '../../src/commands/index.js';
import { defineCommand, usageOf } from '../../src/commands/define.js';
import { CommandTable } from '../../src/commands/table.js';
import { tokenize } from '../../src/commands/grammar.js';
import { privateReply } from '../../src/reply/model.js';
import { fakeCore } from '../fakes/core.js';

describe('grammar', () => {
  it('reads words, quoted text and mentions', () => {
    expect(tokenize(`propose wiki user "A wiki" 'for all' “of us” <@U12345|bob>`).map((t) => t.value)).toEqual([
      'propose', 'wiki', 'user', 'A wiki', 'for all', 'of us', '<@U12345|bob>',
    ]);
  });
  it('points at an unclosed quote', () => {
    expect(() => tokenize('set wiki summary "oops')).toThrow(/never closed/);
  });
  it('refuses input beyond the bound', () => {
    expect(() => tokenize('x'.repeat(5000))).toThrow(/most the bot reads is 4000/);
  });
});

describe('command table', () => {
  it('refuses two commands with the same words at start', () => {
    const spec = defineCommand({ group: 'coop', words: ['x'], params: [], args: z.object({}), access: 'anyone', summary: 's', example: '/coop x', run: async () => privateReply() });
    expect(() => new CommandTable([spec, spec])).toThrow(/Two commands are declared as "coop x"/);
  });

  it('generates help from the same table that routes commands', async () => {
    const { run, table } = await fakeCore();
    const help = await run('anyone', '/service help');
    for (const spec of table.commands('service')) expect(help.text).toContain(usageOf(spec, '/service'));
    const coop = await run('anyone', '/coop help');
    for (const spec of table.commands('coop')) expect(coop.text).toContain(usageOf(spec, '/coop'));
  });

  it('explains one command with its usage, who may run it and an example', async () => {
    const { run } = await fakeCore();
    const help = await run('anyone', '/service help maintainer');
    expect(help.visibility).toBe('private');
    expect(help.text).toContain('/service maintainer <name> add|remove <user>');
    expect(help.text).toContain("Who: the service's maintainers and the board");
    expect(help.text).toContain('/service maintainer wiki add @bob');
  });

  it('answers an unknown command privately, pointing to help', async () => {
    const { run } = await fakeCore();
    const r = await run('admin', '/service frobnicate wiki');
    expect(r).toMatchObject({ visibility: 'private', outcome: 'error' });
    expect(r.text).toContain('There is no command `/service frobnicate`. For a list of commands, try `/service help`.');
  });

  it('points at the bad argument and shows the usage', async () => {
    const { run } = await fakeCore();
    const r = await run('admin', '/service propose wiki gadget A wiki');
    expect(r.outcome).toBe('error');
    expect(r.text).toContain('`gadget` is not right for <kind>: expected a kind: user, coop, infrastructure.');
    expect(r.text).toContain('/service propose wiki gadget A wiki\n                          ^ expected <kind> here');
    expect(r.text).toContain('Usage: `/service propose <name> <kind> <summary…>`');
  });

  it('names a missing argument', async () => {
    const { run } = await fakeCore();
    const r = await run('admin', '/service propose wiki');
    expect(r.text).toContain('Missing <kind>.');
  });

  it('refuses extra words after a command that takes none', async () => {
    const { run } = await fakeCore();
    const r = await run('admin', '/coop status everyone');
    expect(r.text).toContain('Unexpected `everyone` after the command.');
  });

  it('bounds free text', async () => {
    const { run, store } = await fakeCore();
    const r = await run('admin', `/service propose wiki user ${'long '.repeat(60)}`);
    expect(r.text).toContain('expected a one-line summary of at most 200 characters');
    expect(store.state.services).toHaveLength(0);
  });

  it('hides internal failures behind a reference, logging the detail', async () => {
    const errors: string[] = [];
    const { deps } = await fakeCore();
    const boom = defineCommand({ group: 'coop', words: ['boom'], params: [], args: z.object({}), access: 'anyone', summary: 's', example: '/coop boom', run: async () => { throw new Error('secret detail'); } });
    const table = new CommandTable([boom]);
    const reply = await table.handle(
      { group: 'coop', text: 'boom', actor: { platform: 'console', externalId: 'x' }, platform: { name: 'console', commandPrefix: (g) => `/${g}` } },
      { ...deps, logger: { ...deps.logger, error: (m, f) => errors.push(`${m} ${JSON.stringify(f)}`) } },
    );
    expect(JSON.stringify(reply)).not.toContain('secret detail');
    expect(JSON.stringify(reply)).toMatch(/reference [0-9a-f]{8}/);
    expect(errors[0]).toContain('secret detail');
  });

  it('builds the real table', () => {
    expect(buildCommandTable().commands('service').length).toBeGreaterThan(5);
  });
});
