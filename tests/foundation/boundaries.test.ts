import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.(ts|tsx)$/.test(name) ? [p] : [];
  });
}

const importsOf = (src: string) =>
  [...src.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');

describe('process boundaries', () => {
  it('imports electron only in src/main/app and src/preload', () => {
    const offenders = files(join(ROOT, 'src'))
      .map((f) => relative(ROOT, f))
      .filter((f) => !f.startsWith('src/main/app/') && !f.startsWith('src/preload/'))
      .filter((f) => importsOf(readFileSync(join(ROOT, f), 'utf8')).includes('electron'));
    expect(offenders).toEqual([]);
  });

  it('keeps src/shared pure and the renderer away from main', () => {
    const shared = files(join(ROOT, 'src', 'shared')).filter((f) =>
      importsOf(readFileSync(f, 'utf8')).some(
        (i) => i.startsWith('node:') || i.includes('/main/') || i.includes('/renderer/'),
      ),
    );
    expect(shared.map((f) => relative(ROOT, f))).toEqual([]);
    const renderer = files(join(ROOT, 'src', 'renderer')).filter((f) =>
      importsOf(readFileSync(f, 'utf8')).some((i) => i.startsWith('node:') || i.includes('/main/')),
    );
    expect(renderer.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
