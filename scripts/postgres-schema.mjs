// The PostgreSQL variant of prisma/schema.prisma: the same models, another provider
// and client folder. Used to generate the PostgreSQL client and its migrations.
/** @param {string} schema @returns {string} */
export function asPostgresSchema(schema) {
  const out = schema
    .replace(/^(\s*provider\s*=\s*)"sqlite"/m, '$1"postgresql"')
    .replace(/^(\s*output\s*=\s*)"\.\/generated"/m, '$1"./generated-pg"');
  if (!out.includes('"postgresql"') || !out.includes('"./generated-pg"')) throw new Error('prisma/schema.prisma: expected provider = "sqlite" and output = "./generated"');
  return `// Derived from schema.prisma by scripts/postgres-schema.mjs: do not edit.\n${out}`;
}
