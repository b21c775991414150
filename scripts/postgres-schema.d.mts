export function asPostgresSchema(schema: string): string;
