// DATABASE_URL's two forms, read without loading either engine's driver.

export const isPostgresUrl = (url: string) => /^postgres(ql)?:\/\//i.test(url);

/** `user@host:port/db`: where the URL points, without its password. */
export function describePostgresUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.username ? `${decodeURIComponent(u.username)}@` : ''}${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'an unreadable postgresql:// URL';
  }
}
